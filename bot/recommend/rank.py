"""Ranking recent papers for one person, and papers like one paper.

As arxiv-sanity-lite does (serve.py): a linear SVM per user over tf-idf rows, the papers they
like as positives and everything else on offer as negatives (`class_weight="balanced"`, so a
handful of positives weigh as much as a thousand others), candidates ranked by the SVM's
decision value. What they like is their library plus their 👍/✅ reactions; their 👎/❌
reactions are explicit negatives and are never offered again. With fewer than
`MIN_FOR_SVM` liked papers an SVM has too little to separate, so candidates are ranked by
cosine similarity to the liked papers' centroid (minus the disliked ones').

Each suggestion carries the liked paper it is most similar to, so a reply can say why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from bot.recommend import index
from bot.recommend import vectors as vec
from storage import recommend as rec_store
from storage.users import UserKey

MIN_FOR_SVM = 3
SVM_C = 0.1  # see docs/benchmarks.md "Recommendations": the best of 0.01 / 0.1 / 1 there


@dataclass(frozen=True, slots=True)
class Suggestion:
    paper_id: str
    score: float
    like_id: str | None = None  # the liked paper this one is most similar to
    like_title: str | None = None


@dataclass(frozen=True, slots=True)
class Signals:
    """What one user likes and dislikes, as paper ids."""

    liked: tuple[str, ...]
    disliked: tuple[str, ...]

    @property
    def method(self) -> str:
        return "svm" if len(self.liked) >= MIN_FOR_SVM else "centroid"


def user_signals(db: sqlite_utils.Database, user: UserKey) -> Signals:
    """Library and 👍 reactions are liked, 👎 disliked; a 👎 on a saved paper wins."""
    votes = rec_store.user_votes(db, user)
    liked = [p for p in rec_store.library_ids(db, user) if votes.get(p, 0) >= 0]
    liked += [p for p, v in votes.items() if v > 0 and p not in liked]
    return Signals(tuple(liked), tuple(p for p, v in votes.items() if v < 0))


def recommend(
    db: sqlite_utils.Database,
    signals: Signals,
    candidates: Sequence[str],
    n: int,
    method: str | None = None,
) -> list[Suggestion]:
    """The `n` candidates this user should like most, best first ([] when they like nothing);
    `method` ("svm" | "centroid") overrides the choice by library size (the benchmark's)."""
    task = _task(db, signals, candidates, method)
    return _top(db, task.m, task.score(), task.pool, task.liked, n) if task else []


async def recommend_off_loop(
    db: sqlite_utils.Database, signals: Signals, candidates: Sequence[str], n: int
) -> list[Suggestion]:
    """`recommend` for the event loop: the database is read and written on the loop's thread
    (one connection, no interleaved transactions), and only the model — tens of milliseconds
    per user, the first one importing scikit-learn — runs in a worker thread, so commands and
    gateway heartbeats are not held up while a DM job ranks for many users."""
    task = _task(db, signals, candidates, None)
    if task is None:
        return []
    scores = await asyncio.to_thread(task.score)
    return _top(db, task.m, scores, task.pool, task.liked, n)


@dataclass(slots=True)
class _Task:
    """One ranking's inputs, read from the database; `score` touches no database."""

    m: _Matrix
    liked: list[int]
    disliked: list[int]
    pool: list[int]
    method: str

    def score(self) -> Any:
        if self.method == "svm":
            return _svm_scores(self.m.x, self.liked, self.pool)
        return _centroid_scores(self.m.x, self.liked, self.disliked, self.pool)


def _task(
    db: sqlite_utils.Database, signals: Signals, candidates: Sequence[str], method: str | None
) -> _Task | None:
    seen = set(signals.liked) | set(signals.disliked)
    offered = [c for c in dict.fromkeys(candidates) if c not in seen]
    if not signals.liked or not offered:
        return None
    m = _Matrix(db, [*signals.liked, *signals.disliked, *offered])
    liked, disliked, pool = m.rows(signals.liked), m.rows(signals.disliked), m.rows(offered)
    if not liked or not pool:
        return None
    return _Task(m, liked, disliked, pool, method or signals.method)


def similar(
    db: sqlite_utils.Database, paper_id: str, candidates: Sequence[str], n: int
) -> list[Suggestion]:
    """The `n` candidates most like one paper (cosine over the same tf-idf rows)."""
    offered = [c for c in dict.fromkeys(candidates) if c != paper_id]
    m = _Matrix(db, [paper_id, *offered])
    target, pool = m.rows([paper_id]), m.rows(offered)
    if not target or not pool:
        return []
    scores = _centroid_scores(m.x, target, [], pool)
    return [
        Suggestion(s.paper_id, s.score) for s in _top(db, m, scores, pool, target, n) if s.score > 0
    ]


class _Matrix:
    """The tf-idf rows of some papers (indexing any not yet indexed), by paper id."""

    def __init__(self, db: sqlite_utils.Database, ids: Sequence[str]) -> None:
        ids = list(dict.fromkeys(ids))
        index.update(db, ids)
        stored = rec_store.vectors(db, ids)
        self.ids = [i for i in ids if i in stored]
        self.at = {pid: i for i, pid in enumerate(self.ids)}
        df, docs = index.corpus_df(db)
        self.x = vec.tfidf_matrix([(stored[i].terms, stored[i].counts) for i in self.ids], df, docs)

    def rows(self, ids: Sequence[str]) -> list[int]:
        return [self.at[i] for i in ids if i in self.at]


def _svm_scores(x: Any, liked: list[int], pool: list[int]) -> Any:
    import numpy as np
    from sklearn.svm import LinearSVC

    y = np.zeros(x.shape[0], dtype=np.int8)
    y[liked] = 1
    clf = LinearSVC(class_weight="balanced", C=SVM_C, max_iter=10000, tol=1e-6, random_state=0)
    clf.fit(x, y)
    return clf.decision_function(x[pool])


def _centroid_scores(x: Any, liked: list[int], disliked: list[int], pool: list[int]) -> Any:
    import numpy as np

    centre = np.asarray(x[liked].mean(axis=0)).ravel()
    if disliked:
        centre = centre - np.asarray(x[disliked].mean(axis=0)).ravel()
    return x[pool] @ centre


def _top(
    db: sqlite_utils.Database, m: _Matrix, scores: Any, pool: list[int], liked: list[int], n: int
) -> list[Suggestion]:
    """The best `n` of the pool (ties: the newer id), each with the liked paper it is most like."""
    import numpy as np

    order = sorted(range(len(pool)), key=lambda j: (-float(scores[j]), _neg_id(m.ids[pool[j]])))
    best = [pool[j] for j in order[:n]]
    if not best:
        return []
    closeness = (m.x[best] @ m.x[liked].T).toarray()
    likes = [m.ids[liked[int(np.argmax(row))]] for row in closeness]
    names = rec_store.titles(db, likes)
    return [
        Suggestion(m.ids[b], float(scores[order[k]]), like, names.get(like))
        for k, (b, like) in enumerate(zip(best, likes, strict=True))
    ]


def _neg_id(pid: str) -> tuple[int, ...]:
    """Sort key putting the newer arXiv id first on a tie."""
    return tuple(-ord(c) for c in pid)
