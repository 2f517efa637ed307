"""`/papers search <words>`: 200 queries from the corpus's own keywords, at 100k papers.

Usage: python bench/search.py [--papers N] [--db PATH] [--rounds R] [--queries Q]

Baseline, timed in the same rounds: the raw SQLite FTS5 lookup of the same words
(`SELECT rowid FROM papers_fts WHERE papers_fts MATCH '"w1" "w2"' ORDER BY rank LIMIT 10`),
on its own plain sqlite3 connection. Target at 100,000 papers: p50 ≤ 5 ms, p99 ≤ 50 ms
(at 1,000,000: p99 ≤ 200 ms).
"""

from __future__ import annotations

import asyncio
import sys

import harness  # noqa: I001 - bench/ is on sys.path when run as a script

RAW = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank LIMIT 10"


def main(argv: list[str] | None = None) -> int:
    args = harness.arg_parser(__doc__).parse_args(argv)
    db = harness.database(args)
    queries = harness.keyword_queries(args.queries, args.data)
    bot, raw = harness.open_bot(db), harness.raw_connection(db)
    push = harness.run_command(bot, asyncio.new_event_loop())
    ours, base = harness.side_by_side(
        [f"search {q}" for q in queries],
        push,
        lambda text: raw.execute(RAW, [harness.fts_words(text[len("search ") :])]).fetchall(),
        args.rounds,
    )
    harness.report("search <words>", ours, base, "raw FTS5", "p50 ≤ 5 ms, p99 ≤ 50 ms", db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
