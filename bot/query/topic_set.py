"""Every stored topic prepared for matching, kept between runs until the topics change.

Why: the daily alerts match 100,000 topics (50-60,000 distinct texts) against a day. Reading
and parsing them is most of a cold run, and looking at each distinct text is most of a warm
one, though few name a word of the day. So the prepared set is kept per database and per
alert mode, and rebuilt only when `storage/topic_version.py`'s counter moved; each distinct
text is filed under one of its clauses (`bot/query/index.py`: words or categories it needs),
and a day looks only at the texts filed under a key it holds whose other clauses it meets,
plus those that need no key (`author:`, filters alone). Rows stay
in `topics_with_alerts(by_user=True)` order, so each user's matching topics come back
together, oldest first (the first topic that found a paper explains it).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple
from weakref import WeakKeyDictionary

import sqlite_utils

from bot.query.ast import Query
from bot.query.errors import QueryError
from bot.query.index import DayIndex, WordsForm, cheapest, form_clauses, node_clauses, words_form
from bot.query.match import Predicate, compile_match
from bot.query.parser import parse_query
from storage import topic_version
from storage import users as user_store

UserId = tuple[str, str, str]  # platform, workspace_id, user_id


class Compiled(NamedTuple):
    query: Query
    test: Predicate


Parsed = WordsForm | Compiled | None


# Every distinct stored topic stays parsed: 100,000 topics hold 50-60,000 distinct texts, and
# a cache smaller than that evicts each entry before its next use (parsing is half the work).
@lru_cache(maxsize=262_144)
def parsed_topic(text: str) -> Parsed:
    """A topic of plain words as its WordsForm (its index hits are its matches), any other
    parsed and compiled; None when it does not parse."""
    try:
        q = parse_query(text)
    except QueryError:
        return None
    form = words_form(q.root)
    return form if form is not None else Compiled(q, compile_match(q))


def explainable(text: str, parsed: Parsed) -> Query | str:
    """What a `LazyMatch` explains from: the parsed query, or the text of plain words (parsed
    again only if shown)."""
    return parsed.query if isinstance(parsed, Compiled) else text


def day_hits(index: DayIndex, parsed: Parsed) -> tuple[int, ...]:
    """The indexes of the day's papers a parsed topic matches, in order (none when it did not
    parse). A tuple of ints, which the garbage collector stops tracking."""
    if parsed is None:
        return ()
    if not isinstance(parsed, Compiled):
        return tuple(sorted(index.words_hits(parsed)))
    q, test = parsed
    cands = index.candidates(q.root)
    docs = index.docs
    order = sorted(cands) if cands is not None else range(len(docs))
    return tuple(i for i in order if test(docs[i]))


class TopicSet:
    """Stored topics as rows (user, text), their distinct texts parsed and filed by clause."""

    __slots__ = (
        "users",
        "row_user",
        "row_text",
        "texts",
        "parsed",
        "text_rows",
        "by_key",
        "also",
        "always",
    )

    def __init__(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """`rows` as `topics_with_alerts(by_user=True)` gives them."""
        self.users: list[UserId] = []
        self.row_user, self.row_text = array("l"), array("l")  # row → user, text (untracked)
        self.texts: list[str] = []
        ids: dict[str, int] = {}
        rows_of: list[list[int]] = []
        for r, (platform, ws, uid, text) in enumerate(rows):
            if not self.users or self.users[-1] != (platform, ws, uid):
                self.users.append((platform, ws, uid))
            t = ids.get(text)
            if t is None:
                t = ids[text] = len(self.texts)
                self.texts.append(text)
                rows_of.append([])
            rows_of[t].append(r)
            self.row_user.append(len(self.users) - 1)
            self.row_text.append(t)
        self.text_rows = [tuple(r) for r in rows_of]
        self.parsed = [parsed_topic(text) for text in self.texts]
        self.by_key, self.also, self.always = _filed(self.texts)

    def matching_rows(self, index: DayIndex) -> tuple[list[int], dict[int, tuple[int, ...]]]:
        """The rows whose topic matches some paper of the day, in row order, and each
        matching text's hits."""
        by_key, also = self.by_key, self.also
        keys = index.clause_keys()
        looked = set(self.always)
        for key in keys:
            texts = by_key.get(key)
            if texts is not None:
                looked.update(texts)
        hits_of: dict[int, tuple[int, ...]] = {}
        rows: list[int] = []
        parsed, text_rows = self.parsed, self.text_rows
        for t in looked:
            more = also.get(t)
            if more is not None and any(keys.isdisjoint(c) for c in more):
                continue  # another word (or category) it needs is not in the day
            hits = day_hits(index, parsed[t])
            if hits:
                hits_of[t] = hits
                rows.extend(text_rows[t])
        rows.sort()
        return rows, hits_of


Filing = tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]]


def _filed(
    texts: list[str],
) -> tuple[dict[str, tuple[int, ...]], dict[int, tuple[tuple[str, ...], ...]], tuple[int, ...]]:
    """Each text's index under each key of its cheapest clause, its other clauses, and the
    texts that need no key (tested every day)."""
    by_key: dict[str, list[int]] = {}
    also: dict[int, tuple[tuple[str, ...], ...]] = {}
    always: list[int] = []
    for t, text in enumerate(texts):
        first, others = _filing(text)
        if first is None:
            always.append(t)
            continue
        for key in first:
            by_key.setdefault(key, []).append(t)
        if others:
            also[t] = others
    return {k: tuple(v) for k, v in by_key.items()}, also, tuple(always)


@lru_cache(maxsize=262_144)  # as parsed_topic: a rebuilt set (one topic changed) reuses it
def _filing(text: str) -> Filing:
    """A text's cheapest clause and its others, as tuples of strings (the collector stops
    tracking them); (None, ()) when it needs no key, ((), ()) when it can match nothing (or
    does not parse)."""
    p = parsed_topic(text)
    if p is None:
        return (), ()
    clauses = node_clauses(p.query.root) if isinstance(p, Compiled) else form_clauses(p)
    if not clauses:
        return None, ()
    first = cheapest(clauses)
    return tuple(first), tuple(tuple(c) for c in dict.fromkeys(c for c in clauses if c != first))


# Per database (weakly: a closed test database frees its set) and alert mode, with the topics
# version it was read at.
_sets: WeakKeyDictionary[sqlite_utils.Database, dict[str | None, tuple[int, TopicSet]]] = (
    WeakKeyDictionary()
)


def stored_topics(db: sqlite_utils.Database, alerts: str | None = None) -> TopicSet:
    """Every stored topic (only of users whose alert mode is `alerts` when given), prepared;
    the copy from an earlier call while no topic or alert mode changed since."""
    version = topic_version.version(db)
    mine = _sets.setdefault(db, {})
    kept = mine.get(alerts)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    topics = TopicSet(user_store.topics_with_alerts(db, alerts, by_user=True))
    if version is not None:
        mine[alerts] = (version, topics)
    return topics
