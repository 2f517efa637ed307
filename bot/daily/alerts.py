"""Personal alerts: every stored topic matched against a day's papers, and the daily DM.

The day's papers — Hugging Face's list and, with `[sources] arxiv_categories`, the papers arXiv
announced that day (~1,000) — are indexed once (`DayIndex`); each topic is tested only on the
papers its words, categories, organisations or authors can match, so 100,000 topics cost little
more than reading them (parsed queries are cached by text). Each user's scope (`alerts scope
hf|arxiv|all`) keeps the part of the day they asked for; the DM shows HF papers first.
"""

from __future__ import annotations

import gc
import logging
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import replace

from bot.cards import card_for
from bot.core import Core
from bot.daily.posting import DM, DeliveryError, Poster, message_key, send_keyed
from bot.daily.recommend_dm import recommended_cards, section_text
from bot.model import Paper, PaperCard, Reply, paper_from_row
from bot.query.ast import Query
from bot.query.errors import QueryError
from bot.query.index import DayIndex
from bot.query.match import LazyMatch, doc_for, explain_match
from bot.query.parser import parse_query
from bot.query.topic_set import day_hits, explainable, parsed_topic, stored_topics
from bot.text import display_date, plural
from storage import alert_scopes as scope_store
from storage import announcements as announcement_store
from storage import papers as paper_store
from storage import recommend as rec_store
from storage import users as user_store
from storage.ledger import Ledger

log = logging.getLogger(__name__)

UserId = tuple[str, str, str]  # platform, workspace_id, user_id
MAX_CARDS_PER_DM = 10


def default_scope(core: Core) -> str:
    """A user who never chose gets the whole day when arXiv's feed is configured."""
    return "all" if core.config.sources.arxiv_categories else "hf"


def match_topics(
    core: Core,
    papers: list[Paper],
    *,
    alerts: str | None = None,
    arxiv_papers: Sequence[Paper] = (),
) -> dict[UserId, UserMatches]:
    """user → [(paper, matched)] for every stored topic (only users with `alerts` mode if set).

    `papers` are Hugging Face's day, `arxiv_papers` arXiv's announcements HF did not list; both
    are indexed together, once, and each user keeps the part their scope covers. Each pair
    unpacks as `(paper, matched)`; `matched` is worked out when first read, so only the
    matches a message shows pay for their explanation. A topic many users share is matched
    once."""
    index = DayIndex([*papers, *arxiv_papers])
    n_hf = len(papers)  # indexes below it are HF papers, from it on arXiv's
    scopes, default = scope_store.chosen_scopes(core.db), default_scope(core)
    topics = stored_topics(core.db, alerts)
    rows, hits_of = topics.matching_rows(index)
    found: dict[UserId, UserMatches] = {}
    users, row_user, row_text, texts, parsed = (
        topics.users,
        topics.row_user,
        topics.row_text,
        topics.texts,
        topics.parsed,
    )
    last, mine, scope = -1, UserMatches(index), default
    for r in rows:  # a user's matching topics come together, oldest first
        if row_user[r] != last:
            last = row_user[r]
            scope = scopes.get(users[last], default)
            mine = UserMatches(index)
        t = row_text[r]
        hits = hits_of[t]
        if scope != "all":  # hits are in index order: HF's part, then arXiv's
            cut = bisect_left(hits, n_hf)
            hits = hits[:cut] if scope == "hf" else hits[cut:]
            if not hits:
                continue
        if not mine.parts:
            found[users[last]] = mine
        mine.parts.append((explainable(texts[t], parsed[t]), hits))
    _freeze_if_cache_grew()
    return found


class UserMatches(Sequence[LazyMatch]):
    """One user's matches of the day: which topic found which papers, turned into
    `LazyMatch`es (one per paper, the first topic that found it) only when read.

    100,000 topics against a 1,000-paper day find a million (user, paper) pairs; a DM reads a
    few users' at a time, so none is built before its user's DM is."""

    __slots__ = ("index", "parts", "_built")

    def __init__(self, index: DayIndex) -> None:
        self.index = index
        self.parts: list[tuple[Query | str, tuple[int, ...]]] = []  # (topic, paper indexes)
        self._built: list[LazyMatch] | None = None

    def _matches(self) -> list[LazyMatch]:
        if self._built is None:
            papers, docs = self.index.papers, self.index.docs
            seen: dict[int, LazyMatch] = {}
            for q, hits in self.parts:  # the first topic that found a paper explains it
                for i in hits:
                    if i not in seen:
                        seen[i] = LazyMatch(papers[i], q, docs[i])
            self._built = list(seen.values())
        return self._built

    def __len__(self) -> int:
        if self._built is None and len(self.parts) > 1:  # count without building
            return len(set().union(*(hits for _, hits in self.parts)))
        return len(self.parts[0][1]) if self._built is None else len(self._built)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]  # int or slice, as a list
        return self._matches()[i]

    def __iter__(self) -> Iterator[LazyMatch]:
        return iter(self._matches())


_frozen_at = [0]  # the parse cache's size when the collector last froze what is alive
FREEZE_AFTER = 10_000


def _freeze_if_cache_grew() -> None:
    """Once the parse cache has grown by many topics, collect once and freeze.

    The cached topics live as long as the process, yet every full collection would walk
    them all again (half the warm time at 100,000 topics). `gc.freeze()` moves what is
    alive now out of the collector's sight (https://docs.python.org/3/library/gc.html#gc.freeze);
    refcounting still frees it. The collect first keeps garbage out of the frozen set."""
    size = parsed_topic.cache_info().currsize
    if size - _frozen_at[0] >= FREEZE_AFTER:
        gc.collect()
        gc.freeze()
        _frozen_at[0] = size


def day_papers(core: Core, day: str) -> tuple[list[Paper], list[Paper]]:
    """`day`'s HF list, and the papers arXiv first announced that day that HF did not list."""
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, day)]
    listed = {p.id for p in papers}
    rows = announcement_store.arxiv_day_rows(core.db, day)
    return papers, [paper_from_row(r) for r in rows if r["id"] not in listed]


def dm_target(user: UserId) -> str:
    return f"{user[0]}:{user[1]}:dm:{user[2]}"


def user_matches(
    core: Core, user: UserId, papers: list[Paper], arxiv_papers: Sequence[Paper] = ()
) -> list[LazyMatch]:
    """One user's matches among the day's `papers` and `arxiv_papers`, within their scope,
    found as `match_topics` finds everyone's (for `/papers alerts preview`)."""
    scope = scope_store.chosen_scopes(core.db).get(user, default_scope(core))
    pool = {"hf": papers, "arxiv": list(arxiv_papers)}.get(scope, [*papers, *arxiv_papers])
    index = DayIndex(pool)
    found: dict[str, LazyMatch] = {}
    for topic in user_store.list_topics(core.db, user_store.UserKey(*user)):
        text = topic["query"]
        parsed = parsed_topic(text)
        q = explainable(text, parsed)
        for i in day_hits(index, parsed):
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
    core: Core,
    day: str,
    matches: Sequence[LazyMatch],
    user: UserId | None = None,
    arxiv_ids: frozenset[str] = frozenset(),
) -> Reply:
    """The alert DM: Hugging Face's matches first (most upvoted first), then arXiv's (in id
    order, the order arXiv announced them), each card naming the `user`'s topics that matched
    it (the bare explanation without a user). When both have matches, arXiv keeps at least
    half of the cards it can fill. A `user` with `alerts recommend on` gets the "Recommended
    for you" cards last (alone when nothing matched; no cards at all means no DM). `alerts
    preview` shows exactly this."""
    hf = sorted((m for m in matches if m.paper.id not in arxiv_ids), key=_upvotes_first)
    ax = sorted((m for m in matches if m.paper.id in arxiv_ids), key=lambda m: m.paper.id)
    n = len(matches)
    ax_room = min(len(ax), max(MAX_CARDS_PER_DM // 2, MAX_CARDS_PER_DM - len(hf)))
    shown = [*hf[: MAX_CARDS_PER_DM - ax_room], *ax[:ax_room]]
    cards = []
    for i, m in enumerate(shown, 1):
        card = await card_for(core, m.paper, rank=i, matched=m.matched, day=day)
        if user is not None:
            card = replace(card, topics=topic_labels(core, user, m.paper))
        cards.append(card)
    liked: tuple[PaperCard, ...] = ()
    if user is not None:
        matched_ids = {m.paper.id for m in matches}
        liked = await recommended_cards(
            core, user, day, shown=matched_ids, first_rank=len(cards) + 1
        )
    if not n and liked:
        return Reply(text=section_text(liked, after_matches=False), cards=liked)
    text = f"Your paper alerts for {display_date(day)}: {plural(n, 'match', 'matches')}"
    if ax:
        text += f" ({len(hf)} on Hugging Face's list, then {len(ax)} announced on arXiv)"
    if n > len(shown):
        text += f"; the top {len(shown)} below, /papers topics shows them all"
    if liked:
        text += section_text(liked, after_matches=True)
    return Reply(text=text, cards=(*cards, *liked))


def _upvotes_first(m: LazyMatch) -> tuple[int, str]:
    return -(m.paper.upvotes or 0), m.paper.id


def pause_dm_alerts(core: Core, user: UserId, reason: str) -> None:
    """A DM refused for good (the platform will not take any DM to this user) pauses only this
    user's DM alerts, with the reason `/papers alerts` shows; choosing a mode again resumes."""
    log.warning("pausing alert DMs to %s: %s", dm_target(user), reason)
    user_store.pause_dm_alerts(core.db, user_store.UserKey(*user), reason)


async def deliver_dm_alerts(core: Core, posters: dict[str, Poster], day: str) -> int:
    """One DM per user with `alerts dm` and matches on `day` — or, with `alerts recommend on`,
    recommendations alone; ledger-recorded, never twice."""
    papers, arxiv = day_papers(core, day)
    arxiv_ids = frozenset(p.id for p in arxiv)
    ledger = Ledger(core.db, core.clock.now)
    paused = user_store.dm_paused_users(core.db)
    sent = 0
    found: dict[UserId, Sequence[LazyMatch]] = dict(
        match_topics(core, papers, alerts="dm", arxiv_papers=arxiv)
    )
    for user in rec_store.recommend_dm_users(core.db):
        found.setdefault(user, ())  # no match today: the section may still make a DM
    for user, matches in found.items():
        poster = posters.get(user[0])
        row = ledger.get(dm_target(user), day, DM)
        if poster is None or user in paused or (row and row.status != "pending"):
            continue
        reply = await dm_reply(core, day, matches, user, arxiv_ids)
        if reply.cards and await _send_dm(core, ledger, poster, user, day, reply):
            sent += 1
    return sent


async def _send_dm(
    core: Core, ledger: Ledger, poster: Poster, user: UserId, day: str, reply: Reply
) -> bool:
    """Send one user's DM through the ledger's DM item; False when it failed."""
    target = dm_target(user)
    ledger.plan(target, day, [DM])
    row = ledger.get(target, day, DM)
    tried = row is not None and row.attempts > 0  # only then can the DM already be there
    ledger.attempt(target, day, DM)
    key = message_key(day, DM, user[2])
    try:
        mid = await send_keyed(
            core.clock,
            f"DM to {target}",
            tried,
            lambda was: poster.send_dm(user[1], user[2], reply, key=key, attempted=was),
        )
    except DeliveryError as e:
        if e.permanent:
            ledger.failed(target, day, DM, e.reason)
        if e.permanent and e.scope == "channel":  # the DM itself is refused, not one item
            pause_dm_alerts(core, user, e.reason)
        log.warning("DM alert to %s failed: %s", target, e.reason)
        return False
    ledger.sent(target, day, DM, mid)
    return True
