"""`/papers search a OR b`: 200 pairs of keyword words from the recorded corpus.

Usage: python bench/search_or.py [--papers N] [--db PATH] [--rounds R] [--queries Q]

Words are drawn (seed 15) from the 2,000 most frequent single words of the corpus's
keywords, so pairs of common words ("model OR video") are in the mix. Baseline, same rounds:
the raw FTS5 `MATCH '"a" OR "b"' ORDER BY rank LIMIT 10`. Target at 100,000: p99 ≤ 50 ms.
"""

from __future__ import annotations

import random
import sys

import harness  # bench/ is on sys.path when run as a script


def main(argv: list[str] | None = None) -> int:
    args = harness.arg_parser(__doc__).parse_args(argv)
    words = harness.keyword_words(args.data)[:2000]
    rng = random.Random(15)
    queries = [f"{rng.choice(words)} OR {rng.choice(words)}" for _ in range(args.queries)]
    harness.search_figure(
        args,
        queries,
        lambda q: " OR ".join(harness.fts_words(w) for w in q.split(" OR ")),
        "search a OR b",
        "p99 ≤ 50 ms",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
