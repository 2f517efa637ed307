"""`/papers subscribe <topic>`: 200 topics written the way users write them.

Usage: python bench/subscribe.py [--papers N] [--db PATH] [--rounds R] [--queries Q]

Each timed call subscribes one fresh user to one topic (the reply counts its matches over the
last 30 days); the topic is removed again, untimed, so every round starts alike. Baseline,
same rounds: the raw FTS5 `SELECT COUNT(*) … MATCH` of the topic's words over the whole
index. Target at 100,000 papers: p99 ≤ 50 ms.
"""

from __future__ import annotations

import asyncio
import sys

import harness  # bench/ is on sys.path when run as a script

PLATFORM = "bench-subscribe"


def main(argv: list[str] | None = None) -> int:
    args = harness.arg_parser(__doc__).parse_args(argv)
    db = harness.database(args)
    bot, raw = harness.open_bot(db), harness.raw_connection(db)
    bot.place = bot.place.__class__(PLATFORM, "C1", "W1")
    topics = harness.topic_texts(args.queries, args.data, seed=15)
    baselines = {t: harness.raw_count_sql(t) for t in topics}
    loop = asyncio.new_event_loop()
    conn = bot.core.db.conn

    def ours(topic: object) -> object:
        out = loop.run_until_complete(bot.push(f"/papers subscribe {topic}", user_id="S1"))
        if out[0].is_error:
            raise SystemExit(f"subscribe {topic} failed: {out[0].text}")
        return out

    def base(topic: object) -> object:
        q = baselines[str(topic)]
        return raw.execute(*q).fetchone() if q else None

    def tidy() -> None:
        with conn:
            for table in ("topics", "audit_log", "user_prefs"):
                conn.execute(f"DELETE FROM {table} WHERE platform = ?", [PLATFORM])

    def ours_then_tidy(topic: object) -> object:
        out = ours(topic)
        conn.execute("DELETE FROM topics WHERE platform = ?", [PLATFORM])
        return out

    try:
        mine, theirs = harness.side_by_side(topics, ours_then_tidy, base, args.rounds)
    finally:
        tidy()
    harness.report("subscribe", mine, theirs, "raw count", "p99 ≤ 50 ms", db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
