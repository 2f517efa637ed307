"""Stored topics kept prepared between alert runs: never a lost match, never a stale topic."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Core
from bot.daily.alerts import match_topics
from bot.model import Paper, paper_from_row
from bot.query.errors import QueryError
from bot.query.index import DayIndex, form_clauses, node_clauses, words_form
from bot.query.match import doc_for, explain_match
from bot.query.parser import parse_query
from bot.query.topic_set import stored_topics
from storage import papers as paper_store
from storage import users as user_store
from tests.support.core import offline_config

DAY = "2025-10-01"
WORDS = ["diffusion", "video", "agents", "reasoning", "model", "rl", "benchmark", "survey", "3d"]
PHRASES = ['"reinforcement learning"', '"language model"', '"video generation"']
FILTERS = ["cat:cs.CV", "cat:cs", "org:nvidia", 'author:"Wang"', "author:li", "upvotes>=20"]
FILTERS += ["has:code", 'author:"Zhang"', "cat:cs.cl", "org:meta", 'author:"ø"', "zebrafish"]
FILTERS += ['author:"étienne"', 'author:"Yang Chen"', "author:ei", 'author:"n Li"']
atoms = st.sampled_from([*WORDS, *PHRASES, *FILTERS])
queries = st.lists(st.tuples(st.sampled_from(["", "-", "OR "]), atoms), min_size=1, max_size=4).map(
    lambda parts: " ".join(op + a for op, a in parts)
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def day(core: Core) -> list[Paper]:
    return [paper_from_row(r) for r in paper_store.day_rows(core.db, DAY)]


@lru_cache(maxsize=8)
def keys_of(paper: Paper) -> frozenset[str]:
    return frozenset(DayIndex([paper]).clause_keys())


@SETTINGS  # core is read-only here
@given(text=queries)
def test_a_paper_a_topic_matches_meets_every_clause_of_it(core: Core, text: str) -> None:
    """Alerts look at a topic only on a day that meets its clauses: a matching paper must."""
    try:
        q = parse_query(text)
    except QueryError:
        return
    form = words_form(q.root)
    for paper in day(core):
        if explain_match(q, doc_for(paper)) is None:
            continue
        keys = keys_of(paper)
        assert all(not keys.isdisjoint(c) for c in node_clauses(q.root)), (text, paper.id)
        if form is not None:
            assert all(not keys.isdisjoint(c) for c in form_clauses(form)), (text, paper.id)


def naive(core: Core, papers: list[Paper]) -> dict[tuple[str, str, str], dict[str, tuple]]:
    """user → paper id → the explanation of the first of the user's topics that matches it."""
    docs = [doc_for(p) for p in papers]
    out: dict[tuple[str, str, str], dict[str, tuple]] = {}
    for platform, ws, uid, text in user_store.topics_with_alerts(core.db, by_user=True):
        try:
            q = parse_query(text)
        except QueryError:
            continue
        for paper, doc in zip(papers, docs, strict=True):
            why = explain_match(q, doc)
            if why is not None:
                out.setdefault((platform, ws, uid), {}).setdefault(paper.id, why)
    return out


def found_by_alerts(core: Core, papers: list[Paper]) -> dict:
    return {
        user: {p.id: why for p, why in matches}
        for user, matches in match_topics(core, papers).items()
    }


@SETTINGS  # every example removes the topics it stored
@given(topics=st.lists(st.tuples(st.sampled_from(["U1", "U2", "U3"]), queries), max_size=8))
def test_alerts_find_exactly_what_testing_every_topic_on_every_paper_finds(
    core: Core, topics: list[tuple[str, str]]
) -> None:
    """Kept across examples, the prepared topics must follow each example's own topics."""
    papers = day(core)
    for uid, text in topics:
        user_store.add_topic(core.db, user_store.UserKey("memory", "W1", uid), text)
    try:
        assert found_by_alerts(core, papers) == naive(core, papers)
    finally:
        for uid in ("U1", "U2", "U3"):
            user_store.delete_topics(core.db, user_store.UserKey("memory", "W1", uid), None)
    assert match_topics(core, papers) == {}


def test_a_topic_added_changed_or_deleted_is_seen_by_the_next_run(core: Core) -> None:
    papers, user = day(core), user_store.UserKey("memory", "W1", "U1")
    me = ("memory", "W1", "U1")
    assert match_topics(core, papers) == {}
    first = user_store.add_topic(core.db, user, "zebrafish")
    assert match_topics(core, papers) == {}
    kept = stored_topics(core.db)
    assert stored_topics(core.db) is kept  # nothing changed: the prepared copy is reused
    user_store.set_topic_query(core.db, user, first, '"reinforcement learning"')
    assert set(found_by_alerts(core, papers)[me].values()) == {('"reinforcement learning"',)}
    assert stored_topics(core.db) is not kept
    user_store.add_topic(core.db, user, "agents")
    assert set(found_by_alerts(core, papers)[me].values()) >= {("agents",)}
    user_store.delete_topics(core.db, user, [first])
    assert set(found_by_alerts(core, papers)[me].values()) == {("agents",)}
    user_store.delete_topics(core.db, user, None)
    assert match_topics(core, papers) == {}


def test_an_alert_mode_change_is_seen_by_the_next_run(core: Core) -> None:
    papers, user = day(core), user_store.UserKey("memory", "W1", "U1")
    user_store.add_topic(core.db, user, "agents")
    assert match_topics(core, papers, alerts="dm") == {}
    user_store.set_alerts(core.db, user, "dm")
    assert list(match_topics(core, papers, alerts="dm")) == [("memory", "W1", "U1")]
    user_store.set_alerts(core.db, user, "off")
    assert match_topics(core, papers, alerts="dm") == {}


def test_a_topic_another_process_stores_is_seen_by_the_next_run(tmp_path: Path) -> None:
    """`paperbot run` keeps its copy while commands (or another process) store topics."""
    path = str(tmp_path / "p.db")
    run = Core.open(offline_config(), path)
    other = Core.open(offline_config(), path)
    paper = Paper(id="2510.00001", title="Agents that plan", abstract="Agents.")
    assert match_topics(run, [paper]) == {}
    user_store.add_topic(other.db, user_store.UserKey("slack", "T1", "U9"), "agents")
    assert list(match_topics(run, [paper])) == [("slack", "T1", "U9")]
    other.db.execute("UPDATE topics SET query = 'zebrafish'")
    other.db.conn.commit()
    assert match_topics(run, [paper]) == {}
