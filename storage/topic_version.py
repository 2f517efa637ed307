"""A counter that moves whenever the stored topics, or who gets alerts, change.

Why: the daily alerts keep every stored topic prepared in memory (bot/query/topic_set.py);
reading and preparing 100,000 topics costs more than matching them. Triggers bump the counter
on any insert, update or delete of `topics` and on a change of a user's alert mode, whichever
process or command made it, so a run reads one row to know whether its copy is still the
stored one.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

_TRIGGERS = {
    "topics_version_ins": "AFTER INSERT ON topics",
    "topics_version_upd": "AFTER UPDATE ON topics",
    "topics_version_del": "AFTER DELETE ON topics",
    "topics_version_prefs_ins": "AFTER INSERT ON user_prefs",
    "topics_version_prefs_upd": "AFTER UPDATE OF alerts ON user_prefs",
    "topics_version_prefs_del": "AFTER DELETE ON user_prefs",
}


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 015 (idempotent)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS topics_version"
        " (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)"
    )
    db.execute("INSERT OR IGNORE INTO topics_version (id, n) VALUES (1, 0)")
    for name, when in _TRIGGERS.items():
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} {when}"
            " BEGIN UPDATE topics_version SET n = n + 1 WHERE id = 1; END"
        )


def version(db: sqlite_utils.Database) -> int | None:
    """The counter now; None on a database without it (nothing can then be cached)."""
    try:
        row = db.execute("SELECT n FROM topics_version WHERE id = 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None
