"""Search over a real (in-memory) database, and the Python matcher held to the same answers."""

from __future__ import annotations

import pytest

from bot.model import paper_from_row
from bot.query import parse_query
from bot.query.match import doc_for, explain_match
from bot.query.search import SearchHit, search_papers
from storage.papers import decode_row
from tests.support.search import (
    ALL,
    CASES,
    SAMPLE_PAPERS,
    fixture_papers,
    ids,
    make_db,
    matcher_ids,
    sample_db,
    sql_ids,
)


@pytest.fixture(scope="module")
def db():
    return sample_db()


EXCLUSION_ONLY_CASES = [
    ('-"position paper"', ALL - ids(6)),
    ("-has:code", ALL - ids(1)),
    ("-upvotes>=20", ALL - ids(1, 3, 4, 10, 11)),
    ("-cat:cs.CL -diffusion", ALL - ids(4, 5, 10, 11, 1, 3, 8)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sql_search_finds_exactly(db, text: str, expected: set[str]) -> None:
    assert sql_ids(db, text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_matcher_agrees_with_sql(text: str, expected: set[str]) -> None:
    assert matcher_ids(SAMPLE_PAPERS, text) == expected


@pytest.mark.parametrize(("text", "expected"), EXCLUSION_ONLY_CASES)
def test_exclusion_only_queries_work_in_sql_and_matcher(db, text: str, expected: set[str]) -> None:
    assert sql_ids(db, text, allow_exclusion_only=True) == expected
    assert matcher_ids(SAMPLE_PAPERS, text, allow_exclusion_only=True) == expected


def test_matcher_on_stored_rows_agrees_with_the_original_papers(db) -> None:
    docs = [doc_for(paper_from_row(decode_row(r))) for r in db.query("SELECT * FROM papers")]
    for text, expected in CASES:
        q = parse_query(text)
        assert {d.paper_id for d in docs if explain_match(q, d) is not None} == expected, text


def test_hits_say_what_matched(db) -> None:
    def matched(text: str) -> dict[str, tuple[str, ...]]:
        return {h.paper_id: h.matched for h in search_papers(db, parse_query(text))}

    assert matched("diffusion video") == {
        "2401.00001": ("diffusion", "video"),
        "2401.00003": ("diffusion", "video"),
    }
    assert matched("rlhf OR dpo") == {"2401.00004": ("rlhf",), "2401.00005": ("dpo",)}
    assert matched('"state space model" cat:cs.LG')["2401.00002"] == (
        '"state space model"',
        "cat:cs.LG",
    )
    assert matched("Diffusion -survey upvotes>=20") == {"2401.00001": ("diffusion", "upvotes>=20")}
    assert matched('author:"yann lecun" has:code') == {
        "2401.00001": ('author:"yann lecun"', "has:code")
    }
    q = parse_query("-has:code", allow_exclusion_only=True)
    assert all(h.matched == () for h in search_papers(db, q, limit=100))


def test_text_queries_rank_by_relevance_then_upvotes(db) -> None:
    hits = search_papers(db, parse_query("video diffusion"))
    # paper 1 has both words in its title and keywords; paper 3 only in its abstract
    assert [h.paper_id for h in hits] == ["2401.00001", "2401.00003"]
    hits = search_papers(db, parse_query("diffusion OR cat:cs.SD"))
    assert hits[-1].paper_id == "2401.00009"  # matched by a filter only: after text matches


def test_filter_only_queries_rank_by_upvotes_then_newest(db) -> None:
    hits = search_papers(db, parse_query("cat:cs.CL"))
    assert [h.paper_id for h in hits] == ["2401.00010", "2401.00011", "2401.00004", "2401.00005"]
    assert hits[0] == SearchHit(
        "2401.00010", "GPT-4o Evaluated on Olympiad Math", 100, ("cat:cs.CL",), hits[0].paper
    )
    assert hits[0].paper is not None and hits[0].paper.organization == "OpenAI"
    # equal (missing = 0) upvotes: newest first
    hits = search_papers(db, parse_query("upvotes<5"))
    assert [h.paper_id for h in hits] == ["2401.00007", "2401.00006"]


def test_limit(db) -> None:
    assert len(search_papers(db, parse_query("cat:cs"), limit=3)) == 3
    assert search_papers(db, parse_query("cat:cs"), limit=0) == []
    assert len(search_papers(db, parse_query("cat:cs"))) == 10


@pytest.mark.parametrize(
    ("day_from", "day_to", "expected"),
    [
        ("2024-01-04", None, ids(8)),
        (None, "2024-01-02", ids(1, 3)),
        ("2024-01-03", "2024-01-03", set()),
        ("2024-01-01", "2024-01-31", ids(1, 3, 8)),
    ],
)
def test_day_range_keeps_papers_listed_in_it(db, day_from, day_to, expected) -> None:
    q = parse_query("diffusion")
    hits = search_papers(db, q, limit=50, day_from=day_from, day_to=day_to)
    assert {h.paper_id for h in hits} == expected


def test_unicode_folding_agrees_between_sql_and_matcher() -> None:
    from bot.model import Paper

    papers = [
        Paper(id="1", title="Café culture in Zürich", abstract="naïve Bayes for İstanbul"),
        Paper(id="2", title="CAFE RACERS", abstract="Σίσυφος and ΣΊΣΥΦΟΣ"),
        Paper(id="3", title="Straße und Strasse", abstract="日本語 テキスト 処理"),
    ]
    db = make_db({"2024-02-01": papers})
    for text in [
        "café",
        "cafe",
        "zurich",
        "naive",
        "istanbul",
        "σίσυφος",
        "straße",
        "日本語",
        "テキスト",
    ]:
        assert sql_ids(db, text) == matcher_ids(papers, text), text
    assert sql_ids(db, "cafe") == {"1", "2"}
    assert sql_ids(db, "zurich") == {"1"}


# Queries run on the recorded fixture days: SQL and matcher must agree, and find something.
RECORDED_QUERIES = [
    "diffusion",
    "video generation",
    '"large language models"',
    "reinforcement learning -survey",
    "(rlhf OR dpo OR preference) alignment",
    "agent OR agents",
    "has:code upvotes>=20",
    "author:wang",
    "benchmark -video",
    "multimodal reasoning",
    "org:GD-ML",
    "has:project",
]


def test_recorded_fixture_days_sql_and_matcher_agree() -> None:
    days = fixture_papers()
    db = make_db(days)
    papers = [p for ps in days.values() for p in ps]
    found_something = 0
    for text in RECORDED_QUERIES:
        sql = sql_ids(db, text)
        assert sql == matcher_ids(papers, text), text
        found_something += bool(sql)
    assert found_something >= len(RECORDED_QUERIES) - 2
