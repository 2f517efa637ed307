"""One way to make several writes land together: `with transaction(db): …`.

Why not `with db.conn:`? Python's sqlite3 opens no transaction at `with conn:` (it only
commits or rolls back at the end), and sqlite-utils 4's `Database.execute` commits every write
statement that runs outside an open transaction. So under `with db.conn:` each statement
committed on its own, and a crash halfway left half a ledger plan, half an import, half a
migration. Worse, an inner `with db.conn:` commits whatever transaction is open around it.

Why not sqlite-utils' own `db.atomic()`? It nests through savepoints, as this does, but it
opens with a plain (deferred) `BEGIN`: the write lock is taken only at the first write, and a
transaction that has read first then finds another process's commit in between fails at once
with "database is locked" (SQLITE_BUSY_SNAPSHOT) — the busy timeout cannot help it.
`BEGIN IMMEDIATE` takes the write lock up front, waiting up to the busy timeout for it.
https://www.sqlite.org/lang_transaction.html

Inside the block, sqlite-utils' own table methods (`insert`, `upsert`, `create`,
`enable_fts` …) see the open transaction and join it through their own savepoints, and
`execute` does not commit. A migration's DDL joins it too: SQLite's DDL is transactional.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

_names = itertools.count(1)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All of the block's writes commit together, or none do (an exception rolls back).

    Nested blocks are savepoints: an inner failure undoes only the inner block, and only the
    outermost block commits."""
    conn = db.conn
    if conn.in_transaction:
        name = f"paperbot_tx_{next(_names)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            # An error such as SQLITE_FULL may already have rolled everything back.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
