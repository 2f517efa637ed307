"""The day index may only narrow the papers tested, never lose a match."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Core
from bot.model import paper_from_row
from bot.query.errors import QueryError
from bot.query.index import DayIndex, candidates_are_exact, words_form
from bot.query.match import compile_match, explain_match
from bot.query.parser import parse_query
from storage import papers as paper_store

WORDS = [
    "diffusion",
    "video",
    "agent",
    "agents",
    "reasoning",
    "language",
    "model",
    "rl",
    "reinforcement learning",
    "benchmark",
    "survey",
    "vision",
    "3d",
    "robot",
]
FILTERS = [
    "cat:cs.CV",
    "cat:cs",
    "org:nvidia",
    'author:"Wang"',
    "author:li",
    "upvotes>=20",
    "has:code",
]
atoms = st.one_of(
    st.sampled_from(WORDS).map(lambda w: f'"{w}"' if " " in w else w), st.sampled_from(FILTERS)
)
queries = st.lists(st.tuples(st.sampled_from(["", "-", "OR "]), atoms), min_size=1, max_size=4).map(
    lambda parts: " ".join(op + a for op, a in parts)
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # core is read-only here
@given(text=queries)
def test_candidates_cover_every_match(core: Core, text: str) -> None:
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, "2025-10-01")]
    index = DayIndex(papers)
    try:
        q = parse_query(text)
    except QueryError:
        return
    truth = {i for i, d in enumerate(index.docs) if explain_match(q, d) is not None}
    cands = index.candidates(q.root)
    assert cands is None or truth <= cands


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # core is read-only here
@given(text=queries)
def test_the_compiled_test_and_exact_candidates_agree_with_the_explainer(
    core: Core, text: str
) -> None:
    """Alerts test candidates with `compile_match` (explaining later), and skip the test
    where the index says its candidates are exact: both must give the explainer's matches."""
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, "2025-10-01")]
    index = DayIndex(papers)
    try:
        q = parse_query(text)
    except QueryError:
        return
    test = compile_match(q)
    truth = {i for i, d in enumerate(index.docs) if explain_match(q, d) is not None}
    assert {i for i, d in enumerate(index.docs) if test(d)} == truth
    if candidates_are_exact(q.root):
        assert index.candidates(q.root) == truth
        assert index.words_hits(words_form(q.root)) == truth


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # core is read-only here
@given(text=queries)
def test_words_with_exclusions_are_matched_exactly_by_the_index(core: Core, text: str) -> None:
    """Alerts take a words-only topic's index hits as its matches, exclusions included
    (`a OR b -survey`): they must be exactly the explainer's matches."""
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, "2025-10-01")]
    index = DayIndex(papers)
    try:
        q = parse_query(text)
    except QueryError:
        return
    form = words_form(q.root)
    if form is not None:
        truth = {i for i, d in enumerate(index.docs) if explain_match(q, d) is not None}
        assert index.words_hits(form) == truth


def test_an_or_with_an_exclusion_is_a_words_form(core: Core) -> None:
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, "2025-10-01")]
    index = DayIndex(papers)
    q = parse_query("agent OR agents -survey")
    form = words_form(q.root)
    assert form == ("-", ("|", "agent", "agent"), "survei")
    truth = {i for i, d in enumerate(index.docs) if explain_match(q, d) is not None}
    assert truth and index.words_hits(form) == truth
    assert not candidates_are_exact(q.root)


def test_author_trigram_postings_find_what_the_scan_finds(core: Core) -> None:
    """A day of a thousand papers finds `author:` needles through trigram postings; they must
    find exactly the papers one scan of the joined names finds."""
    papers = [
        paper_from_row(r)
        for d in ("2025-09-30", "2025-10-01", "2025-10-02")
        for r in paper_store.day_rows(core.db, d)
    ]
    index = DayIndex(papers)
    names = sorted({a.lower() for p in papers for a in p.authors})
    needles = [*names[:40], *(n[1:6] for n in names[40:80]), "wang", "li\nx", "zzzq", "ei l"]
    for needle in needles:
        scanned: set[int] = set()
        at = index._author_blob.find(needle)
        while at != -1:
            scanned.add(max(i for i, s in enumerate(index._author_starts) if s <= at))
            at = index._author_blob.find(needle, at + 1)
        assert index._author_gram_hits(needle) == scanned, needle
