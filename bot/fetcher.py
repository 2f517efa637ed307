"""`paperbot fetch` and the scheduler's fetch job: days from Hugging Face, enriched from arXiv."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.sources.merge import merge_arxiv
from storage import papers as paper_store

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)


@dataclass
class FetchReport:
    days: int = 0
    papers: int = 0
    enriched: int = 0
    warnings: list[str] = field(default_factory=list)


def day_range(start: str, end: str) -> list[str]:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if b < a:
        raise ValueError(f"--to {end} is before --from {start}")
    return [(a + timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]


def _unenriched(core: Core, ids: list[str]) -> list[str]:
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    rows = core.db.execute(
        f"SELECT id FROM papers WHERE id IN ({marks}) AND arxiv_enriched_at IS NOT NULL", ids
    ).fetchall()
    done = {r[0] for r in rows}
    return [i for i in ids if i not in done]


async def fetch_day(core: Core, day: str, report: FetchReport) -> None:
    """Fetch one day (all pages), enrich papers arXiv hasn't filled yet, and upsert."""
    result = await core.hf.daily(date=day)
    papers = list(result.papers)
    report.warnings.extend(f"{day}: {w}" for w in result.warnings)
    found: dict = {}
    if core.config.sources.arxiv_enrich and papers:
        todo = _unenriched(core, [p.id for p in papers])
        if todo:
            found = await core.arxiv.lookup(todo)
            papers = [merge_arxiv(p, found[p.id]) if p.id in found else p for p in papers]
            report.enriched += len(found)
    paper_store.upsert_day(core.db, day, papers)
    if found:
        now = core.clock.now().isoformat(timespec="seconds")
        with core.db.conn:
            for pid in found:
                core.db.execute("UPDATE papers SET arxiv_enriched_at = ? WHERE id = ?", [now, pid])
    _log_fetch(core, day, len(papers), None)
    report.days += 1
    report.papers += len(papers)


def _log_fetch(core: Core, key: str, n: int, error: str | None) -> None:
    with core.db.conn:
        core.db["fetch_log"].upsert(
            {
                "source": "hf",
                "key": key,
                "fetched_at": core.clock.now().isoformat(timespec="seconds"),
                "papers": n,
                "error": error,
            },
            pk=("source", "key"),
        )


async def fetch_days(
    core: Core, days: list[str], on_day: Callable[[str], None] | None = None
) -> FetchReport:
    from bot.sources.errors import SourceError

    report = FetchReport()
    for day in days:
        try:
            await fetch_day(core, day, report)
        except SourceError as e:
            _log_fetch(core, day, 0, str(e))
            raise
        if on_day:
            on_day(day)
    return report
