"""Bulk writes index their new papers once (storage/bulk.py), and the indexes end exactly as
the per-row triggers would have left them."""

from __future__ import annotations

import sqlite3

import pytest

from bot.ingest import import_paths
from bot.model import Paper
from storage import open_db
from storage import papers as paper_store
from storage.bulk import deferred_index
from tests.support.core import DAYS
from tests.support.crash import integrity_problems


def _postings(conn: sqlite3.Connection, table: str, kind: str) -> set[tuple]:
    """The index's own vocabulary: (term, document) pairs, or (term, documents, occurrences)
    for a `detail=none` index, which keeps no positions."""
    vocab = f"v_{table}"
    conn.execute(f"DROP TABLE IF EXISTS temp.{vocab}")
    conn.execute(f"CREATE VIRTUAL TABLE temp.{vocab} USING fts5vocab(main, {table}, '{kind}')")
    cols = "term, doc" if kind == "instance" else "term, doc, cnt"
    return set(conn.execute(f"SELECT {cols} FROM temp.{vocab}"))


def assert_indexes_match_a_rebuild(db) -> None:
    """Every text index holds exactly what a from-scratch rebuild of it holds."""
    live = sqlite3.connect(":memory:")
    db.conn.backup(live)
    rebuilt = sqlite3.connect(":memory:")
    db.conn.backup(rebuilt)
    indexes = (
        ("papers_fts", "instance"),
        ("papers_authors", "row"),
        ("papers_heading", "instance"),
    )
    for table, kind in indexes:
        rebuilt.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
        assert _postings(live, table, kind) == _postings(rebuilt, table, kind)
    (flag,) = live.execute("SELECT after_rowid FROM index_defer").fetchone()
    assert flag is None


def _paper(n: int, title: str, **kw) -> Paper:
    return Paper(f"2501.{n:05d}", title, f"abstract of {title}", ("Ann Lee", "Bo Wang"), **kw)


def test_an_import_indexes_every_paper_as_the_triggers_would(tmp_path) -> None:
    db = open_db(tmp_path / "p.db")
    import_paths(db, [DAYS])
    assert integrity_problems(tmp_path / "p.db") == []
    assert_indexes_match_a_rebuild(db)
    hits = db.execute("SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH 'model'").fetchone()
    assert hits[0] > 0


def test_rows_changed_and_removed_inside_a_block_leave_no_stale_postings() -> None:
    db = open_db(None)
    paper_store.upsert_papers(db, [_paper(1, "quantum walks"), _paper(2, "sparse attention")])
    with deferred_index(db):
        paper_store.upsert_papers(db, [_paper(3, "diffusion policies")])
        paper_store.upsert_papers(db, [_paper(3, "diffusion transformers")])  # new, then changed
        paper_store.upsert_papers(db, [_paper(1, "classical walks")])  # old row changed
        db.execute("DELETE FROM papers WHERE id = ?", ["2501.00002"])  # old row removed
        paper_store.upsert_papers(db, [_paper(4, "to be removed")])
        db.execute("DELETE FROM papers WHERE id = ?", ["2501.00004"])  # new row removed
    assert_indexes_match_a_rebuild(db)
    match = "SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH ?"
    assert db.execute(match, ["policies"]).fetchone()[0] == 0
    assert db.execute(match, ["transformers"]).fetchone()[0] == 1
    assert db.execute(match, ["quantum"]).fetchone()[0] == 0


def test_a_failed_block_leaves_neither_its_rows_nor_the_flag() -> None:
    db = open_db(None)
    with pytest.raises(RuntimeError), deferred_index(db):
        paper_store.upsert_papers(db, [_paper(1, "rolled back")])
        raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == 0
    paper_store.upsert_papers(db, [_paper(2, "after the failure")])  # the per-row path again
    assert_indexes_match_a_rebuild(db)
    assert db.execute("SELECT COUNT(*) FROM papers_fts").fetchone()[0] == 1


def test_a_nested_block_joins_the_outer_one() -> None:
    db = open_db(None)
    with deferred_index(db):
        paper_store.upsert_papers(db, [_paper(1, "outer")])
        with deferred_index(db):
            paper_store.upsert_papers(db, [_paper(2, "inner")])
        flag = db.execute("SELECT after_rowid FROM index_defer").fetchone()[0]
        assert flag is not None  # the inner block did not end the outer one's deferral
    assert_indexes_match_a_rebuild(db)
    assert db.execute("SELECT COUNT(*) FROM papers_fts").fetchone()[0] == 2


def test_a_count_only_refresh_does_not_rewrite_the_text_index() -> None:
    db = open_db(None)
    paper_store.upsert_papers(db, [_paper(1, "counts change", upvotes=3)])
    segments = "SELECT COUNT(*), TOTAL(length(block)) FROM papers_fts_data"
    before = db.execute(segments).fetchone()
    paper_store.upsert_papers(db, [_paper(1, "counts change", upvotes=40, github_stars=9)])
    assert db.execute(segments).fetchone() == before
    assert paper_store.get_paper_row(db, "2501.00001")["upvotes"] == 40
    paper_store.upsert_papers(db, [_paper(1, "title changes", upvotes=40, github_stars=9)])
    assert db.execute(segments).fetchone() != before
    assert_indexes_match_a_rebuild(db)
