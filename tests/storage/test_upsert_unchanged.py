"""Storing a paper again as it is writes nothing (no row rewrite, no FTS churn); a change does."""

from __future__ import annotations

from bot.model import Paper
from storage import open_db
from storage import papers as paper_store


def test_an_unchanged_paper_is_not_rewritten_and_a_changed_one_is() -> None:
    db = open_db(None)
    p = Paper("2501.00001", "Alpha", "abstract", ("Ann Lee",), upvotes=3, ai_keywords=("x",))
    paper_store.upsert_papers(db, [p])
    before = db.conn.total_changes
    paper_store.upsert_papers(db, [p])
    assert db.conn.total_changes == before
    paper_store.upsert_papers(db, [Paper("2501.00001", "Alpha", upvotes=4)])
    assert db.conn.total_changes > before
    row = paper_store.get_paper_row(db, "2501.00001")
    assert row["upvotes"] == 4 and row["abstract"] == "abstract" and row["authors"] == ["Ann Lee"]
    hits = db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'abstract'").fetchall()
    assert len(hits) == 1
