"""`paper_keys.name` (migration 017) is exactly the title's part before its first colon, kept
by the triggers through inserts, title changes and on a database migrated to it; search's
re-rank from it orders as it did from whole titles (bot/query/rank.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest import import_paths
from bot.model import Paper
from bot.query.ast import Phrase, Term
from bot.query.rank import Blend
from storage import open_db
from storage import papers as paper_store
from tests.support.core import DAYS

ODD_TITLES = [
    "No colon at all",
    ": a title that starts with one",
    "Ünïcödé-Ñame: with accents",
    "Two: colons: here",
    "Trailing colon:",
    "日本語モデル：full-width colon is not a colon",
    "DeepSeek-R1: Incentivizing Reasoning",
]


def _names(db) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return db.execute(
        "SELECT p.title, k.name FROM papers p JOIN paper_keys k ON k.paper_rowid = p.rowid"
    ).fetchall()


def _expected(title: str) -> str | None:
    head, colon, _ = title.partition(":")
    return head if colon else None


def _odd(db) -> None:  # type: ignore[no-untyped-def]
    papers = [Paper(f"2501.{i:05d}", t, "abstract") for i, t in enumerate(ODD_TITLES)]
    paper_store.upsert_papers(db, papers)


def test_the_name_is_the_part_before_the_first_colon(tmp_path: Path) -> None:
    db = open_db(tmp_path / "p.db")
    import_paths(db, [DAYS])
    _odd(db)
    rows = _names(db)
    assert len(rows) > 100 and sum(name is not None for _, name in rows) > 30
    assert all(name == _expected(title) for title, name in rows)


def test_a_new_title_moves_the_name() -> None:
    db = open_db(None)
    _odd(db)
    paper_store.upsert_papers(db, [Paper("2501.00000", "Renamed: now it has one", "abstract")])
    paper_store.upsert_papers(db, [Paper("2501.00006", "DeepSeek-R1 without a colon", "x")])
    names = dict(_names(db))
    assert names["Renamed: now it has one"] == "Renamed"
    assert names["DeepSeek-R1 without a colon"] is None


def test_a_database_from_before_migration_017_gets_names(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_db(path)
    import_paths(db, [DAYS])
    db.execute("UPDATE paper_keys SET name = NULL")
    db.execute("DELETE FROM _migrations WHERE name = '017_paper_names'")
    db.conn.commit()
    db.conn.close()
    again = open_db(path)
    rows = _names(again)
    assert sum(name is not None for _, name in rows) > 30
    assert all(name == _expected(title) for title, name in rows)


@pytest.mark.parametrize(
    "words", [["deepseek"], ["video", "generation"], ["two"], ["deepseek", "r1"]]
)
def test_the_blend_from_the_name_is_the_blend_from_the_title(
    tmp_path: Path, words: list[str]
) -> None:
    db = open_db(tmp_path / "p.db")
    import_paths(db, [DAYS])
    _odd(db)
    atoms = [Term(w) for w in words] + ([Phrase(tuple(words))] if len(words) > 1 else [])
    blend = Blend(atoms)
    rows = _names(db)
    for title, name in rows:
        for score, up in ((4, 11), (0, None)):
            assert blend.of_name(score, name, up) == blend.of(score, title, up), title
    assert any(blend.name_bonus(t) > 0 for t, _ in rows)  # the test has teeth
