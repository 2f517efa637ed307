"""`paperbot import` of the recorded days, fresh and unchanged, beside a plain sqlite3 script.

Usage: python bench/import_speed.py [DATA_DIR] [--rounds R]

paperbot: `bot.ingest.import_paths` (what `paperbot import DIR` runs) into a new database file
(fresh), then the same files again (unchanged: every paper already stored as it is). Baseline,
interleaved in the same rounds: a plain sqlite3 script that reads the same files, bulk-inserts
the same rows into the same tables in one transaction and rebuilds the FTS index once (fresh),
then inserts them again skipping what is there (unchanged). Medians of R rounds (default 3).
Target: within 2× of the script, fresh and unchanged.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import harness  # bench/ is on sys.path when run as a script

from bot.ingest import import_paths
from storage.db import open_db

_SCHEMA = (
    "CREATE TABLE papers (id TEXT PRIMARY KEY, title TEXT NOT NULL, abstract TEXT,"
    " authors TEXT, authors_text TEXT, published_at TEXT, upvotes INTEGER, ai_summary TEXT,"
    " ai_keywords TEXT, keywords_text TEXT, github_repo TEXT, project_page TEXT,"
    " organization TEXT)",
    "CREATE TABLE daily_entries (day TEXT, paper_id TEXT, rank INTEGER, upvotes INTEGER,"
    " PRIMARY KEY (day, paper_id))",
    "CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, keywords_text, authors_text,"
    " tokenize='porter', content='papers')",
)
_INSERT = "INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
_ENTRY = "INSERT INTO daily_entries VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"


def _rows(files: list[Path]) -> tuple[list[tuple], list[tuple]]:
    papers, entries = [], []
    for f in files:
        data = json.loads(f.read_bytes())
        ranked = sorted(data, key=lambda e: -(e["paper"].get("upvotes") or 0))
        for rank, e in enumerate(ranked, 1):
            p = e["paper"]
            names = [a["name"] for a in p.get("authors", []) if a.get("name")]
            kws = p.get("ai_keywords") or []
            org = (p.get("organization") or e.get("organization") or {}).get("name")
            papers.append(
                (p["id"], p.get("title") or "", p.get("summary") or "", json.dumps(names),
                 ", ".join(names), p.get("publishedAt"), p.get("upvotes"), p.get("ai_summary"),
                 json.dumps(kws), ", ".join(kws), p.get("githubRepo"), p.get("projectPage"), org)
            )  # fmt: skip
            entries.append((f.stem, p["id"], rank, p.get("upvotes")))
    return papers, entries


def plain_script(path: Path, files: list[Path], fresh: bool) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    papers, entries = _rows(files)
    with conn:
        if fresh:
            for sql in _SCHEMA:
                conn.execute(sql)
        conn.executemany(_INSERT, papers)
        conn.executemany(_ENTRY, entries)
        if fresh:
            conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
    conn.close()


def paperbot(path: Path, files: list[Path]) -> None:
    db = open_db(path)
    report = import_paths(db, files)
    if report.rejected:
        raise SystemExit(f"import rejected {report.rejected[:3]}")
    db.conn.close()


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    data = args.data_dir or harness.generate.data_dir_default()
    files = sorted(data.glob("*.json"))
    times: dict[str, list[float]] = {k: [] for k in ("ours", "ours_again", "base", "base_again")}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            ours, base = Path(tmp, f"ours{r}.db"), Path(tmp, f"base{r}.db")
            pair = [
                ("ours", lambda o=ours: paperbot(o, files)),
                ("base", lambda b=base: plain_script(b, files, True)),
            ]
            again = [
                ("ours_again", lambda o=ours: paperbot(o, files)),
                ("base_again", lambda b=base: plain_script(b, files, False)),
            ]
            for group in (pair, again):
                for name, fn in group if r % 2 == 0 else reversed(group):
                    times[name].append(timed(fn))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"import of {len(files)} recorded days · {harness.machine()}")
    for label, a, b in (("fresh", "ours", "base"), ("unchanged", "ours_again", "base_again")):
        print(
            f"  {label:<9}  paperbot {med[a]:6.2f} s   plain sqlite3 {med[b]:6.2f} s"
            f"   ratio {med[a] / med[b]:5.2f} ×   (target ≤ 2 ×)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
