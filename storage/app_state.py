"""Small facts the bot keeps about itself between runs, one text value per key.

For what is neither content nor delivery: e.g. `discord.commands:<app>:<scope>` holds the hash
of the slash-command payload last synced there, so a restart with the same tree sends nothing
(Discord allows 200 command creates a day per guild).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from storage.tx import transaction


def get(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM app_state WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put(db: sqlite_utils.Database, key: str, value: str) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            [key, value, datetime.now(UTC).isoformat(timespec="seconds")],
        )
