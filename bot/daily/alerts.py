"""Personal alerts: every stored topic matched against a day's papers, and the daily DM.

The day's papers are indexed once (`DayIndex`); each topic is tested only on the papers its
words, categories, organisations or authors can match, so 10,000 topics cost little more
than reading them (parsed queries are cached by text).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from functools import lru_cache

from bot.cards import card_for
from bot.core import Core
from bot.daily.posting import DM, DeliveryError, Poster, message_key, send_with_retry
from bot.model import Paper, Reply, paper_from_row
from bot.query.ast import Query
from bot.query.errors import QueryError
from bot.query.index import DayIndex
from bot.query.match import explain_match
from bot.query.parser import parse_query
from bot.text import display_date, plural
from storage import papers as paper_store
from storage import users as user_store
from storage.ledger import Ledger

log = logging.getLogger(__name__)

UserId = tuple[str, str, str]  # platform, workspace_id, user_id
MAX_CARDS_PER_DM = 10


@lru_cache(maxsize=50_000)
def _parsed(text: str) -> Query | None:
    try:
        return parse_query(text)
    except QueryError:
        return None


def match_topics(
    core: Core, papers: list[Paper], *, alerts: str | None = None
) -> dict[UserId, list[tuple[Paper, tuple[str, ...]]]]:
    """user → [(paper, matched)] for every stored topic (only users with `alerts` mode if set)."""
    index = DayIndex(papers)
    everyone = range(len(index.papers))
    found: dict[UserId, dict[str, tuple[Paper, tuple[str, ...]]]] = defaultdict(dict)
    for platform, ws, uid, text in user_store.topics_with_alerts(core.db, alerts):
        q = _parsed(text)
        if q is None:
            continue
        cands = index.candidates(q.root)
        mine = found[(platform, ws, uid)]
        for i in sorted(cands) if cands is not None else everyone:
            paper = index.papers[i]
            if paper.id in mine:
                continue
            m = explain_match(q, index.docs[i])
            if m is not None:
                mine[paper.id] = (paper, m)
    return {u: list(v.values()) for u, v in found.items() if v}


def dm_target(user: UserId) -> str:
    return f"{user[0]}:{user[1]}:dm:{user[2]}"


async def dm_reply(core: Core, day: str, matches: list[tuple[Paper, tuple[str, ...]]]) -> Reply:
    n = len(matches)
    text = f"Your paper alerts for {display_date(day)}: {plural(n, 'match', 'matches')}"
    shown = sorted(matches, key=lambda pm: -(pm[0].upvotes or 0))[:MAX_CARDS_PER_DM]
    if n > len(shown):
        text += f" (the top {len(shown)} below; /papers topics shows them all)"
    cards = tuple([await card_for(core, p, rank=i, matched=m) for i, (p, m) in enumerate(shown, 1)])
    return Reply(text=text, cards=cards)


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
        reply = await dm_reply(core, day, matches)
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
