"""`/papers search author:"Name"`: 200 author names from the recorded corpus.

Usage: python bench/search_author.py [--papers N] [--db PATH] [--rounds R] [--queries Q]

Baseline, same rounds: the raw FTS5 lookup of the name in the index's author column
(`MATCH 'authors_text : "First Last"' ORDER BY rank LIMIT 10`). paperbot answers a
different, wider question (any substring of one author's name, so `author:wang` finds
"Wangchunshu Zhou" too), through its trigram index of names. Target at 100,000: p99 ≤ 10 ms.
"""

from __future__ import annotations

import sys

import harness  # bench/ is on sys.path when run as a script


def main(argv: list[str] | None = None) -> int:
    args = harness.arg_parser(__doc__).parse_args(argv)
    names = harness.author_names(args.queries, args.data)
    harness.search_figure(
        args,
        [f'author:"{n}"' for n in names],
        lambda q: "authors_text : " + harness.fts_words(q[len('author:"') : -1]),
        'search author:"…"',
        "p99 ≤ 10 ms",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
