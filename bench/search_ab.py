"""`/papers search <words>` from two source trees in one process, beside the raw FTS5 lookup.

Usage: python bench/search_ab.py OLD_TREE [NEW_TREE] [--papers N] [--rounds R] [--cpu]

On a machine others load, two runs minutes apart are not comparable; this loads the bot
from OLD_TREE (e.g. `git archive <commit> | tar -x -C /tmp/old`), then from NEW_TREE (this
checkout by default) under fresh module names, checks that both give the same replies to
every query, and times them and the raw FTS5 top 10 interleaved query by query (which goes
first rotates). `--cpu` times process CPU instead of wall time: SQLite runs in-process, so
it counts the whole search, and other processes' load moves it less.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

_TOP = ("bot", "adapters", "storage", "bench", "harness", "generate", "topic_matching")


def load(tree: Path, papers: int) -> tuple[Callable[[str], object], list[str], Path]:
    """A `/papers search` pusher built from `tree`'s modules, the queries, the database."""
    sys.path[:0] = [str(tree), str(tree / "bench")]
    try:
        import harness  # bench/ of `tree`

        db = harness.generate.ensure(papers)
        bot = harness.open_bot(db)
        push = harness.run_command(bot, asyncio.new_event_loop())
        queries = harness.keyword_queries(200)
    finally:
        del sys.path[:2]
        for name in [n for n in sys.modules if n.split(".")[0] in _TOP]:
            del sys.modules[name]  # the next tree imports its own; these objects keep theirs
    return (lambda q: push(f"search {q}")), queries, db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path, nargs="?", default=Path(__file__).resolve().parents[1])
    ap.add_argument("--papers", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cpu", action="store_true")
    args = ap.parse_args(argv)
    old, queries, db = load(args.old, args.papers)
    new, _, _ = load(args.new, args.papers)
    raw = sqlite3.connect(db)
    sql = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 10"

    def fts(q: str) -> object:
        return raw.execute(sql, [" ".join(f'"{w}"' for w in q.replace('"', "").split())]).fetchall()

    for q in queries:
        a, b = old(q), new(q)
        said = [[(r.text, [c.paper_id for c in r.cards]) for r in x] for x in (a, b)]
        if said[0] != said[1]:
            raise SystemExit(f"the trees answer {q!r} differently")
    clock = time.process_time if args.cpu else time.perf_counter
    fns = {"old": old, "new": new, "raw FTS5": fts}
    per: dict[str, list[tuple[float, float]]] = {k: [] for k in fns}
    for r in range(args.rounds):
        took: dict[str, list[float]] = {k: [] for k in fns}
        for i, q in enumerate(queries):
            names = list(fns)
            k = (i + r) % len(names)
            for name in names[k:] + names[:k]:
                start = clock()
                fns[name](q)
                took[name].append(clock() - start)
        for name, t in took.items():
            t.sort()
            per[name].append((t[len(t) // 2 - 1] * 1000, t[int(len(t) * 0.99) - 1] * 1000))
    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    kind = "CPU" if args.cpu else "wall"
    print(f"{len(queries)} queries, same replies · {kind} time · load {load_avg}")
    for name, rounds in per.items():
        p50 = statistics.median(a for a, _ in rounds)
        p99 = statistics.median(b for _, b in rounds)
        print(f"  {name:<9} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
