"""Which papers a user's alerts cover: Hugging Face's list, arXiv's announcements, or both.

Kept in `user_prefs.alerts_scope` (migration 009); NULL means "the default for this
configuration", so changing the config changes everyone who never chose.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from storage.tx import transaction
from storage.users import UserKey

SCOPES = ("hf", "arxiv", "all")


def get_scope(db: sqlite_utils.Database, user: UserKey) -> str | None:
    row = db.execute(
        "SELECT alerts_scope FROM user_prefs WHERE platform = ? AND workspace_id = ?"
        " AND user_id = ?",
        user.params(),
    ).fetchone()
    return row[0] if row and row[0] in SCOPES else None


def set_scope(db: sqlite_utils.Database, user: UserKey, scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"unknown alert scope {scope!r}")
    with transaction(db):
        db.execute(
            "INSERT INTO user_prefs (platform, workspace_id, user_id, alerts_scope, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(platform, workspace_id, user_id)"
            " DO UPDATE SET alerts_scope = excluded.alerts_scope, updated_at = excluded.updated_at",
            [*user.params(), scope, datetime.now(UTC).isoformat(timespec="seconds")],
        )


def chosen_scopes(db: sqlite_utils.Database) -> dict[tuple[str, str, str], str]:
    """Every user who chose a scope: (platform, workspace_id, user_id) -> scope."""
    rows = db.execute(
        "SELECT platform, workspace_id, user_id, alerts_scope FROM user_prefs"
        " WHERE alerts_scope IS NOT NULL"
    ).fetchall()
    return {(p, w, u): s for p, w, u, s in rows if s in SCOPES}
