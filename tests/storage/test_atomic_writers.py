"""Every multi-statement writer fails halfway and leaves nothing of itself behind.

The failure is injected by the database itself: a TEMP trigger (on this connection only) that
refuses the Nth write to a table, so the product code runs unchanged up to that statement.
The SIGKILL versions of these tests are in test_crash.py.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from bot.core import Core
from bot.ingest import FetchReport, fetch_day, import_paths
from bot.model import Paper
from storage import open_db
from storage import papers as paper_store
from storage import users as user_store
from storage.db import migrate
from storage.ledger import Ledger
from storage.migrations import MIGRATIONS
from tests.fakes.hf import FakeHF
from tests.support.core import DAYS, offline_config

PAPERS = [Paper(f"2501.0000{i}", f"Paper {i}", "abstract", ("Ann",), upvotes=i) for i in range(6)]


def refuse(db: sqlite_utils.Database, op: str, table: str, after: int = 0) -> None:
    """Make the write number `after + 1` of `op` (INSERT | DELETE) on `table` fail."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS fault_count_{table} (n INTEGER)")
    db.execute(f"INSERT INTO fault_count_{table} VALUES (0)")
    db.execute(
        f"CREATE TEMP TRIGGER fault_{table} BEFORE {op} ON main.{table} BEGIN"
        f" UPDATE fault_count_{table} SET n = n + 1;"
        f" SELECT RAISE(ABORT, 'injected fault') FROM fault_count_{table} WHERE n > {after};"
        " END"
    )


def count(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_day_is_stored_with_all_its_papers_or_not_at_all() -> None:
    db = open_db(None)
    refuse(db, "INSERT", "daily_entries", after=3)
    with pytest.raises(sqlite3.IntegrityError, match="injected"):
        paper_store.upsert_day(db, "2025-01-02", PAPERS)
    assert count(db, "papers") == 0 and count(db, "daily_entries") == 0
    assert count(db, "papers_fts_docsize") == 0


def test_a_plan_is_written_whole_or_not_at_all() -> None:
    db = open_db(None)
    refuse(db, "INSERT", "deliveries", after=2)
    with pytest.raises(sqlite3.IntegrityError):
        Ledger(db).plan("slack:T1:C1", "2025-01-02", ["parent", "thread", "a", "b", "c"])
    assert count(db, "deliveries") == 0


def test_forget_user_deletes_everything_or_nothing() -> None:
    db = open_db(None)
    user = user_store.UserKey("slack", "T1", "U1")
    user_store.add_topic(db, user, "agents")
    user_store.set_alerts(db, user, "dm")
    paper_store.upsert_papers(db, PAPERS[:1])
    user_store.save_paper(db, user, PAPERS[0].id)
    user_store.audit(db, user, "subscribe", "agents")
    Ledger(db).plan("slack:T1:dm:U1", "2025-01-02", ["dm"])
    refuse(db, "DELETE", "library")  # after topics and user_prefs are gone
    with pytest.raises(sqlite3.IntegrityError):
        user_store.forget_user(db, user)
    tables = ("topics", "user_prefs", "library", "audit_log", "deliveries")
    assert [count(db, t) for t in tables] == [1, 1, 1, 1, 1]


def test_a_count_sqlite_cannot_hold_costs_only_that_field(tmp_path: Path) -> None:
    """An upvote count past SQLite's 64 bits used to abort the store halfway (papers without
    their day); the parser now drops just that field and the whole file lands."""
    entries = json.loads((DAYS / "2025-10-01.json").read_text(encoding="utf-8"))
    entries[5]["paper"]["upvotes"] = 10**30  # past SQLite's 64-bit integers
    bad = tmp_path / "2025-10-01.json"
    bad.write_text(json.dumps(entries), encoding="utf-8")
    db = open_db(None)
    report = import_paths(db, [bad, DAYS / "2025-10-02.json"])
    assert report.files == 2 and report.rejected == []
    assert db["papers"].get(entries[5]["paper"]["id"])["upvotes"] is None
    stored = {r[0] for r in db.execute("SELECT id FROM papers")}
    assert stored == {r["paper_id"] for r in db["daily_entries"].rows}  # no day-less paper


def test_an_import_that_fails_in_storage_keeps_the_other_files(tmp_path: Path) -> None:
    db = open_db(None)
    db.execute(  # the store refuses the middle file's eleventh entry
        "CREATE TEMP TRIGGER fault BEFORE INSERT ON main.daily_entries"
        " WHEN new.day = '2025-10-01' AND new.rank = 11"
        " BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
    )
    report = import_paths(db, [DAYS])
    assert report.files == 2
    assert [Path(p).name for p, _ in report.rejected] == ["2025-10-01.json"]
    days = {r[0] for r in db.execute("SELECT DISTINCT day FROM daily_entries")}
    assert len(days) == 2
    assert "cannot be stored" in report.rejected[0][1]
    stored = {r[0] for r in db.execute("SELECT id FROM papers")}
    assert stored == {r["paper_id"] for r in db["daily_entries"].rows}  # no day-less paper
    stored = {r[0] for r in db.execute("SELECT id FROM papers")}
    assert stored == {r["paper_id"] for r in db["daily_entries"].rows}


async def test_a_fetched_day_lands_with_its_log_line_or_not_at_all() -> None:
    with FakeHF(data_dir=DAYS) as hf:
        day = sorted(hf.days)[0]
        cfg = offline_config(sources={"hf_base_url": hf.url, "arxiv_enrich": False})
        core = Core.open(cfg, ":memory:")
        refuse(core.db, "INSERT", "fetch_log")
        with pytest.raises(sqlite3.IntegrityError):
            await fetch_day(core, day, FetchReport())
        assert count(core.db, "papers") == 0 and count(core.db, "daily_entries") == 0
        core.db.execute("DROP TRIGGER temp.fault_fetch_log")
        await fetch_day(core, day, FetchReport())
        assert count(core.db, "daily_entries") > 0 and count(core.db, "fetch_log") == 1
        await core.aclose()


def _broken(db: sqlite_utils.Database) -> None:
    db["widgets"].create({"id": int}, pk="id")
    raise RuntimeError("migration failed halfway")


def _fixed(db: sqlite_utils.Database) -> None:
    db["widgets"].create({"id": int}, pk="id")


def test_a_failed_migration_leaves_the_schema_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_db(None)
    monkeypatch.setattr("storage.db.MIGRATIONS", [*MIGRATIONS, ("003_widgets", _broken)])
    with pytest.raises(RuntimeError, match="halfway"):
        migrate(db)
    assert "widgets" not in db.table_names()
    monkeypatch.setattr("storage.db.MIGRATIONS", [*MIGRATIONS, ("003_widgets", _fixed)])
    assert migrate(db) == ["003_widgets"]  # not "table widgets already exists"
