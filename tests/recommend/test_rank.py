"""Recommendations on a real day: a library of one field gets papers of that field, says why,
never offers what the user saved or voted down; `similar` finds a paper's field."""

from __future__ import annotations

import random

import pytest

from bot.recommend import rank
from storage import recommend as rec_store
from storage.users import UserKey, save_paper

FIELDS = ("cs.CL", "cs.RO", "math.PR", "hep-th")
USER = UserKey("slack", "T1", "U1")


def _of(papers, field: str) -> list[str]:
    return [p.id for p in papers if p.primary_category == field]


def _field_share(found, papers, field: str) -> float:
    cats = {p.id: p.categories for p in papers}
    return sum(field in cats[s.paper_id] for s in found) / len(found)


def test_a_library_of_one_field_gets_that_field_first(db, papers) -> None:
    everyone = [p.id for p in papers]
    rng = random.Random(7)
    for field in FIELDS:
        lib = rng.sample(_of(papers, field), 5)
        signals = rank.Signals(tuple(lib), ())
        assert signals.method == "svm"
        found = rank.recommend(db, signals, everyone, 5)
        assert len(found) == 5 and not set(lib) & {s.paper_id for s in found}
        assert _field_share(found, papers, field) >= 0.8, field  # random: 0.25
        assert all(s.like_id in lib and s.like_title for s in found)
        scores = [s.score for s in found]
        assert scores == sorted(scores, reverse=True)


def test_one_or_two_papers_fall_back_to_the_centroid(db, papers) -> None:
    lib = _of(papers, "hep-th")[:2]
    signals = rank.Signals(tuple(lib), ())
    assert signals.method == "centroid"
    found = rank.recommend(db, signals, [p.id for p in papers], 5)
    assert _field_share(found, papers, "hep-th") >= 0.6


def test_disliked_papers_are_never_offered_and_push_their_kind_down(db, papers) -> None:
    lib = _of(papers, "cs.CL")[:2]
    robots = _of(papers, "cs.RO")
    before = rank.recommend(db, rank.Signals(tuple(lib), ()), [p.id for p in papers], 60)
    after = rank.recommend(
        db, rank.Signals(tuple(lib), tuple(robots[:3])), [p.id for p in papers], 60
    )
    offered = [s.paper_id for s in after]
    assert not set(robots[:3]) & set(offered)

    def robot_rank(found) -> float:
        places = [i for i, s in enumerate(found) if s.paper_id in robots[3:]]
        return sum(places) / len(places)

    assert robot_rank(after) > robot_rank(before)


def test_nothing_liked_means_nothing_recommended(db, papers) -> None:
    assert rank.recommend(db, rank.Signals((), ()), [p.id for p in papers], 5) == []


def test_signals_come_from_the_library_and_votes(db, papers) -> None:
    a, b, c, d = (p.id for p in papers[:4])
    save_paper(db, USER, a)
    save_paper(db, USER, b)
    rec_store.add_vote(db, USER, c, "+1", 1)
    rec_store.add_vote(db, USER, b, "-1", -1)  # a 👎 on a saved paper wins
    rec_store.add_vote(db, USER, d, "-1", -1)
    rec_store.add_vote(db, USER, d, "x", -1)
    signals = rank.user_signals(db, USER)
    assert set(signals.liked) == {a, c} and set(signals.disliked) == {b, d}
    assert rec_store.remove_vote(db, USER, c, "+1")
    assert set(rank.user_signals(db, USER).liked) == {a}


def test_similar_finds_papers_of_the_same_field(db, papers) -> None:
    for field in FIELDS:
        target = _of(papers, field)[0]
        found = rank.similar(db, target, [p.id for p in papers], 3)
        assert found and target not in {s.paper_id for s in found}
        assert _field_share(found, papers, field) >= 2 / 3, field


def test_recent_ids_span_hf_days_and_publication_dates(db, papers) -> None:
    assert set(rec_store.recent_ids(db, "2023-09-15", "2023-09-21")) == {p.id for p in papers}
    assert rec_store.recent_ids(db, "2023-09-22", "2023-09-28") == []


def test_off_the_loop_ranks_the_same_and_fits_the_model_in_a_worker_thread(
    db, papers, monkeypatch
) -> None:
    """The DM job and `/papers recommend` rank many users on the event loop's process: the
    SVM fit (tens of ms a user) must not run on the loop's thread; the database stays on it."""
    import asyncio
    import threading

    lib = random.Random(3).sample(_of(papers, "cs.RO"), 5)
    signals = rank.Signals(tuple(lib), ())
    everyone = [p.id for p in papers]
    expected = rank.recommend(db, signals, everyone, 5)
    fitted_on: list[threading.Thread] = []
    fit = rank._svm_scores

    def watched(*args):
        fitted_on.append(threading.current_thread())
        return fit(*args)

    monkeypatch.setattr(rank, "_svm_scores", watched)
    found = asyncio.run(rank.recommend_off_loop(db, signals, everyone, 5))
    assert [(s.paper_id, s.like_id) for s in found] == [(s.paper_id, s.like_id) for s in expected]
    assert [s.score for s in found] == pytest.approx([s.score for s in expected], rel=1e-5)
    assert fitted_on and fitted_on[0] is not threading.main_thread()
