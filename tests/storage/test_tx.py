"""`storage.tx.transaction`: all or nothing, nestable, and holding the write lock from the start.

The first test pins the sqlite-utils 4 behaviour the helper exists for: `with db.conn:` is
no transaction at all, so nothing may use it for several writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from storage import open_db
from storage.tx import transaction


class Boom(Exception):
    pass


def _db(tmp_path: Path) -> sqlite_utils.Database:
    db = open_db(tmp_path / "t.db")
    db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    return db


def _count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM t").fetchone()[0]


def test_with_conn_is_not_a_transaction_under_sqlite_utils(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with pytest.raises(Boom), db.conn:
        db.execute("INSERT INTO t VALUES (1)")
        raise Boom
    assert _count(db) == 1  # committed on its own: why storage/tx.py exists


def test_a_failed_block_leaves_nothing_whatever_wrote_it(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with pytest.raises(Boom), transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        db["t"].insert({"x": 2})  # sqlite-utils' own writes join the transaction
        db["t"].upsert({"x": 3}, pk="x")
        db["t"].insert_all([{"x": 4}, {"x": 5}])
        raise Boom
    assert _count(db) == 0
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        db["t"].insert({"x": 2})
    assert _count(db) == 2


def test_nothing_is_visible_to_another_connection_before_the_commit(tmp_path: Path) -> None:
    db = _db(tmp_path)
    other = sqlite3.connect(str(tmp_path / "t.db"))
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        db.execute("INSERT INTO t VALUES (2)")
        assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 2


def test_nested_blocks_are_savepoints(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(Boom), transaction(db):
            db.execute("INSERT INTO t VALUES (2)")
            raise Boom
        with transaction(db):
            db.execute("INSERT INTO t VALUES (3)")
        assert db.conn.in_transaction  # an inner block never commits the outer one
    assert [r[0] for r in db.execute("SELECT x FROM t ORDER BY x")] == [1, 3]
    with pytest.raises(Boom), transaction(db):
        with transaction(db):
            db.execute("INSERT INTO t VALUES (4)")
        raise Boom  # the outer failure undoes the finished inner block too
    assert _count(db) == 2


def test_the_write_lock_is_taken_at_the_start(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer waits at its own BEGIN (here: is refused at once,
    having no busy timeout) instead of failing halfway through its transaction."""
    db = _db(tmp_path)
    other = sqlite_utils.Database(sqlite3.connect(str(tmp_path / "t.db"), timeout=0))
    with transaction(db):
        with pytest.raises(sqlite3.OperationalError, match="locked"), transaction(other):
            pass
        db.execute("INSERT INTO t VALUES (1)")
    with transaction(other):
        other.execute("INSERT INTO t VALUES (2)")
    assert _count(db) == 2


def test_an_error_that_ends_the_transaction_itself_still_propagates(tmp_path: Path) -> None:
    db = _db(tmp_path)
    db.execute(
        "CREATE TRIGGER stop BEFORE INSERT ON t WHEN new.x = 2"
        " BEGIN SELECT RAISE(ROLLBACK, 'refused'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"), transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        with transaction(db):
            db.execute("INSERT INTO t VALUES (2)")
    assert not db.conn.in_transaction and _count(db) == 0
