"""Everything that posts on a clock: channels, triggers, the day's thread, delivery, alerts,
scheduler.

`posting` is the port to the platforms (and the key every message carries); `channels` is a
channel's settings and the one way they change; `triggers` says when; `thread` says what;
`delivery` sends it exactly once through the ledger; `alerts` sends personal DMs;
`scheduler` runs it all.
"""
