"""`/papers topics` with 25 topics, each shown with its match count over the last 30 days.

Usage: python bench/topics.py [--papers N] [--db PATH] [--rounds R] [--queries USERS]

USERS (default 20) users get 25 topics each, written the way users write them (the mix of
bench/topic_matching.py, seed 7), stored straight into the bench database and removed at the
end. Each timed call is one user's `/papers topics`. Baseline, same rounds: 25 raw FTS5
`SELECT COUNT(*) … MATCH` of the same topics' words over the whole index (a topic without
words counts nothing). Target at 100,000 papers: p99 ≤ 50 ms.
"""

from __future__ import annotations

import asyncio
import sys

import harness  # bench/ is on sys.path when run as a script

PLATFORM = "bench-topics"
PER_USER = 25


def main(argv: list[str] | None = None) -> int:
    ap = harness.arg_parser(__doc__)
    ap.set_defaults(queries=20)
    args = ap.parse_args(argv)
    db = harness.database(args)
    bot, raw = harness.open_bot(db), harness.raw_connection(db)
    bot.place = bot.place.__class__(PLATFORM, "C1", "W1")
    texts = harness.topic_texts(args.queries * PER_USER, args.data)
    users = [f"U{i:03d}" for i in range(args.queries)]
    rows = [
        (PLATFORM, "W1", u, texts[i * PER_USER + j])
        for i, u in enumerate(users)
        for j in range(PER_USER)
    ]
    conn = bot.core.db.conn
    with conn:
        conn.execute("DELETE FROM topics WHERE platform = ?", [PLATFORM])
        conn.executemany(
            "INSERT INTO topics (platform, workspace_id, user_id, query) VALUES (?, ?, ?, ?)", rows
        )
    baselines = {
        u: [harness.raw_count_sql(t) for t in texts[i * PER_USER : (i + 1) * PER_USER]]
        for i, u in enumerate(users)
    }
    push_as = asyncio.new_event_loop()

    def ours(user: object) -> object:
        return push_as.run_until_complete(bot.push("/papers topics", user_id=str(user)))

    def base(user: object) -> object:
        return [raw.execute(*q).fetchone() for q in baselines[str(user)] if q]

    try:
        mine, theirs = harness.side_by_side(users, ours, base, args.rounds)
    finally:
        with conn:
            conn.execute("DELETE FROM topics WHERE platform = ?", [PLATFORM])
    harness.report(f"topics ({PER_USER} topics)", mine, theirs, "raw counts", "p99 ≤ 50 ms", db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
