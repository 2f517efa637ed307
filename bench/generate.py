"""Build a large, deterministic paper database from the recorded corpus, for the benchmarks.

Usage: python bench/generate.py [--papers N] [--out PATH] [--seed S] [DATA_DIR]

The 393 recorded `daily_papers` days (5,841 real papers) stay on their own days; every day is
then topped up with generated variants until the database holds N papers (100,000 → about 254
a day, 1,000,000 → about 2,545 a day, the density arXiv discovery brings). A variant is
stitched from real papers of nearby days: half of one title and half of another, the
abstract's sentences alternated with another abstract's, keywords mixed, authors drawn from
the real author pool, fewer upvotes than its model. So word frequencies, phrase lengths and
topical drift over time stay those of the real corpus, and every query written from real
keywords finds what it would find in a bigger real archive.

The schema is the product's own (`storage.open_db` runs every migration), rows come from
`storage.papers.paper_row`, and papers go in day by day, oldest first, so rowids grow with
time as they do when days arrive one by one. The FTS index is built once at the end (the
same triggers then keep it up to date). Same seed and corpus → the same database.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import time
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bot.model import Paper  # noqa: E402
from bot.sources.hf_parse import parse_daily_papers  # noqa: E402
from storage.db import open_db  # noqa: E402
from storage.papers import paper_row  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "hf-daily-papers"
FIXTURE_DATA = REPO_ROOT / "tests" / "fixtures" / "days"
DEFAULT_OUT = Path("/tmp/paperbot-bench")
NEARBY_DAYS = 15  # variants borrow from real papers this many days either side
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_COLUMNS = (
    "id", "title", "abstract", "authors", "authors_text", "published_at", "upvotes",
    "num_comments", "ai_summary", "ai_keywords", "keywords_text", "github_repo", "github_stars",
    "project_page", "organization", "categories", "primary_category", "updated_at",
)  # fmt: skip


def data_dir_default() -> Path:
    return DEFAULT_DATA if DEFAULT_DATA.is_dir() else FIXTURE_DATA


def real_days(data_dir: Path) -> list[tuple[str, list[Paper]]]:
    """(day, papers) for every readable recorded day, oldest first."""
    out = []
    for path in sorted(data_dir.glob("*.json")):
        try:
            papers = list(parse_daily_papers(json.loads(path.read_bytes())).papers)
        except Exception:  # noqa: BLE001 - a bad file is simply not part of the corpus
            continue
        if papers:
            out.append((path.stem, papers))
    return out


def variant(rng: random.Random, k: int, day: str, a: Paper, b: Paper, names: list[str]) -> Paper:
    """Generated paper number `k`, listed on `day`, stitched from real papers `a` and `b`."""
    ta, tb = a.title.split(), b.title.split()
    title = " ".join(ta[: max(1, len(ta) // 2)] + tb[len(tb) // 2 :])
    sa, sb = _SENTENCE.split(a.abstract or ""), _SENTENCE.split(b.abstract or "")
    abstract = " ".join(s for pair in zip_longest(sa[0::2], sb[1::2]) for s in pair if s)
    keywords = a.ai_keywords[: len(a.ai_keywords) // 2] + b.ai_keywords[len(b.ai_keywords) // 2 :]
    authors = tuple(dict.fromkeys(a.authors[:1] + tuple(rng.sample(names, rng.randint(1, 7)))))
    return replace(
        a,
        # arXiv-shaped but never real: 90xx is the 2090s (a real month, so ids pass the checks)
        id=f"90{1 + (k // 100_000) % 12:02d}.{k % 100_000:05d}",
        title=title,
        abstract=abstract,
        authors=authors,
        ai_keywords=tuple(dict.fromkeys(keywords)),
        upvotes=int((a.upvotes or 0) * rng.random() ** 3),
        num_comments=0,
        ai_summary=None if rng.random() < 0.5 else b.ai_summary,
        github_repo=a.github_repo if rng.random() < 0.3 else None,
        project_page=b.project_page if rng.random() < 0.2 else None,
        organization=a.organization if rng.random() < 0.3 else None,
        published_at=f"{day}T00:00:00.000Z",
    )


def _row(paper: Paper, now: str) -> tuple:
    row = paper_row(paper)
    row["updated_at"] = now
    row.setdefault("abstract", "")
    return tuple(row.get(c) for c in _COLUMNS)


_REBUILT = ("papers_fts", "papers_heading")


def _fts_triggers(conn: sqlite3.Connection) -> list[str]:
    """The triggers that keep the porter and heading indexes: dropped for the load, the
    indexes rebuilt once after (the other indexes' triggers stay on)."""
    rows = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers'"
    )
    return [sql for (sql,) in rows if any(f"INTO {t} " in sql for t in _REBUILT)]


def generate(out: Path, n: int, data_dir: Path, seed: int = 15, quiet: bool = False) -> Path:
    """Write the database to `out` (replacing it) and return its path."""
    days = real_days(data_dir)
    if not days:
        raise SystemExit(f"no recorded days in {data_dir}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    open_db(out).conn.close()  # the product's schema, every migration applied
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA synchronous=OFF")
    triggers = _fts_triggers(conn)
    for sql in triggers:
        conn.execute(f"DROP TRIGGER {sql.split()[2]}")
    rng = random.Random(seed)
    names = sorted({a for _, ps in days for p in ps for a in p.authors})
    real_total = len({p.id for _, ps in days for p in ps})
    extra = max(0, n - real_total)
    seen: set[str] = set()
    k = 0
    marks = ", ".join("?" for _ in _COLUMNS)
    insert = f"INSERT INTO papers ({', '.join(_COLUMNS)}) VALUES ({marks})"
    started = time.perf_counter()
    for d, (day, papers) in enumerate(days):
        quota = extra * (d + 1) // len(days) - extra * d // len(days)
        lo, hi = max(0, d - NEARBY_DAYS), min(len(days), d + NEARBY_DAYS + 1)
        nearby = [p for _, ps in days[lo:hi] for p in ps]
        made = []
        for _ in range(quota):
            made.append(variant(rng, k, day, rng.choice(nearby), rng.choice(nearby), names))
            k += 1
        fresh = [p for p in papers if p.id not in seen]
        seen.update(p.id for p in fresh)
        now = f"{day}T12:00:00+00:00"
        conn.executemany(insert, [_row(p, now) for p in fresh + made])
        listed = sorted(papers + made, key=lambda p: (-(p.upvotes or 0), p.id))
        conn.executemany(
            "INSERT OR IGNORE INTO daily_entries (day, paper_id, rank, upvotes, seen_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(day, p.id, r, p.upvotes, now) for r, p in enumerate(listed, 1)],
        )
        if not quiet and d % 50 == 0:
            print(f"  {day}: {len(seen) + k:,} papers ({time.perf_counter() - started:.0f} s)")
    conn.commit()
    for table in _REBUILT:
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
    for sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    if not quiet:
        print(f"{out}: {len(seen) + k:,} papers in {time.perf_counter() - started:.0f} s")
    return out


def default_path(n: int) -> Path:
    return DEFAULT_OUT / f"papers-{n}.db"


def ensure(n: int, data_dir: Path | None = None, path: Path | None = None) -> Path:
    """The benchmark database with `n` papers, generated first if it is not there yet."""
    path = path or default_path(n)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generate(path, n, data_dir or data_dir_default())
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", type=Path)
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args(argv)
    out = args.out or default_path(args.papers)
    out.parent.mkdir(parents=True, exist_ok=True)
    generate(out, args.papers, args.data_dir or data_dir_default(), args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
