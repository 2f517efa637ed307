"""What was fetched when: one row per (source, key), the last attempt and its error if any."""

from __future__ import annotations

from typing import NamedTuple

import sqlite_utils


class FetchEntry(NamedTuple):
    source: str
    key: str  # the day fetched, YYYY-MM-DD
    fetched_at: str  # ISO 8601, UTC
    papers: int
    error: str | None


def record(
    db: sqlite_utils.Database, source: str, key: str, at: str, papers: int, error: str | None
) -> None:
    db.execute(
        "INSERT INTO fetch_log (source, key, fetched_at, papers, error) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(source, key) DO UPDATE SET fetched_at = excluded.fetched_at,"
        " papers = excluded.papers, error = excluded.error",
        [source, key, at, papers, error],
    )


def last_success(db: sqlite_utils.Database, source: str, key: str) -> str | None:
    """When `key` was last fetched from `source` without an error (ISO text), or None."""
    row = db.execute(
        "SELECT fetched_at FROM fetch_log WHERE source = ? AND key = ? AND error IS NULL",
        [source, key],
    ).fetchone()
    return row[0] if row and row[0] else None


def latest(db: sqlite_utils.Database) -> FetchEntry | None:
    """The most recent fetch of any source, or None when nothing was ever fetched."""
    row = db.execute(
        "SELECT source, key, fetched_at, papers, error FROM fetch_log"
        " ORDER BY fetched_at DESC LIMIT 1"
    ).fetchone()
    return FetchEntry(*row) if row else None


def latest_imported_day(db: sqlite_utils.Database) -> str | None:
    """The latest stored day that no fetch brought (so an import did), or None: a day's papers
    come from `paperbot import` or from a successful fetch, which logs it here."""
    row = db.execute(
        "SELECT MAX(day) FROM daily_entries WHERE day NOT IN"
        " (SELECT key FROM fetch_log WHERE source = 'hf' AND error IS NULL)"
    ).fetchone()
    return row[0] if row else None
