"""`/papers today`, `/papers top week` and `/papers show <id>`: kept fast at scale.

Usage: python bench/browse.py [--papers N] [--db PATH] [--rounds R] [--queries Q]

Each round runs `today`, `top week` and `top month` 20 times each and `show` of Q (default
100) stored papers (seed 15); each is reported on its own. Baseline, same rounds: plain SQL
for the rows each answer shows, on its own sqlite3 connection (the latest day's 10 best
ranked; the period's 10 most upvoted; one row by id). Target: p99 ≤ 6 ms at 100,000 papers
(kept, not a new target).
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta

import harness  # bench/ is on sys.path when run as a script

_TODAY = (
    "SELECT papers.* FROM daily_entries d JOIN papers ON papers.id = d.paper_id"
    " WHERE d.day = (SELECT MAX(day) FROM daily_entries) ORDER BY d.rank LIMIT 10"
)
_TOP = (
    "SELECT papers.* FROM daily_entries d JOIN papers ON papers.id = d.paper_id"
    " WHERE d.day BETWEEN ? AND ? GROUP BY papers.id"
    " ORDER BY papers.upvotes DESC LIMIT 10"
)
_SHOW = "SELECT * FROM papers WHERE id = ?"


def main(argv: list[str] | None = None) -> int:
    ap = harness.arg_parser(__doc__)
    ap.set_defaults(queries=100)
    args = ap.parse_args(argv)
    db = harness.database(args)
    bot, raw = harness.open_bot(db), harness.raw_connection(db)
    ids = [r[0] for r in raw.execute("SELECT id FROM papers ORDER BY rowid").fetchall()]
    shown = random.Random(15).sample(ids, min(args.queries, len(ids)))
    (end,) = raw.execute("SELECT MAX(day) FROM daily_entries").fetchone()
    week, month = (str(date.fromisoformat(end) - timedelta(days=n)) for n in (6, 29))
    kinds = {
        "today": [("today", (_TODAY, []))] * 20,
        "top week": [("top week", (_TOP, [week, end]))] * 20,
        "top month": [("top month", (_TOP, [month, end]))] * 20,
        "show": [(f"show {i}", (_SHOW, [i])) for i in shown],
    }
    push = harness.run_command(bot, harness.asyncio.new_event_loop())
    for kind, items in kinds.items():
        ours, base = harness.side_by_side(
            items, lambda c: push(c[0]), lambda c: raw.execute(*c[1]).fetchall(), args.rounds
        )
        harness.report(kind, ours, base, "plain SQL", "p99 ≤ 6 ms (kept)", db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
