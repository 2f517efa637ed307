"""Channel settings for the daily thread, keyed (platform, workspace_id, channel_id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from storage.tx import transaction

PK = ("platform", "workspace_id", "channel_id")


def get_channel(
    db: sqlite_utils.Database, platform: str, workspace_id: str, channel_id: str
) -> dict[str, Any] | None:
    rows = list(
        db.query(
            "SELECT * FROM channels WHERE platform = ? AND workspace_id = ? AND channel_id = ?",
            [platform, workspace_id, channel_id],
        )
    )
    return rows[0] if rows else None


def save_channel(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    row = dict(row, updated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    with transaction(db):
        db["channels"].upsert(row, pk=PK)


def enabled_channels(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM channels WHERE enabled = 1 ORDER BY platform, channel_id"))
