"""Migrations: the schema they give, and databases that crashes or races left half-migrated.

(Each migration committing with its record, killed at every statement: test_crash.py.)
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import sqlite_utils

from storage import open_db
from storage.migrations import MIGRATIONS
from tests.support.core import FIXTURES

SCHEMA = FIXTURES / "storage" / "schema.sql"


def dump(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
    text = "".join(r[0] + ";\n" for r in rows)
    conn.close()
    return text


def recorded_schema() -> str:
    return "".join(line + "\n" for line in SCHEMA.read_text().splitlines() if line[:2] != "--")


def recorded_statements() -> list[str]:
    out, buf = [], ""
    for line in recorded_schema().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


ALL = [name for name, _ in MIGRATIONS]
RECORDED = ["001_initial", "002_delivery_plan"]  # what schema.sql holds


def test_the_first_migrations_still_give_exactly_the_released_schema(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "p.db")
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, migration in MIGRATIONS:
        if name in RECORDED:
            migration(db)
    db.close()
    assert dump(tmp_path / "p.db") == recorded_schema()


def test_a_database_of_the_recorded_release_upgrades_to_what_a_new_one_gets(tmp_path: Path) -> None:
    old = sqlite_utils.Database(tmp_path / "old.db")
    old["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, migration in MIGRATIONS:
        if name in RECORDED:
            migration(old)
            old["_migrations"].insert({"name": name, "applied_at": "2025-10-01"})
    old.close()
    db = open_db(tmp_path / "old.db")
    assert [r["name"] for r in db["_migrations"].rows] == ALL
    db.close()
    open_db(tmp_path / "new.db").close()
    assert dump(tmp_path / "old.db") == dump(tmp_path / "new.db")


def bricked(path: Path, *, triggers: bool) -> None:
    """What a kill during the first open left before migrations were transactional: the
    `papers` table and its FTS index (with or without the triggers that feed it), no other
    table, and no `_migrations` row."""
    conn = sqlite3.connect(str(path))
    for sql in recorded_statements():
        head = sql.split("(")[0]
        if ('"papers' in head and (triggers or "TRIGGER" not in head)) or "_migrations" in head:
            conn.execute(sql)
    conn.commit()
    conn.close()


def test_a_database_bricked_by_an_old_interrupted_migration_opens_whole(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    open_db(whole).close()
    for triggers in (True, False):
        path = tmp_path / f"bricked-{triggers}.db"
        bricked(path, triggers=triggers)
        db = open_db(path)  # was: "table papers already exists", on every command
        names = [r["name"] for r in db["_migrations"].rows]
        assert names == ALL
        db.execute("INSERT INTO papers (id, title) VALUES ('2501.00001', 'Diffusion models')")
        hits = db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'diffusion'")
        assert len(hits.fetchall()) == 1
        db.close()
        assert dump(path) == dump(whole)


def test_two_processes_opening_a_new_database_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def opener() -> None:
        start.wait()
        try:
            open_db(path).close()  # each its own connection, as a second process has
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    db = open_db(path)
    assert [r["name"] for r in db["_migrations"].rows] == ALL
