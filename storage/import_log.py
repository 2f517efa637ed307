"""Which day files were imported as they are now: one row per day, the file's digest.

Why: importing a saved day again used to parse all of it and compare every paper with its
stored row, to change nothing — most of an unchanged re-import's time. A file whose bytes,
and the code that reads them, are what they were at its last import, and whose day still
holds the papers it stored, is skipped; its warnings are kept so they are reported again.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import sqlite_utils


class Imported(NamedTuple):
    papers: int
    warnings: list[str]


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 012 (idempotent)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS import_log (day TEXT PRIMARY KEY, digest TEXT NOT NULL,"
        " papers INTEGER NOT NULL, warnings TEXT NOT NULL, imported_at TEXT NOT NULL)"
    )


def unchanged(db: sqlite_utils.Database, day: str, digest: str) -> Imported | None:
    """What the last import of `day` stored, if it was from this same digest and the day
    still lists that many papers; None when the file must be read."""
    row = db.execute(
        "SELECT l.papers, l.warnings, (SELECT COUNT(*) FROM daily_entries d WHERE d.day = l.day)"
        " FROM import_log l WHERE l.day = ? AND l.digest = ?",
        [day, digest],
    ).fetchone()
    if row is None or row[0] != row[2]:
        return None
    try:
        warnings = [str(w) for w in json.loads(row[1])]
    except (ValueError, TypeError):
        return None
    return Imported(row[0], warnings)


def record(
    db: sqlite_utils.Database, day: str, digest: str, papers: int, warnings: list[str], at: str
) -> None:
    db.execute(
        "INSERT INTO import_log (day, digest, papers, warnings, imported_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(day) DO UPDATE SET digest = excluded.digest,"
        " papers = excluded.papers, warnings = excluded.warnings,"
        " imported_at = excluded.imported_at",
        [day, digest, papers, json.dumps(warnings, ensure_ascii=False), at],
    )
