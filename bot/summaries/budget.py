"""A daily cap on LLM calls, kept in the database so restarts and parallel tasks share it."""

from __future__ import annotations

from datetime import UTC

import sqlite_utils

from bot.clock import Clock

# One statement, so the check and the increment cannot race: the upsert only touches the row
# while it is below the cap, and `changes()` tells whether a call was granted.
_SPEND = (
    "INSERT INTO llm_usage (day, calls) VALUES (?, 1) "
    "ON CONFLICT(day) DO UPDATE SET calls = calls + 1 WHERE calls < ?"
)


class LLMBudget:
    """`max_calls_per_day` LLM calls per UTC day, counted in the `llm_usage` table."""

    def __init__(self, db: sqlite_utils.Database, max_calls_per_day: int, clock: Clock) -> None:
        self._db = db
        self.max_calls_per_day = max_calls_per_day
        self._clock = clock

    def today(self) -> str:
        return self._clock.now().astimezone(UTC).date().isoformat()

    def try_spend(self) -> bool:
        """Count one call and return True, or return False when today's budget is used up."""
        if self.max_calls_per_day <= 0:
            return False
        with self._db.conn:
            cursor = self._db.execute(_SPEND, [self.today(), self.max_calls_per_day])
            return cursor.rowcount == 1

    def used_today(self) -> int:
        row = self._db.execute(
            "SELECT calls FROM llm_usage WHERE day = ?", [self.today()]
        ).fetchone()
        return int(row[0]) if row else 0

    def remaining_today(self) -> int:
        return max(0, self.max_calls_per_day - self.used_today())
