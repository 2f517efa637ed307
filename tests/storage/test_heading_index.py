"""The heading index (storage/bulk.py, migration 016) answers exactly what the porter index's
`{title keywords_text}` column filter answers, which search asked before: same words, same
phrases, after an import, per-row changes and deletes, and on a database migrated to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.ingest import import_paths
from bot.model import Paper
from bot.query.ast import Phrase, Term
from bot.query.to_sql import fts_match_string
from storage import open_db
from storage import papers as paper_store
from tests.support.core import DAYS

_HEADING = "{title keywords_text}"
# Words and phrases of the fixture days: common and rare, in titles, keywords and abstracts
# only, with stems ("models" ~ "model"), hyphens and digits.
WORDS = ["model", "models", "language", "video", "diffusion", "reinforcement", "agent",
         "benchmark", "reasoning", "vision-language", "3d", "llm", "dataset", "the", "we",
         "mixture", "policy", "robot", "zero", "attention"]  # fmt: skip
PHRASES = [("large", "language", "model"), ("video", "generation"), ("reinforcement", "learning"),
           ("vision", "language"), ("chain", "of", "thought")]  # fmt: skip


def _atoms() -> list[Term | Phrase]:
    return [Term(w) for w in WORDS] + [Phrase(p) for p in PHRASES]


def _both(db, atom: Term | Phrase) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    test = fts_match_string(atom, _HEADING)
    old = db.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid", [test]
    ).fetchall()
    new = db.execute(
        "SELECT rowid FROM papers_heading WHERE papers_heading MATCH ? ORDER BY rowid", [test]
    ).fetchall()
    return old, new


def _assert_same(db) -> int:  # type: ignore[no-untyped-def]
    nonempty = 0
    for atom in _atoms():
        old, new = _both(db, atom)
        assert new == old, atom
        nonempty += bool(old)
    return nonempty


def test_the_heading_index_agrees_with_the_column_filter_after_an_import(tmp_path: Path) -> None:
    db = open_db(tmp_path / "p.db")
    import_paths(db, [DAYS])
    assert _assert_same(db) >= 20  # most of them are in some heading: the test has teeth
    old, _ = _both(db, Term("we"))
    everywhere = db.execute("SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH 'we'")
    assert len(old) < everywhere.fetchone()[0]  # an abstract word is not a heading word


def test_per_row_changes_and_deletes_keep_it_in_step() -> None:
    db = open_db(None)
    import_paths(db, [DAYS])
    row = db.execute("SELECT id, title FROM papers ORDER BY rowid LIMIT 1").fetchone()
    changed = Paper(row[0], "Robot policy zero: a retitled paper", "", ai_keywords=("mixture",))
    paper_store.upsert_papers(db, [changed])
    gone = db.execute("SELECT id FROM papers ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    db.execute("DELETE FROM daily_entries WHERE paper_id = ?", [gone])
    db.execute("DELETE FROM papers WHERE id = ?", [gone])
    _assert_same(db)
    hits = db.execute("SELECT rowid FROM papers_heading WHERE papers_heading MATCH 'retitled'")
    assert len(hits.fetchall()) == 1


def test_a_database_from_before_migration_016_gets_it_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_db(path)
    import_paths(db, [DAYS])
    for name in ("papers_heading_ai", "papers_heading_ad", "papers_heading_au"):
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE papers_heading")
    db.execute("DELETE FROM _migrations WHERE name = '016_heading_index'")
    db.conn.commit()
    db.conn.close()
    again = open_db(path)
    assert _assert_same(again) >= 20
    triggers = {
        r[0] for r in again.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert {"papers_heading_ai", "papers_heading_ad", "papers_heading_au"} <= triggers


@pytest.mark.parametrize("query", ["model", '"video generation"', "diffusion OR agent"])
def test_it_is_the_porter_tokenizer_too(tmp_path: Path, query: str) -> None:
    """The same tokenizer: a stemmed word finds the same rows in both (`models` ~ `model`)."""
    db = open_db(tmp_path / "p.db")
    import_paths(db, [DAYS])
    conn: sqlite3.Connection = db.conn
    a = conn.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid",
        [f"{_HEADING} : ({query})"],
    ).fetchall()
    b = conn.execute(
        "SELECT rowid FROM papers_heading WHERE papers_heading MATCH ? ORDER BY rowid", [query]
    ).fetchall()
    assert a == b and a
