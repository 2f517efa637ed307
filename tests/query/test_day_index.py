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
