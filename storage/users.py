"""Per-user data: topics, alert preferences, the reading library — and deleting all of it.

A user is (platform, workspace_id, user_id): the same person id on two Slack teams is two users.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from storage.papers import decode_row
from storage.tx import transaction


@dataclass(frozen=True, slots=True)
class UserKey:
    platform: str
    workspace_id: str
    user_id: str

    def params(self) -> list[str]:
        return [self.platform, self.workspace_id, self.user_id]


_WHERE = "platform = ? AND workspace_id = ? AND user_id = ?"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def list_topics(db: sqlite_utils.Database, user: UserKey) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT id, query FROM topics WHERE {_WHERE} ORDER BY id", user.params()))


def add_topic(db: sqlite_utils.Database, user: UserKey, query: str) -> int:
    with transaction(db):
        db["topics"].insert(
            {
                "platform": user.platform,
                "workspace_id": user.workspace_id,
                "user_id": user.user_id,
                "query": query,
                "created_at": _now(),
            }
        )
        return db.execute("SELECT last_insert_rowid()").fetchone()[0]


def set_topic_query(db: sqlite_utils.Database, user: UserKey, topic_id: int, query: str) -> bool:
    """A topic edited in place: same id, so the same number in `/papers topics`."""
    with transaction(db):
        cur = db.execute(
            f"UPDATE topics SET query = ? WHERE {_WHERE} AND id = ?",
            [query, *user.params(), topic_id],
        )
    return cur.rowcount == 1


def delete_topics(db: sqlite_utils.Database, user: UserKey, ids: list[int] | None) -> int:
    """Delete the given topic ids of this user (all of them when `ids` is None)."""
    with transaction(db):
        if ids is None:
            cur = db.execute(f"DELETE FROM topics WHERE {_WHERE}", user.params())
        else:
            marks = ",".join("?" for _ in ids)
            cur = db.execute(
                f"DELETE FROM topics WHERE {_WHERE} AND id IN ({marks})", user.params() + ids
            )
    return cur.rowcount


def topics_with_alerts(
    db: sqlite_utils.Database,
    alerts: str | None = None,
    *,
    platform: str | None = None,
    workspace_id: str | None = None,
    by_user: bool = False,
) -> list[tuple[str, str, str, str]]:
    """(platform, workspace_id, user_id, query) of every stored topic, oldest first — only
    of users whose alert mode is `alerts` when given, only in one workspace when given;
    `by_user` keeps each user's topics together (still oldest first within a user)."""
    sql = "SELECT t.platform, t.workspace_id, t.user_id, t.query FROM topics t"
    where: list[str] = []
    params: list[str] = []
    if alerts is not None:
        sql += (
            " JOIN user_prefs u ON u.platform = t.platform AND u.workspace_id = t.workspace_id"
            " AND u.user_id = t.user_id"
        )
        where.append("u.alerts = ?")
        params.append(alerts)
    if platform is not None:
        where.append("t.platform = ?")
        params.append(platform)
    if workspace_id is not None:
        where.append("t.workspace_id = ?")
        params.append(workspace_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    order = " ORDER BY t.platform, t.workspace_id, t.user_id, t.id" if by_user else " ORDER BY t.id"
    return [tuple(r) for r in db.execute(sql + order, params).fetchall()]


def get_alerts(db: sqlite_utils.Database, user: UserKey) -> str:
    row = db.execute(f"SELECT alerts FROM user_prefs WHERE {_WHERE}", user.params()).fetchone()
    return row[0] if row and row[0] else "off"


def set_alerts(db: sqlite_utils.Database, user: UserKey, mode: str) -> None:
    with transaction(db):
        db["user_prefs"].upsert(
            {
                "platform": user.platform,
                "workspace_id": user.workspace_id,
                "user_id": user.user_id,
                "alerts": mode,
                "updated_at": _now(),
            },
            pk=("platform", "workspace_id", "user_id"),
        )


def pause_dm_alerts(db: sqlite_utils.Database, user: UserKey, reason: str) -> None:
    """Stop a user's alert DMs after a platform refused one for good (their mode is kept)."""
    with transaction(db):
        db.execute(
            f"UPDATE user_prefs SET dm_paused_reason = ?, updated_at = ? WHERE {_WHERE}",
            [reason, _now(), *user.params()],
        )


def resume_dm_alerts(db: sqlite_utils.Database, user: UserKey) -> None:
    with transaction(db):
        db.execute(f"UPDATE user_prefs SET dm_paused_reason = NULL WHERE {_WHERE}", user.params())


def dm_paused_reason(db: sqlite_utils.Database, user: UserKey) -> str | None:
    row = db.execute(
        f"SELECT dm_paused_reason FROM user_prefs WHERE {_WHERE}", user.params()
    ).fetchone()
    return row[0] if row else None


def dm_paused_users(db: sqlite_utils.Database) -> set[tuple[str, str, str]]:
    """(platform, workspace_id, user_id) of everyone whose alert DMs are paused."""
    rows = db.execute(
        "SELECT platform, workspace_id, user_id FROM user_prefs WHERE dm_paused_reason IS NOT NULL"
    ).fetchall()
    return {tuple(r) for r in rows}


def save_paper(db: sqlite_utils.Database, user: UserKey, paper_id: str) -> bool:
    """Add to the library; False when it was already there."""
    with transaction(db):
        cur = db.execute(
            "INSERT OR IGNORE INTO library (platform, workspace_id, user_id, paper_id, saved_at)"
            " VALUES (?, ?, ?, ?, ?)",
            user.params() + [paper_id, _now()],
        )
    return cur.rowcount == 1


def library_rows(db: sqlite_utils.Database, user: UserKey) -> list[dict[str, Any]]:
    return [
        decode_row(r)
        for r in db.query(
            "SELECT papers.*, library.saved_at FROM library JOIN papers"
            " ON papers.id = library.paper_id WHERE library.platform = ?"
            " AND library.workspace_id = ? AND library.user_id = ?"
            " ORDER BY library.saved_at DESC, papers.id",
            user.params(),
        )
    ]


def unsave_papers(db: sqlite_utils.Database, user: UserKey, paper_ids: list[str]) -> list[str]:
    """Remove these papers from the user's library; return the ids that were in it."""
    removed = []
    with transaction(db):
        for pid in dict.fromkeys(paper_ids):
            cur = db.execute(
                f"DELETE FROM library WHERE {_WHERE} AND paper_id = ?", [*user.params(), pid]
            )
            if cur.rowcount:
                removed.append(pid)
    return removed


def _footprint(user: UserKey) -> list[tuple[str, str, list[str]]]:
    """(table, WHERE clause, parameters) of every row that names this user. A channel they
    changed keeps its settings: only their id in `updated_by` goes (see `forget_user`)."""
    return [
        *((t, _WHERE, user.params()) for t in ("topics", "user_prefs", "library", "audit_log")),
        ("votes", _WHERE, user.params()),  # reactions on papers (the recommender's 👍/👎)
        ("deliveries", "target = ?", [f"{user.platform}:{user.workspace_id}:dm:{user.user_id}"]),
        ("channels", "platform = ? AND workspace_id = ? AND updated_by = ?", user.params()),
    ]


def user_footprint(db: sqlite_utils.Database, user: UserKey) -> dict[str, int]:
    """How many rows of each table `forget_user` would delete or clear, before asking."""
    return {
        table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]
        for table, where, params in _footprint(user)
    }


def forget_user(db: sqlite_utils.Database, user: UserKey) -> dict[str, int]:
    """Delete every row about this user and clear their id from the channels they changed;
    return how many rows went (or were cleared) in each table."""
    removed: dict[str, int] = {}
    with transaction(db):
        for table, where, params in _footprint(user):
            verb = (
                "UPDATE channels SET updated_by = NULL"
                if table == "channels"
                else f"DELETE FROM {table}"
            )
            removed[table] = db.execute(f"{verb} WHERE {where}", params).rowcount
    return removed


def audit(
    db: sqlite_utils.Database, user: UserKey, action: str, detail: str = "", at: str | None = None
) -> None:
    with transaction(db):
        db["audit_log"].insert(
            {
                "at": at or _now(),
                "platform": user.platform,
                "workspace_id": user.workspace_id,
                "user_id": user.user_id,
                "action": action,
                "detail": detail,
            }
        )
