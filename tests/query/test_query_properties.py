"""Property tests: any user string parses or gets a clean QueryError — never an SQLite error.

And what parses compiles to SQL that runs, made only of our own fragments (user text goes
through parameters), and the Python matcher never raises and agrees with SQL.
"""

from __future__ import annotations

import re
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.query import QueryError, compile_query, parse_query
from bot.query.ast import describe
from bot.query.lexer import MAX_QUERY_CHARS
from bot.query.match import compile_match, doc_for, explain_match
from bot.query.search import search_papers
from tests.support.search import SAMPLE_PAPERS, sample_db

DB = sample_db()  # read-only for every example
DOCS = [doc_for(p) for p in SAMPLE_PAPERS]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that mean something to our parser, to FTS5 or to SQL.
SYNTAX = [
    '"', "(", ")", "-", "--", ":", "*", "^", "+", "NEAR", "NEAR(", "OR", "or", "AND", "NOT",
    "cat:", "author:", "org:", "has:", "has:code", "upvotes", ">=", "<", "=", "upvotes>=",
    "'", ";", "\\", "%", "_", "{", "}", "\x00", "\u201c", "\u201d", "\ud800", "é", "🤗",
    "日本", "\u0301", "\u200b", "\n", "title:", "papers_fts", "DROP TABLE papers",
]  # fmt: skip
WORDS = [
    "diffusion", "video", "state", "space", "model", "rlhf", "dpo", "alignment", "survey",
    "position", "paper", "gpt-4o", "cs.CL", "cs", "lecun", "nvidia", "sparse", "models",
]  # fmt: skip
query_like = (
    st.lists(
        st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=6)),
        max_size=12,
    )
    .flatmap(lambda parts: st.just(parts) | st.permutations(parts))
    .flatmap(lambda parts: st.sampled_from([" ", ""]).map(lambda sep: sep.join(parts)))
)
any_text = st.one_of(st.text(max_size=250), query_like)

# Only these may appear in compiled SQL outside the parameters.
_SQL_WORDS = """papers.rowid IN SELECT rowid FROM papers_fts WHERE MATCH ? AND OR NOT EXISTS 1
    json_each CASE WHEN json_valid papers.categories THEN ELSE '[]' END lower value = LIKE
    ESCAPE '\\' COALESCE papers.primary_category '' papers.authors papers.organization
    papers.organization_name papers.upvotes 0 >= > <= < != papers.github_repo papers.project_page"""
SQL_VOCABULARY = frozenset(_SQL_WORDS.split())


def _parse(text: str, allow: bool):
    try:
        return parse_query(text, allow_exclusion_only=allow)
    except QueryError as err:
        message = str(err)
        assert message and "\n" not in message and len(message) <= 200
        return None


def _sql_ids(q) -> set[str]:
    compiled = compile_query(q)
    rows = DB.execute(f"SELECT papers.id FROM papers WHERE {compiled.where}", compiled.params)
    return {row[0] for row in rows.fetchall()}


@SETTINGS
@given(any_text, st.booleans())
def test_any_text_parses_or_fails_cleanly_and_sql_never_errors(text: str, allow: bool) -> None:
    q = _parse(text, allow)
    if q is None:
        return
    try:
        found = _sql_ids(q)
        hits = search_papers(DB, q, limit=50, day_from="2024-01-01", day_to="2024-12-31")
    except sqlite3.Error as err:  # pragma: no cover - the property under test
        raise AssertionError(f"SQLite error for {text!r}: {err}") from err
    assert {h.paper_id for h in hits} == found
    for doc in DOCS:
        explain_match(q, doc)


@SETTINGS
@given(any_text)
def test_compiled_sql_is_made_only_of_our_fragments(text: str) -> None:
    q = _parse(text, True)
    if q is None:
        return
    compiled = compile_query(q)
    pieces = set(re.split(r"[\s()]+|,", compiled.where)) - {""}
    assert pieces <= SQL_VOCABULARY, pieces - SQL_VOCABULARY
    assert compiled.where.count("?") == len(compiled.params)
    for param in compiled.params:
        if isinstance(param, str):
            assert "\x00" not in param
            param.encode("utf-8")  # no lone surrogates reach SQLite


@SETTINGS
@given(any_text)
def test_text_and_canonical_form_parse_back_to_the_same_query(text: str) -> None:
    q = _parse(text, True)
    if q is None:
        return
    assert parse_query(q.text, allow_exclusion_only=True) == q
    canonical = describe(q.root)
    if len(canonical) <= MAX_QUERY_CHARS:
        assert parse_query(canonical, allow_exclusion_only=True).root == q.root


# Realistic queries (words from the sample papers, every operator): SQL and matcher agree.
vocab_word = st.sampled_from(
    WORDS + ["learning", "language", "graphs", "diffusions", "long", "aligning", "video-diffusion"]
)
atom = st.one_of(
    vocab_word,
    st.lists(vocab_word, min_size=1, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.sampled_from(
        ["cat:cs.CL", "cat:cs.LG", "cat:cs", "author:lecun", "author:é", "org:nvidia",
         "org:META", "upvotes>=20", "upvotes<10", "upvotes=8", "has:code", "has:project"]
    ),
)  # fmt: skip
expr = st.recursive(
    atom,
    lambda inner: st.one_of(
        inner.map(lambda a: "-" + a),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(" + " OR ".join(xs) + ")"),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(" + " ".join(xs) + ")"),
    ),
    max_leaves=6,
)


@SETTINGS
@given(st.lists(expr, min_size=1, max_size=3).map(" ".join))
def test_matcher_agrees_with_sql_on_generated_queries(text: str) -> None:
    q = _parse(text, True)
    if q is None:
        return
    matched = {d.paper_id for d in DOCS if explain_match(q, d) is not None}
    assert matched == _sql_ids(q), text


@SETTINGS
@given(any_text)
def test_the_compiled_matcher_agrees_with_the_explainer(text: str) -> None:
    q = _parse(text, True)
    if q is None:
        return
    test = compile_match(q)
    for doc in DOCS:
        assert test(doc) == (explain_match(q, doc) is not None)
