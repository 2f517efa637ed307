"""Topics you can use: one topic's recent matches (`topics N`), a topic edited in place
(`topics N set <query>`), and the next alert DM as it would be sent (`alerts preview`).

The preview is built by the DM's own builder (`bot.daily.alerts.dm_reply`) from the same
matching, so what it shows is what the DM will say, topic names included. A topic edited
keeps its id, so its number in `/papers topics` and its place in the list stay put.
"""

from __future__ import annotations

from bot.cards import card_for
from bot.commands.spec import Ctx, UsageError, private
from bot.commands.unmatched import RECENT_DAYS, recent_window
from bot.daily.alerts import day_papers, dm_reply, user_matches
from bot.daily.recommend_dm import wants_section
from bot.model import Reply, paper_from_row
from bot.query.ast import Query
from bot.query.lexer import MAX_QUERY_CHARS
from bot.query.parser import parse_query
from bot.query.search import recent_counts, search_papers
from bot.text import display_date, plural, quoted_input, whole_number
from storage import papers as paper_store
from storage import users as user_store

SHOWN = 10  # the matches `topics N` shows as cards
TOPICS_USAGE = "topics [n] | topics <n> set <query>"


def checked_topic(text: str) -> Query:
    """A topic query as subscribe and `topics N set` accept it (raises UsageError/QueryError)."""
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(
            f"a topic can be at most {MAX_QUERY_CHARS} characters (this is {len(text)})."
        )
    return parse_query(text)


def _topic(ctx: Ctx, number: str) -> tuple[int, dict]:
    topics = user_store.list_topics(ctx.core.db, ctx.user)
    if not topics:
        raise UsageError("you have no topics yet; add one with /papers subscribe <query>.")
    n = whole_number(number, 1, len(topics))
    if n is None:
        raise UsageError(
            f"{quoted_input(number)} is not one of your topic numbers (1–{len(topics)}).",
            TOPICS_USAGE,
        )
    return n, topics[n - 1]


async def topic_command(ctx: Ctx, args: str) -> list[Reply]:
    """`topics N` or `topics N set <query>`."""
    number, _, rest = args.strip().partition(" ")
    verb, _, query = rest.strip().partition(" ")
    if not rest.strip():
        return await topic_matches(ctx, number)
    if verb.lower() != "set":
        raise UsageError(f"{quoted_input(verb)} is not something a topic does.", TOPICS_USAGE)
    return set_topic(ctx, number, query.strip())


async def topic_matches(ctx: Ctx, number: str) -> list[Reply]:
    n, topic = _topic(ctx, number)
    window = recent_window(ctx.core)
    q = parse_query(topic["query"])
    if window is None:
        return private(f"Topic {n}: {q.text} — no papers are stored yet.")
    start, end = window
    [count] = recent_counts(ctx.core.db, [q], start, end)
    head = (
        f"Topic {n}: {q.text} — {plural(count, 'match', 'matches')} in the last {RECENT_DAYS} days"
    )
    if not count:
        return private(f"{head}. Broaden it with /papers topics {n} set <query>.")
    hits = search_papers(ctx.core.db, q, limit=SHOWN, day_from=start, day_to=end)
    cards = []
    for rank, hit in enumerate(hits, 1):
        paper = hit.paper
        if paper is None:
            row = paper_store.get_paper_row(ctx.core.db, hit.paper_id)
            paper = paper_from_row(row) if row else None
        if paper is not None:
            cards.append(await card_for(ctx.core, paper, rank=rank, matched=hit.matched))
    more = f"; the best {len(cards)}:" if count > len(cards) else ":"
    return [Reply(text=head + more, cards=tuple(cards), private=True)]


def set_topic(ctx: Ctx, number: str, text: str) -> list[Reply]:
    n, topic = _topic(ctx, number)
    if not text:
        raise UsageError(f"topics {n} set needs the new query.", TOPICS_USAGE)
    q = checked_topic(text)
    topics = user_store.list_topics(ctx.core.db, ctx.user)
    if any(t["query"] == q.text and t["id"] != topic["id"] for t in topics):
        return private(f"You already follow {q.text}. See /papers topics.")
    user_store.set_topic_query(ctx.core.db, ctx.user, topic["id"], q.text)
    user_store.audit(ctx.core.db, ctx.user, "topics set", f"{topic['query']} → {q.text}")
    window = recent_window(ctx.core)
    [count] = recent_counts(ctx.core.db, [q], *window) if window else [0]
    return private(
        f"Topic {n} is now {q.text} (was {topic['query']}).\n"
        f"It matches {plural(count, 'paper')} from the last {RECENT_DAYS} days."
    )


async def alerts_preview(ctx: Ctx) -> list[Reply]:
    """The next alert DM as it would be sent: the latest stored day's matches, and the
    "Recommended for you" section when it is on."""
    day = ctx.core.latest_day()
    if day is None:
        return private("No papers are stored yet, so there is no alert to preview.")
    user = (ctx.user.platform, ctx.user.workspace_id, ctx.user.user_id)
    section = wants_section(ctx.core, user)
    if not section and not user_store.list_topics(ctx.core.db, ctx.user):
        return private('You have no topics yet. Try /papers subscribe "video generation" -survey')
    papers, arxiv = day_papers(ctx.core, day)
    matches = user_matches(ctx.core, user, papers, arxiv)
    mode = user_store.get_alerts(ctx.core.db, ctx.user)
    how = (
        "it is sent once a day"
        if mode == "dm"
        else f"your alerts are {mode}: it is sent only with /papers alerts dm"
    )
    dm = await dm_reply(ctx.core, day, matches, user, frozenset(p.id for p in arxiv))
    if not dm.cards:
        why = " and nothing is left to recommend (save or 👍 papers)" if section else ""
        return private(
            f"None of your topics match the papers of {display_date(day)}{why}: no DM for that"
            f" day ({how})."
        )
    note = f"Preview of your alert DM (only you see this; {how}):\n"
    return [Reply(text=note + dm.text, cards=dm.cards, private=True)]
