from __future__ import annotations

from pathlib import Path

from bot.model import Paper
from storage import open_db
from storage import papers as paper_store
from storage.db import migrate


def test_file_database_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    db = open_db(tmp_path / "sub" / "p.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrations_run_once_in_order(tmp_path: Path) -> None:
    db = open_db(tmp_path / "p.db")
    assert migrate(db) == []  # already applied
    names = [r["name"] for r in db["_migrations"].rows]
    assert names == sorted(names) and names[0] == "001_initial"
    # reopening does not re-run or fail
    assert open_db(tmp_path / "p.db")["papers"].count == 0


def test_upsert_day_never_duplicates_and_refreshes_upvotes() -> None:
    db = open_db(None)
    a = Paper("2501.00001", "Alpha", "abstract a", ("Ann",), upvotes=3, ai_keywords=("x",))
    b = Paper("2501.00002", "Beta", "abstract b", ("Bob",), upvotes=10)
    paper_store.upsert_day(db, "2025-01-02", [a, b])
    paper_store.upsert_day(db, "2025-01-02", [Paper("2501.00001", "Alpha", upvotes=30), b])
    assert db["papers"].count == 2 and db["daily_entries"].count == 2
    rows = paper_store.day_rows(db, "2025-01-02")
    assert [r["id"] for r in rows] == ["2501.00001", "2501.00002"]
    assert rows[0]["upvotes"] == 30
    # fields the second source did not send are kept
    assert rows[0]["abstract"] == "abstract a" and rows[0]["authors_text"] == "Ann"


def test_fts_index_follows_updates() -> None:
    db = open_db(None)
    paper_store.upsert_papers(db, [Paper("2501.00001", "Old title", "nothing")])
    paper_store.upsert_papers(db, [Paper("2501.00001", "Diffusion transformers", "nothing")])
    hits = db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'diffusion'").fetchall()
    assert len(hits) == 1
    assert not db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'old'").fetchall()


def test_the_same_paper_twice_in_one_upsert_is_one_row_with_both_merged() -> None:
    """Existence is looked up once per call: a paper a call has just inserted is merged,
    not inserted again, when the same call holds it twice (HF then arXiv fields)."""
    db = open_db(None)
    first = Paper(id="2501.00001", title="Diffusion models", upvotes=3)
    again = Paper(id="2501.00001", title="Diffusion models", abstract="We study diffusion.")
    assert paper_store.upsert_papers(db, [first, again]) == 2
    [row] = db.execute("SELECT title, abstract, upvotes FROM papers").fetchall()
    assert row == ("Diffusion models", "We study diffusion.", 3)
    found = db.execute("SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH 'study'").fetchone()
    assert found == (1,)
