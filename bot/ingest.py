"""Papers into the database: `paperbot fetch` (and the scheduler's fetch job) from Hugging Face,
enriched from arXiv, plus arXiv's day of announcements when `[sources] arxiv_categories` is
set, and `paperbot import` of saved `daily_papers` responses.

Both end in the same storage upsert, so a fetched day and an imported day are stored alike.
Import names every bad file with its reason; re-importing is an upsert, so counts never
change the second time.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from bot import model as model_module
from bot.clock import Clock, SystemClock
from bot.core import Core
from bot.model import DayPapers, Paper, paper_from_row
from bot.sources.arxiv_rss_parse import AnnouncementFeed
from bot.sources.errors import MalformedResponse, SourceError
from bot.sources.hf_parse import loads, parse_daily_papers
from bot.sources.merge import merge_arxiv
from bot.sources.read_ahead import Prepared, ReadAhead
from storage import announcements as announcement_store
from storage import fetch_log, import_log
from storage import papers as paper_store
from storage.bulk import deferred_index, journals_in_memory
from storage.tx import transaction

log = logging.getLogger(__name__)

_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


# --- fetch ------------------------------------------------------------------------------
@dataclass
class FetchReport:
    days: int = 0
    papers: int = 0
    enriched: int = 0
    warnings: list[str] = field(default_factory=list)
    # Why arXiv failed during this run (also in `warnings`); the days after it skip arXiv.
    arxiv_down: str | None = None
    # arXiv's announcement feed (only with `arxiv_categories`): its day, first announcements
    # (new, cross) and replacements stored.
    arxiv_day: str | None = None
    announced: int = 0
    replaced: int = 0


def day_range(start: str, end: str) -> list[str]:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if b < a:
        raise ValueError(f"--to {end} is before --from {start}")
    return [(a + timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]


async def fetch_day(core: Core, day: str, report: FetchReport) -> None:
    """Fetch one day (all pages), enrich papers arXiv hasn't filled yet, and upsert."""
    result = await core.hf.daily(date=day)
    papers = list(result.papers)
    report.warnings.extend(f"{day}: {w}" for w in result.warnings)
    found = await _arxiv_enrichment(core, day, papers, report)
    papers = [merge_arxiv(p, found[p.id]) if p.id in found else p for p in papers]
    report.enriched += len(found)
    # The day, its enrichment marks and its log line land together: a crash between them would
    # otherwise leave a stored day that the log says was never fetched, or enriched papers
    # that arXiv is asked about again.
    with transaction(core.db):
        paper_store.upsert_day(core.db, day, papers)
        if found:
            paper_store.mark_enriched(core.db, found, _stamp(core))
        fetch_log.record(core.db, "hf", day, _stamp(core), len(papers), None)
    report.days += 1
    report.papers += len(papers)


async def _arxiv_enrichment(
    core: Core, day: str, papers: list[Paper], report: FetchReport
) -> dict[str, Paper]:
    """arXiv's side of the papers not enriched yet; {} when arXiv is off or down.

    Enrichment is optional and arXiv's API is often down (5xx, timeouts): an outage is one
    warning, the day is stored as Hugging Face has it, and a later fetch enriches it (the
    papers stay `unenriched` until then).
    """
    if not core.config.sources.arxiv_enrich or not papers or report.arxiv_down:
        return {}
    todo = paper_store.unenriched(core.db, [p.id for p in papers])
    if not todo:
        return {}
    try:
        return await core.arxiv.lookup(todo)
    except SourceError as e:
        report.arxiv_down = (
            f"{day}: arXiv unavailable ({e}); papers stored unenriched, a later fetch enriches them"
        )
        report.warnings.append(report.arxiv_down)
        return {}


def _stamp(core: Core) -> str:
    return core.clock.now().isoformat(timespec="seconds")


async def fetch_announcements(core: Core, report: FetchReport) -> None:
    """arXiv's current announcement day for the configured categories, stored merged by id.

    One request for all categories. An outage or an unreadable feed is a warning: Hugging
    Face's list is the bot's own, and the next fetch reads the feed again. An empty feed
    (weekends, holidays) stores nothing and is no warning."""
    categories = core.config.sources.arxiv_categories
    if not categories:
        return
    try:
        feed = await core.arxiv_feed.announcements(categories)
    except SourceError as e:
        report.warnings.append(f"arXiv announcements unavailable ({e}); the next fetch reads them")
        return
    report.warnings.extend(f"arXiv announcements: skipped {w}" for w in feed.warnings)
    report.arxiv_day = feed.day
    if feed.day is None:
        return
    papers, extra = _announced(core, feed)
    with transaction(core.db):
        paper_store.upsert_papers(core.db, papers, extra)
        fetch_log.record(core.db, "arxiv-rss", feed.day, _stamp(core), len(papers), None)
    report.replaced = sum(1 for a in feed.items if a.is_replacement)
    report.announced = len(feed.items) - report.replaced


def _announced(core: Core, feed: AnnouncementFeed) -> tuple[list[Paper], dict[str, dict]]:
    """The feed's papers as they should be stored, and each one's extra columns.

    A paper HF listed keeps HF's fields (`merge_arxiv`); one only arXiv knows takes the newest
    version's. A first announcement (new, cross) dates an arXiv paper's alert day once; a
    replacement only updates the stored version and is never announced again. An item older
    than the stored version (arXiv enrichment saw a newer one) changes nothing."""
    stored = announcement_store.stored(core.db, [a.paper.id for a in feed.items])
    papers: list[Paper] = []
    extra: dict[str, dict] = {}
    for a in feed.items:
        row = stored.get(a.paper.id)
        dated = {"arxiv_announced": feed.day} if not a.is_replacement else {}
        if row is None:
            papers.append(a.paper)
            extra[a.paper.id] = {"source": "arxiv", **dated}
            continue
        if (row.get("version") or 0) > (a.paper.version or 0):
            continue
        if row.get("source") == "hf":
            paper = merge_arxiv(paper_from_row(row), replace(a.paper, published_at=None))
        else:
            paper = a.paper
        papers.append(paper)
        if dated and not row.get("arxiv_announced"):
            extra[a.paper.id] = dated
    return papers, extra


async def fetch_days(
    core: Core, days: list[str], on_day: Callable[[str], None] | None = None
) -> FetchReport:
    """The HF days (enriched), after arXiv's announcement day when categories are set."""
    report = FetchReport()
    await fetch_announcements(core, report)
    for day in days:
        try:
            await fetch_day(core, day, report)
        except SourceError as e:
            fetch_log.record(core.db, "hf", day, _stamp(core), 0, str(e))
            raise
        if on_day:
            on_day(day)
    return report


# --- import -----------------------------------------------------------------------------
@dataclass
class ImportReport:
    files: int = 0
    papers: int = 0
    warnings: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to import (directories give their *.json, sorted) and the paths that don't exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(q for q in p.iterdir() if q.suffix == ".json" and q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            missing.append((str(p), "no such file or directory"))
    return files, missing


def _file_day(path: Path) -> str:
    m = _DAY.search(path.name)
    if not m:
        raise ValueError("file name has no date (expected e.g. 2025-10-01.json)")
    try:
        return date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        raise ValueError(f"'{m.group(1)}' in the file name is not a real date") from None


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A day file read, digested and parsed (`bot.sources.read_ahead`: no database needed)."""

    day: str
    digest: str
    papers: DayPapers


def _day_digest(path: Path) -> tuple[str, bytes, str]:
    """A day file's day, bytes and digest; ValueError with the reason it cannot be used."""
    day = _file_day(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ValueError(f"cannot read: {e.strerror}") from None
    return day, raw, hashlib.sha256(_reader_fingerprint() + raw).hexdigest()


def _parse_day(raw: bytes) -> DayPapers:
    """A day file's papers and warnings; ValueError with the reason it cannot be used."""
    try:
        return parse_daily_papers(loads(raw))
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg} at line {e.lineno})") from None
    except MalformedResponse as e:  # the wrong shape, or nesting too deep to decode
        raise ValueError(str(e)) from None


def _read_and_parse(path: Path) -> _Parsed:
    """What the read-ahead thread does with a file: everything that needs no database."""
    day, raw, digest = _day_digest(path)
    return _Parsed(day, digest, _parse_day(raw))


def import_file(
    db: sqlite_utils.Database,
    path: Path,
    clock: Clock | None = None,
    ahead: Prepared[_Parsed] | None = None,
) -> tuple[int, list[str]]:
    """Import one day file; raise ValueError with the reason it cannot be used. `ahead` is
    the file already read and parsed by `bot.sources.read_ahead`, when it was.

    A file unchanged since its last import (same bytes, same reading code, its day whole) is
    not read again (`storage.import_log`): the count and warnings are those it gave then."""
    if ahead is not None:
        parsed: _Parsed | None = ahead.get()
        day, digest = parsed.day, parsed.digest
    else:
        parsed = None
        day, raw, digest = _day_digest(path)
    if (seen := import_log.unchanged(db, day, digest)) is not None:
        return seen.papers, [f"{path.name}: {w}" for w in seen.warnings]
    papers = parsed.papers if parsed is not None else _parse_day(raw)
    at = (clock or SystemClock()).now().isoformat(timespec="seconds")
    try:
        # One file, one savepoint: its papers land with their day and its log line, or not at all.
        with transaction(db):
            n = paper_store.upsert_day(db, day, list(papers.papers))
            import_log.record(db, day, digest, n, list(papers.warnings), at)
    except (OverflowError, sqlite3.IntegrityError) as e:  # e.g. an upvote count past 64 bits
        raise ValueError(f"cannot be stored ({e}); nothing of it was imported") from None
    return n, [f"{path.name}: {w}" for w in papers.warnings]


@functools.cache
def _reader_fingerprint() -> bytes:
    """The code that turns a file into rows, as bytes: a digest of a day file includes it, so
    a paperbot that reads or stores papers differently (a new field, a better cleanup)
    imports every file afresh instead of skipping it as unchanged."""
    from bot.sources import hf_parse

    sources = [Path(m.__file__).read_bytes() for m in (hf_parse, paper_store, model_module)]
    return hashlib.sha256(b"\0".join(sources)).digest()


# Papers per import transaction. One transaction per file paid a commit and an index flush
# per day; one per import would hold the write lock for as long as the import runs, and the
# bot (posting, saving) waits on that lock for at most storage.db.BUSY_TIMEOUT_MS. A batch
# of this size writes in ~0.3 s on a quiet machine; docs/benchmarks.md "Import".
IMPORT_BATCH_PAPERS = 2000


def import_paths(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    progress: Callable[[Path], None] | None = None,
    clock: Clock | None = None,
) -> ImportReport:
    """Import day files in batches of about IMPORT_BATCH_PAPERS papers, each batch one
    transaction that indexes its new papers once (`storage.bulk.deferred_index`). Each file
    is its own savepoint inside it, so a bad file still costs only itself; a crash loses at
    most the batch in flight, and importing again is an upsert (files unchanged since their
    last import are skipped: `import_file`). Files are parsed ahead while a batch is indexed
    (`bot.sources.read_ahead`), and the savepoint journals kept in memory
    (`storage.bulk.journals_in_memory`)."""
    files, missing = expand_paths(paths)
    report = ImportReport(rejected=list(missing))
    with journals_in_memory(db), ReadAhead(files, _read_and_parse) as ahead:
        pending = iter(ahead)
        for first in pending:  # a batch opens only when there is a file for it
            batch = itertools.chain([first], pending)
            _import_batch(db, batch, ahead, report, progress, clock)
    return report


def _import_batch(
    db: sqlite_utils.Database,
    files: Iterator[tuple[Path, Prepared[_Parsed] | None]],
    ahead: ReadAhead[_Parsed],
    report: ImportReport,
    progress: Callable[[Path], None] | None,
    clock: Clock | None,
) -> None:
    """Import files from `files` until a batch's worth of papers, in one transaction."""
    papers = 0
    try:
        with deferred_index(db):
            for f, prepared in files:
                try:
                    n, warnings = import_file(db, f, clock, prepared)
                except ValueError as e:
                    report.rejected.append((str(f), str(e)))
                else:
                    report.files += 1
                    report.papers += n
                    papers += n
                    report.warnings.extend(warnings)
                if progress:
                    progress(f)
                if papers >= IMPORT_BATCH_PAPERS:
                    break
            # The block's end indexes the batch and commits: long SQLite calls that let go
            # of the GIL, so the next batch's files are parsed meanwhile (bot.sources.read_ahead).
            ahead.allow(True)
    finally:
        ahead.allow(False)
