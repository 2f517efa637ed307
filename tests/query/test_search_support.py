"""Checks of the search test helpers themselves (tests/support/search.py)."""

from __future__ import annotations

from tests.support.search import SAMPLE_PAPERS, fixture_papers, sample_db


def test_sample_db_holds_every_sample_paper_once() -> None:
    db = sample_db()
    assert db["papers"].count == len(SAMPLE_PAPERS)
    assert db["daily_entries"].count == len(SAMPLE_PAPERS)


def test_fixture_days_load_into_papers() -> None:
    days = fixture_papers()
    assert sorted(days) == ["2025-03-20", "2025-10-15"]
    papers = [p for ps in days.values() for p in ps]
    assert len(papers) == 39
    assert any(p.ai_keywords for p in papers) and any(p.organization for p in papers)
