"""Whether any paper has a filter's data is answered by an index (storage/filled.py), with
the same answers the row scan gave."""

from __future__ import annotations

import pytest

from bot.model import Paper
from storage import open_db
from storage import papers as paper_store
from storage.filled import FILLED, any_stored_with

_OLD = {  # the conditions the scan used before migration 018
    "cat": "categories IS NOT NULL AND categories NOT IN ('', '[]')",
    "org": "organization IS NOT NULL AND organization != ''",
    "code": "github_repo IS NOT NULL AND github_repo != ''",
    "project": "project_page IS NOT NULL AND project_page != ''",
}
_WITH = {
    "cat": {"categories": ("cs.CL",)},
    "org": {"organization": "nvidia"},
    "code": {"github_repo": "https://github.com/a/b"},
    "project": {"project_page": "https://a.example"},
}


@pytest.mark.parametrize("what", list(FILLED))
def test_none_then_one(what: str) -> None:
    db = open_db(None)
    paper_store.upsert_papers(db, [Paper("2501.00001", "Plain", "abstract")])
    assert any_stored_with(db, what) is False
    paper_store.upsert_papers(db, [Paper("2501.00002", "Rich", "abstract", **_WITH[what])])
    assert any_stored_with(db, what) is True


@pytest.mark.parametrize("what", list(FILLED))
def test_it_is_an_index_probe_not_a_scan(what: str) -> None:
    db = open_db(None)
    plan = db.execute(f"EXPLAIN QUERY PLAN SELECT 1 FROM papers WHERE {FILLED[what]}").fetchall()
    assert "USING INDEX" in plan[-1][-1], plan


@pytest.mark.parametrize("value", [None, "", " ", "x", "NVIDIA"])
def test_the_org_expression_answers_as_the_old_test(value: str | None) -> None:
    db = open_db(None)
    db.execute("INSERT INTO papers (id, title, abstract, organization) VALUES ('1', 't', '', ?)",
               [value])  # fmt: skip
    for what in ("org", "cat", "code", "project"):
        new = db.execute(f"SELECT COUNT(*) FROM papers WHERE {FILLED[what]}").fetchone()
        old = db.execute(f"SELECT COUNT(*) FROM papers WHERE {_OLD[what]}").fetchone()
        assert new == old
