"""Personal alerts: every stored topic matched against a day's papers, and the daily DM.

The day's papers are indexed once (`DayIndex`); each topic is tested only on the papers its
words, categories, organisations or authors can match, so 10,000 topics cost little more
than reading them (parsed queries are cached by text).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from bot.cards import card_for
from bot.core import Core
from bot.daily.posting import DM, DeliveryError, Poster, message_key, send_with_retry
from bot.model import Paper, Reply, paper_from_row
from bot.query.ast import Query
from bot.query.errors import QueryError
from bot.query.index import DayIndex, WordsForm, words_form
from bot.query.match import LazyMatch, Predicate, compile_match, doc_for, explain_match
from bot.query.parser import parse_query
from bot.text import display_date, plural
from storage import papers as paper_store
from storage import users as user_store
from storage.ledger import Ledger

log = logging.getLogger(__name__)

UserId = tuple[str, str, str]  # platform, workspace_id, user_id
MAX_CARDS_PER_DM = 10


class _Compiled(NamedTuple):
    query: Query
    test: Predicate


# Every distinct stored topic stays parsed: 100,000 topics hold 50-60,000 distinct texts, and
# a cache smaller than that evicts each entry before its next use (parsing is half the work).
@lru_cache(maxsize=262_144)
def _parsed(text: str) -> WordsForm | _Compiled | None:
    """A topic of plain words as its WordsForm (its index hits are its matches), any other
    parsed and compiled; None when it does not parse."""
    try:
        q = parse_query(text)
    except QueryError:
        return None
    form = words_form(q.root)
    return form if form is not None else _Compiled(q, compile_match(q))


def match_topics(
    core: Core, papers: list[Paper], *, alerts: str | None = None
) -> dict[UserId, list[LazyMatch]]:
    """user → [(paper, matched)] for every stored topic (only users with `alerts` mode if set).

    Each pair unpacks as `(paper, matched)`; `matched` is worked out when first read, so
    only the matches a message shows pay for their explanation. A topic many users share
    is matched once."""
    index = DayIndex(papers)
    ids, docs = [p.id for p in index.papers], index.docs
    hits_of: dict[str, tuple[int, ...]] = {}  # text → the papers it matches (mostly ())
    found: dict[UserId, dict[str, LazyMatch]] = defaultdict(dict)
    for platform, ws, uid, text in user_store.topics_with_alerts(core.db, alerts):
        hits = hits_of.get(text)
        if hits is None:
            hits = hits_of[text] = _day_hits(index, text)
        if not hits:
            continue
        parsed = _parsed(text)  # cached; plain words are parsed again only to be explained
        q = parsed.query if isinstance(parsed, _Compiled) else text
        mine = found[(platform, ws, uid)]
        for i in hits:
            if ids[i] not in mine:
                mine[ids[i]] = LazyMatch(index.papers[i], q, docs[i])
    return {u: list(v.values()) for u, v in found.items() if v}


def _day_hits(index: DayIndex, text: str) -> tuple[int, ...]:
    """The indexes of the day's papers the topic matches (none when it does not parse)."""
    parsed = _parsed(text)
    if parsed is None:
        return ()
    if not isinstance(parsed, _Compiled):
        return tuple(sorted(index.words_hits(parsed)))
    q, test = parsed
    cands = index.candidates(q.root)
    docs = index.docs
    order = sorted(cands) if cands is not None else range(len(docs))
    return tuple(i for i in order if test(docs[i]))


def dm_target(user: UserId) -> str:
    return f"{user[0]}:{user[1]}:dm:{user[2]}"


def user_matches(core: Core, user: UserId, papers: list[Paper]) -> list[LazyMatch]:
    """One user's matches among `papers`, found as `match_topics` finds everyone's (for
    `/papers alerts preview`)."""
    index = DayIndex(papers)
    found: dict[str, LazyMatch] = {}
    for topic in user_store.list_topics(core.db, user_store.UserKey(*user)):
        text = topic["query"]
        parsed = _parsed(text)
        q = parsed.query if isinstance(parsed, _Compiled) else text
        for i in _day_hits(index, text):
            found.setdefault(index.papers[i].id, LazyMatch(index.papers[i], q, index.docs[i]))
    return list(found.values())


def topic_labels(core: Core, user: UserId, paper: Paper) -> tuple[str, ...]:
    """Which of the user's topics match `paper`, numbered as `/papers topics` numbers them
    (`#2 diffusion video`): the DM says why each paper is there."""
    doc = doc_for(paper)
    labels = []
    for n, topic in enumerate(user_store.list_topics(core.db, user_store.UserKey(*user)), 1):
        try:
            q = parse_query(topic["query"])
        except QueryError:
            continue
        if explain_match(q, doc) is not None:
            labels.append(f"#{n} {q.text}")
    return tuple(labels)


async def dm_reply(
    core: Core, day: str, matches: Sequence[LazyMatch], user: UserId | None = None
) -> Reply:
    """The alert DM: the day's matches, best first, each card naming the `user`'s topics
    that matched it (the bare explanation without a user). `alerts preview` shows this."""
    n = len(matches)
    text = f"Your paper alerts for {display_date(day)}: {plural(n, 'match', 'matches')}"
    shown = sorted(matches, key=lambda pm: -(pm[0].upvotes or 0))[:MAX_CARDS_PER_DM]
    if n > len(shown):
        text += f" (the top {len(shown)} below; /papers topics shows them all)"
    cards = []
    for i, (p, m) in enumerate(shown, 1):
        card = await card_for(core, p, rank=i, matched=m, day=day)
        if user is not None:
            card = replace(card, topics=topic_labels(core, user, p))
        cards.append(card)
    return Reply(text=text, cards=tuple(cards))


def pause_dm_alerts(core: Core, user: UserId, reason: str) -> None:
    """A DM refused for good (the platform will not take any DM to this user) pauses only this
    user's DM alerts, with the reason `/papers alerts` shows; choosing a mode again resumes."""
    log.warning("pausing alert DMs to %s: %s", dm_target(user), reason)
    user_store.pause_dm_alerts(core.db, user_store.UserKey(*user), reason)


async def deliver_dm_alerts(core: Core, posters: dict[str, Poster], day: str) -> int:
    """One DM per user with `alerts dm` and matches on `day`; ledger-recorded, never twice."""
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, day)]
    ledger = Ledger(core.db, core.clock.now)
    paused = user_store.dm_paused_users(core.db)
    sent = 0
    for user, matches in match_topics(core, papers, alerts="dm").items():
        poster = posters.get(user[0])
        target = dm_target(user)
        row = ledger.get(target, day, DM)
        if poster is None or user in paused or (row and row.status != "pending"):
            continue
        ledger.plan(target, day, [DM])
        reply = await dm_reply(core, day, matches, user)
        ledger.attempt(target, day, DM)
        key = message_key(day, DM, user[2])
        try:
            mid = await send_with_retry(
                core.clock,
                f"DM to {target}",
                lambda r=reply, u=user, p=poster, k=key: p.send_dm(u[1], u[2], r, key=k),
            )
        except DeliveryError as e:
            if e.permanent:
                ledger.failed(target, day, DM, e.reason)
            if e.permanent and e.scope == "channel":  # the DM itself is refused, not one item
                pause_dm_alerts(core, user, e.reason)
            log.warning("DM alert to %s failed: %s", target, e.reason)
            continue
        ledger.sent(target, day, DM, mid)
        sent += 1
    return sent
