"""The delivery ledger: every (target, day, item) recorded before and after it is sent.

A row is `pending` from the moment it is planned until the platform confirms it (`sent`, with
the message id) or refuses it for good (`failed`, with the reason). A restart finds the pending
rows and resumes them; nothing is planned twice for the same target and day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from storage.tx import transaction

PK = ("target", "day", "item")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    target: str
    day: str
    item: str
    status: str
    position: int
    message_id: str | None
    attempts: int
    reason: str | None


def _row(r: dict[str, Any]) -> LedgerRow:
    return LedgerRow(
        r["target"],
        r["day"],
        r["item"],
        r["status"],
        r["position"] or 0,
        r["message_id"],
        r["attempts"] or 0,
        r["reason"],
    )


class Ledger:
    def __init__(self, db: sqlite_utils.Database, now: Any = None) -> None:
        self.db = db
        self._now = now or (lambda: datetime.now(UTC))

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def plan(self, target: str, day: str, items: list[str]) -> None:
        """Record the items of a delivery, in order, as pending (items already known are kept)."""
        with transaction(self.db):
            for pos, item in enumerate(items):
                self.db.execute(
                    "INSERT OR IGNORE INTO deliveries (target, day, item, status, position,"
                    " attempts, updated_at) VALUES (?, ?, ?, 'pending', ?, 0, ?)",
                    [target, day, item, pos, self._stamp()],
                )

    def rows(self, target: str, day: str) -> list[LedgerRow]:
        return [
            _row(r)
            for r in self.db.query(
                "SELECT * FROM deliveries WHERE target = ? AND day = ? ORDER BY position, item",
                [target, day],
            )
        ]

    def get(self, target: str, day: str, item: str) -> LedgerRow | None:
        rows = list(
            self.db.query(
                "SELECT * FROM deliveries WHERE target = ? AND day = ? AND item = ?",
                [target, day, item],
            )
        )
        return _row(rows[0]) if rows else None

    def attempt(self, target: str, day: str, item: str) -> None:
        self._update(target, day, item, "attempts = attempts + 1")

    def sent(self, target: str, day: str, item: str, message_id: str) -> None:
        self._update(
            target, day, item, "status = 'sent', message_id = ?, reason = NULL", message_id
        )

    def sent_many(self, target: str, day: str, items: list[str], message_id: str) -> None:
        """Several items one message carried (a compact reply): all sent, or none recorded."""
        with transaction(self.db):
            for item in items:
                self.sent(target, day, item, message_id)

    def failed(self, target: str, day: str, item: str, reason: str) -> None:
        self._update(target, day, item, "status = 'failed', reason = ?", reason)

    def _update(self, target: str, day: str, item: str, sets: str, *params: Any) -> None:
        with transaction(self.db):
            self.db.execute(
                f"UPDATE deliveries SET {sets}, updated_at = ? WHERE target = ? AND day = ?"
                " AND item = ?",
                [*params, self._stamp(), target, day, item],
            )

    def items_sent_before(self, target: str, day: str) -> set[str]:
        """Items this target got on other days (a paper is never posted twice in a channel)."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT item FROM deliveries WHERE target = ? AND day != ? AND status = 'sent'",
                [target, day],
            ).fetchall()
        }

    def latest_day(self, target: str) -> str | None:
        """The latest day recorded for `target` (a test target's days are its run stamps)."""
        row = self.db.execute(
            "SELECT MAX(day) FROM deliveries WHERE target = ?", [target]
        ).fetchone()
        return row[0] if row else None

    def pending_days(self, target: str, earliest: str) -> list[str]:
        """Days from `earliest` on with something still pending for `target`, oldest first."""
        rows = self.db.execute(
            "SELECT DISTINCT day FROM deliveries WHERE target = ? AND status = 'pending'"
            " AND day >= ? ORDER BY day",
            [target, earliest],
        ).fetchall()
        return [r[0] for r in rows]

    def has_pending(self, day: str, item: str) -> bool:
        """Whether any target still has `item` of `day` pending (e.g. an alert DM)."""
        row = self.db.execute(
            "SELECT 1 FROM deliveries WHERE day = ? AND item = ? AND status = 'pending' LIMIT 1",
            [day, item],
        ).fetchone()
        return row is not None

    def pending_targets(self) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT DISTINCT target, day FROM deliveries WHERE status = 'pending'"
                " ORDER BY day, target"
            ).fetchall()
        ]
