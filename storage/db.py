"""Opening the database: WAL, a busy timeout, and every pending migration applied in order."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from storage.migrations import MIGRATIONS
from storage.tx import transaction

BUSY_TIMEOUT_MS = 5000


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate. `None` or ":memory:" gives an in-memory database."""
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        p = Path(path)
        if p.parent and not p.parent.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        _use_wal(conn)
        # In WAL mode NORMAL is still crash-safe (no corruption) and avoids an fsync per commit.
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. SQLite answers a journal-mode change with "database is locked" at once
    (the busy timeout does not apply to it) while another connection is opening the same new
    file, so two processes starting together retry for up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply migrations not yet recorded in `_migrations`; return the names applied.

    Each migration and its `_migrations` row commit in one transaction (SQLite's DDL is
    transactional), so a process killed mid-migration leaves the schema as it was before that
    migration and the next open simply runs it again. The record is checked again under the
    write lock, so two processes opening a new database at once apply each migration once."""
    with transaction(db):  # not sqlite-utils' deferred BEGIN: a racing opener would be refused
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    applied = []
    for name, fn in MIGRATIONS:
        if _recorded(db, name):  # the common case, without taking the write lock
            continue
        with transaction(db):
            if _recorded(db, name):
                continue
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                [name, datetime.now(UTC).isoformat(timespec="seconds")],
            )
        applied.append(name)
    return applied


def _recorded(db: sqlite_utils.Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone() is not None


# --- inspection without changing anything (`paperbot doctor`) --------------------------------
def open_readonly(path: str | Path) -> sqlite_utils.Database:
    """The database opened read-only (`mode=ro`): nothing is created or migrated."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite_utils.Database(sqlite3.connect(uri, uri=True, check_same_thread=False))


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    """The migrations `open_db` would still apply, in order."""
    done = {r["name"] for r in db["_migrations"].rows} if db["_migrations"].exists() else set()
    return [name for name, _ in MIGRATIONS if name not in done]


def write_problem(path: str | Path, timeout: float = 2.0) -> str | None:
    """Why nothing could be written to the database now (read-only, locked…), or None. Takes
    the write lock (BEGIN IMMEDIATE) and rolls straight back, so nothing changes."""
    conn = sqlite3.connect(str(path), timeout=timeout)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return None
    except sqlite3.Error as e:
        return str(e)
    finally:
        conn.close()
