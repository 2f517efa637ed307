"""`org:` takes the organisation's slug or its display name (#11 item 4), the same way in
SQL (search, topic counts), in the matcher (alerts) and in the day index."""

from __future__ import annotations

import pytest

from bot.model import Paper
from bot.query.index import DayIndex
from bot.query.match import doc_for, explain_match
from bot.query.parser import parse_query
from bot.query.search import recent_counts, search_papers
from tests.support.search import make_db

PAPERS = [
    Paper("2510.00001", "Video", "x", organization="nvidia", organization_name="NVIDIA"),
    Paper("2510.00002", "Llama", "x", organization="facebook", organization_name="AI at Meta"),
    Paper("2510.00003", "Plain", "x"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("org:nvidia", {"2510.00001"}),
        ("org:NVIDIA", {"2510.00001"}),
        ("org:facebook", {"2510.00002"}),
        ('org:"AI at Meta"', {"2510.00002"}),
        ('org:"ai at meta"', {"2510.00002"}),
        ("org:meta", set()),  # a name, not a substring of one
        ("org:nvidia video", {"2510.00001"}),  # narrowed by the org indexes, then the words
        ("org:nvidia OR org:facebook", {"2510.00001", "2510.00002"}),
    ],
)
def test_org_takes_the_slug_or_the_display_name(query: str, expected: set[str]) -> None:
    db = make_db({"2025-10-01": PAPERS})
    q = parse_query(query)
    assert {h.paper_id for h in search_papers(db, q)} == expected
    assert recent_counts(db, [q], "2025-10-01", "2025-10-01") == [len(expected)]
    assert {p.id for p in PAPERS if explain_match(q, doc_for(p)) is not None} == expected
    index = DayIndex(PAPERS)
    found = index.candidates(q.root)
    assert {PAPERS[i].id for i in found} == expected  # type: ignore[union-attr]
