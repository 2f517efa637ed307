"""What each posted message of a daily thread last showed, so the live thread edits only
what changed: a paper reply's ▲/💬/⭐ counts, the parent's fingerprint, whether the item was
appended after the morning (`late`), and how many times it was edited.

Appending is planned the ledger's way: the late papers' `deliveries` rows (pending, after
the thread's last position) and their `thread_live` rows land in one transaction, so a crash
leaves either both or neither, and the delivery engine then sends each exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from storage.tx import transaction


@dataclass(frozen=True, slots=True)
class Shown:
    item: str
    late: bool
    upvotes: int | None
    comments: int | None
    stars: int | None
    shown: str | None
    edits: int


def append_late(db: sqlite_utils.Database, target: str, day: str, ids: list[str], at: str) -> None:
    """Plan `ids` as pending items at the end of the day's thread, marked late."""
    with transaction(db):
        row = db.execute(
            "SELECT COALESCE(MAX(position), -1) FROM deliveries WHERE target = ? AND day = ?",
            [target, day],
        ).fetchone()
        for n, item in enumerate(ids, row[0] + 1):
            db.execute(
                "INSERT OR IGNORE INTO deliveries (target, day, item, status, position,"
                " attempts, updated_at) VALUES (?, ?, ?, 'pending', ?, 0, ?)",
                [target, day, item, n, at],
            )
            db.execute(
                "INSERT INTO thread_live (target, day, item, late, updated_at)"
                " VALUES (?, ?, ?, 1, ?) ON CONFLICT DO UPDATE SET late = 1",
                [target, day, item, at],
            )


def record(
    db: sqlite_utils.Database,
    target: str,
    day: str,
    item: str,
    counts: tuple[int | None, int | None, int | None] = (None, None, None),
    shown: str | None = None,
    *,
    at: str,
    edited: bool = False,
) -> None:
    """What the message of `item` shows now (after it was posted, or edited: `edited`)."""
    up, comments, stars = counts
    with transaction(db):
        db.execute(
            "INSERT INTO thread_live (target, day, item, upvotes, comments, stars, shown,"
            " edits, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
            " upvotes = excluded.upvotes, comments = excluded.comments, stars = excluded.stars,"
            " shown = excluded.shown, edits = thread_live.edits + excluded.edits,"
            " updated_at = excluded.updated_at",
            [target, day, item, up, comments, stars, shown, int(edited), at],
        )


def shown(db: sqlite_utils.Database, target: str, day: str) -> dict[str, Shown]:
    """item → what its message last showed, for one channel's day."""
    rows = db.query("SELECT * FROM thread_live WHERE target = ? AND day = ?", [target, day])
    return {r["item"]: _shown(r) for r in rows}


def _shown(r: dict[str, Any]) -> Shown:
    return Shown(
        r["item"], bool(r["late"]), r["upvotes"], r["comments"], r["stars"], r["shown"], r["edits"]
    )


def edit_counts(db: sqlite_utils.Database, target: str, day: str) -> tuple[int, int]:
    """(edits of `day`'s thread, edits of every thread) in one channel."""
    row = db.execute(
        "SELECT COALESCE(SUM(CASE WHEN day = ? THEN edits END), 0), COALESCE(SUM(edits), 0)"
        " FROM thread_live WHERE target = ?",
        [day, target],
    ).fetchone()
    return int(row[0]), int(row[1])
