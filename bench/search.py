"""`/papers search <words>`: 200 queries from the corpus's own keywords.

Usage: python bench/search.py [--papers N] [--db PATH] [--rounds R] [--queries Q]

Baseline, timed in the same rounds: the raw SQLite FTS5 lookup of the same words
(`SELECT rowid FROM papers_fts WHERE papers_fts MATCH '"w1" "w2"' ORDER BY rank LIMIT 10`),
on its own plain sqlite3 connection. Target at 100,000 papers: p50 ≤ 5 ms, p99 ≤ 50 ms
(at 1,000,000: p99 ≤ 200 ms).
"""

from __future__ import annotations

import sys

import harness  # bench/ is on sys.path when run as a script


def main(argv: list[str] | None = None) -> int:
    args = harness.arg_parser(__doc__).parse_args(argv)
    queries = harness.keyword_queries(args.queries, args.data)
    harness.search_figure(
        args, queries, harness.fts_words, "search <words>", "p50 ≤ 5 ms, p99 ≤ 50 ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
