"""Everything that posts on a clock: triggers, the day's thread, delivery, alerts, scheduler.

`posting` is the port to the platforms; `triggers` says when; `thread` says what; `delivery`
sends it exactly once through the ledger; `alerts` sends personal DMs; `scheduler` runs it all.
"""
