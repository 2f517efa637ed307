"""What search does to stay fast at a million papers, held to the same answers.

The bounded candidate set (the newest CANDIDATES matches), counting by the index, the author
trigram index and explanations read from the index all change how rows are found, never
which rows match (tests/query/test_search.py and test_search_corpus.py hold the sets)."""

from __future__ import annotations

import pytest

from bot.model import Paper
from bot.query import parse_query
from bot.query import search as search_module
from bot.query.match import doc_for, explain_match
from bot.query.search import recent_counts, search_papers
from tests.support.search import CASES, SAMPLE_PAPERS, make_db, sample_db, sql_ids

BY_ID = {p.id: p for p in SAMPLE_PAPERS}


@pytest.fixture(scope="module")
def db():
    return sample_db()


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_hit_is_explained_as_the_matcher_explains_it(db, text: str, expected) -> None:
    q = parse_query(text)
    hits = search_papers(db, q, limit=50)
    assert {h.paper_id for h in hits} == expected
    for h in hits:
        assert h.matched == explain_match(q, doc_for(BY_ID[h.paper_id])), (text, h.paper_id)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_recent_counts_count_what_search_finds_in_the_range(db, text: str, expected) -> None:
    q = parse_query(text)
    for start, end in [("2024-01-03", "2024-01-04"), ("2024-01-02", "2024-01-02")]:
        found = search_papers(db, q, limit=100, day_from=start, day_to=end)
        assert recent_counts(db, [q], start, end) == [len(found)], (text, start)


def test_recent_counts_include_an_old_paper_listed_again() -> None:
    old = Paper("2401.00001", "Diffusion for video", "old news", upvotes=3)
    news = [Paper(f"2402.{i:05d}", f"Paper {i}", "nothing here") for i in range(5)]
    db = make_db({"2024-01-01": [old], "2024-02-01": news, "2024-02-02": [old]})
    q = parse_query("diffusion")
    assert recent_counts(db, [q], "2024-02-01", "2024-02-02") == [1]
    assert recent_counts(db, [q], "2024-02-01", "2024-02-01") == [0]
    assert recent_counts(db, [q], "2025-01-01", "2025-01-31") == [0]


def _archive(n: int) -> list[Paper]:
    """`n` papers about diffusion, oldest first; the first (oldest) also about zebrafish."""
    return [
        Paper(
            f"2401.{i:05d}",
            "Zebrafish diffusion" if i == 0 else f"Diffusion study {i}",
            "diffusion models",
            upvotes=1000 if i == 0 else i,
        )
        for i in range(n)
    ]


def test_a_common_word_ranks_its_newest_matches_only(monkeypatch) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    db = make_db({"2024-01-01": _archive(20)})
    hits = search_papers(db, parse_query("diffusion"), limit=3)
    # the most upvoted paper (1,000) is the oldest: outside the newest 5 matches
    assert [h.paper_id for h in hits] == ["2401.00019", "2401.00018", "2401.00017"]
    # a page bigger than the budget widens it: every match can be listed
    assert len(search_papers(db, parse_query("diffusion"), limit=100)) == 20


def test_a_rare_word_reaches_back_through_the_whole_archive(monkeypatch) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    db = make_db({"2024-01-01": _archive(20)})
    hits = search_papers(db, parse_query("zebrafish"))
    assert [h.paper_id for h in hits] == ["2401.00000"]


def test_title_and_keyword_hits_rank_before_abstract_only_hits() -> None:
    papers = [
        Paper("2401.00001", "Graph networks", "a diffusion process on graphs", upvotes=500),
        Paper("2401.00002", "Diffusion for audio", "sound", upvotes=1),
        Paper("2401.00003", "Audio", "sound", ai_keywords=("diffusion",), upvotes=2),
    ]
    db = make_db({"2024-01-01": papers})
    hits = search_papers(db, parse_query("diffusion"))
    assert [h.paper_id for h in hits] == ["2401.00003", "2401.00002", "2401.00001"]


@pytest.mark.parametrize(
    "text",
    ['author:"Yann LeCun"', "author:lecun", "author:étienne", "author:ÉTIENNE", "author:wu",
     "author:r_j", "author:r%j", "author:o'neil", 'author:"n, b"', "author:video"],
)  # fmt: skip
def test_author_narrowing_never_changes_the_answer(db, text: str) -> None:
    q = parse_query(text)
    assert sql_ids(db, text) == {p.id for p in SAMPLE_PAPERS if explain_match(q, doc_for(p))}


def test_author_index_follows_updates_and_deletes() -> None:
    db = make_db({"2024-01-01": [Paper("2401.00001", "T", "a", authors=("Ann Lee",))]})
    assert sql_ids(db, "author:lee") == {"2401.00001"}
    db.execute("UPDATE papers SET authors = '[\"Bo Chen\"]', authors_text = 'Bo Chen'")
    assert sql_ids(db, "author:lee") == set()
    assert sql_ids(db, "author:chen") == {"2401.00001"}
    db.execute("DELETE FROM daily_entries")
    db.execute("DELETE FROM papers")
    assert sql_ids(db, "author:chen") == set()
