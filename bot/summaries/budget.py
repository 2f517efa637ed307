"""A daily cap on LLM calls, kept in the database so restarts and parallel tasks share it."""

from __future__ import annotations

from datetime import UTC

import sqlite_utils

from bot.clock import Clock
from storage import summaries as summary_store


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
        return summary_store.spend_llm_call(self._db, self.today(), self.max_calls_per_day)

    def used_today(self) -> int:
        return summary_store.llm_calls(self._db, self.today())

    def remaining_today(self) -> int:
        return max(0, self.max_calls_per_day - self.used_today())
