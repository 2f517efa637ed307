"""What every latency benchmark shares: the database, the bot, queries from real keywords,
and side-by-side timing.

The machine is shared (2 cores, other people's test runs), so a figure alone means little:
each script times paperbot and its baseline in the same rounds, interleaved query by query
(which goes first alternates), and reports the median over rounds of each percentile, plus
their ratio. Commands go through the memory adapter (`await bot.push("/papers …")`), the
whole command path a chat user triggers, minus the network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from adapters.memory import MemoryAdapter  # noqa: E402
from bench import generate  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.core import Core  # noqa: E402

NOWHERE = "http://127.0.0.1:9"  # a closed loopback port: a stray network call fails at once


def arg_parser(doc: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=100_000, help="database size (generated once)")
    ap.add_argument("--db", type=Path, help="use this database instead of the generated one")
    ap.add_argument("--data", type=Path, help="recorded corpus (default: shared data)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--queries", type=int, default=200)
    return ap


def database(args: argparse.Namespace) -> Path:
    return args.db or generate.ensure(args.papers, args.data)


def open_bot(path: Path) -> MemoryAdapter:
    """The bot on `path`, offline, its clock on the database's latest day."""
    config = Config.model_validate(
        {"sources": {"hf_base_url": NOWHERE, "arxiv_base_url": NOWHERE, "max_retries": 0}}
    )
    conn = sqlite3.connect(path)
    (day,) = conn.execute("SELECT MAX(day) FROM daily_entries").fetchone()
    conn.close()
    start = datetime.fromisoformat(f"{day or '2025-10-01'}T12:00:00+00:00").astimezone(UTC)
    return MemoryAdapter(Core.open(config, str(path), clock=FakeClock(start)))


def raw_connection(path: Path) -> sqlite3.Connection:
    """The baseline's own connection: plain sqlite3, nothing of paperbot's."""
    return sqlite3.connect(path)


# --- queries from the recorded corpus ------------------------------------------------------
def corpus_entries(data_dir: Path | None = None) -> list[dict]:
    out = []
    for path in sorted((data_dir or generate.data_dir_default()).glob("*.json")):
        try:
            entries = json.loads(path.read_bytes())
        except ValueError:
            continue
        out.extend(e["paper"] for e in entries if isinstance(e, dict) and "paper" in e)
    return out


def keyword_queries(n: int, data_dir: Path | None = None, seed: int = 15) -> list[str]:
    """`n` real ai_keywords, typed as a user would (no quotes: every word must match)."""
    kws = sorted(
        {
            " ".join(k.lower().split())
            for p in corpus_entries(data_dir)
            for k in p.get("ai_keywords") or []
            if k.isascii() and 3 <= len(k) <= 40 and '"' not in k
        }
    )
    return random.Random(seed).sample(kws, min(n, len(kws)))


def keyword_words(data_dir: Path | None = None) -> list[str]:
    """Single keyword words by frequency, most frequent first (letters only, > 3 long)."""
    counts: Counter[str] = Counter(
        w
        for p in corpus_entries(data_dir)
        for k in p.get("ai_keywords") or []
        for w in k.lower().split()
        if w.isalpha() and w.isascii() and len(w) > 3
    )
    return [w for w, _ in counts.most_common()]


def author_names(n: int, data_dir: Path | None = None, seed: int = 15) -> list[str]:
    names = sorted(
        {
            a["name"]
            for p in corpus_entries(data_dir)
            for a in p.get("authors") or []
            if isinstance(a, dict) and " " in a.get("name", "") and '"' not in a["name"]
        }
    )
    return random.Random(seed).sample(names, min(n, len(names)))


def fts_words(text: str) -> str:
    """`text`'s words as an FTS5 AND of quoted strings: what a raw lookup would send."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in text.split())


# --- timing --------------------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Figures:
    """Median over rounds of each round's p50 and p99, in milliseconds."""

    p50: float
    p99: float
    rounds: list[tuple[float, float]]

    @classmethod
    def of(cls, rounds: list[list[float]]) -> Figures:
        per = [(percentile(r, 50) * 1000, percentile(r, 99) * 1000) for r in rounds]
        return cls(statistics.median(a for a, _ in per), statistics.median(b for _, b in per), per)


def side_by_side(
    items: Sequence[object],
    ours: Callable[[object], object],
    baseline: Callable[[object], object] | None,
    rounds: int,
) -> tuple[Figures, Figures | None]:
    """Time `ours(item)` and `baseline(item)` for every item, interleaved, `rounds` times."""
    mine: list[list[float]] = []
    theirs: list[list[float]] = []
    for r in range(rounds):
        a: list[float] = []
        b: list[float] = []
        for i, item in enumerate(items):
            pair = [(ours, a), (baseline, b)] if baseline else [(ours, a)]
            if (i + r) % 2 and baseline:
                pair.reverse()
            for fn, out in pair:
                start = time.perf_counter()
                fn(item)
                out.append(time.perf_counter() - start)
        mine.append(a)
        theirs.append(b)
    return Figures.of(mine), (Figures.of(theirs) if baseline else None)


def run_command(bot: MemoryAdapter, loop: asyncio.AbstractEventLoop, user: str = "U1"):
    """A callable that pushes `/papers <text>` through the memory adapter and returns replies."""

    def push(text: object) -> object:
        replies = loop.run_until_complete(bot.push(f"/papers {text}", user_id=user))
        if any(r.is_error for r in replies):
            raise SystemExit(f"/papers {text} failed: {replies[0].text}")
        return replies

    return push


def machine() -> str:
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "?"
    return (
        f"{platform.machine()} · {platform.python_implementation()} {platform.python_version()}"
        f" · SQLite {sqlite3.sqlite_version} · load {load}"
    )


def report(
    title: str, ours: Figures, base: Figures | None, base_name: str, target: str, db: Path
) -> None:
    papers = sqlite3.connect(db).execute("SELECT COUNT(*) FROM papers").fetchone()[0]
    print(f"{title} · {papers:,} papers · {machine()}")
    print(f"  paperbot   p50 {ours.p50:8.2f} ms   p99 {ours.p99:8.2f} ms   target {target}")
    if base:
        print(f"  {base_name:<10} p50 {base.p50:8.2f} ms   p99 {base.p99:8.2f} ms")
        print(f"  ratio      p50 {ours.p50 / base.p50:8.2f} ×    p99 {ours.p99 / base.p99:8.2f} ×")
    rounds = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in ours.rounds)
    print(f"  paperbot per round p50/p99 ms: {rounds}")


RAW_TOP10 = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 10"


def search_figure(
    args: argparse.Namespace,
    queries: Sequence[str],
    raw_match: Callable[[str], str],
    title: str,
    target: str,
) -> tuple[Figures, Figures]:
    """`/papers search <q>` for every query beside the raw FTS5 top-10 of `raw_match(q)`."""
    db = database(args)
    bot, raw = open_bot(db), raw_connection(db)
    push = run_command(bot, asyncio.new_event_loop())
    ours, base = side_by_side(
        queries,
        lambda q: push(f"search {q}"),
        lambda q: raw.execute(RAW_TOP10, [raw_match(str(q))]).fetchall(),
        args.rounds,
    )
    report(title, ours, base, "raw FTS5", target, db)
    return ours, base


def topic_texts(n: int, data_dir: Path | None = None, seed: int = 7) -> list[str]:
    """`n` topics written the way users write them (bench/topic_matching.py's mix)."""
    import topic_matching  # bench/ is on sys.path

    rng = random.Random(seed)
    phrases, words, authors = topic_matching.corpus_words(data_dir or generate.data_dir_default())
    return [topic_matching.make_topic(rng, phrases, words, authors) for _ in range(n)]


def raw_count_sql(topic: str) -> tuple[str, list[str]] | None:
    """The baseline for a topic: a raw FTS5 count of its positive words over the whole index."""
    from bot.query.ast import TEXT_NODES, positive_atoms
    from bot.query.parser import parse_query

    atoms = [a for a in positive_atoms(parse_query(topic).root) if isinstance(a, TEXT_NODES)]
    if not atoms:
        return None
    text = " ".join(a.word if hasattr(a, "word") else " ".join(a.words) for a in atoms)
    return "SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH ?", [fts_words(text)]
