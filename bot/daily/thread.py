"""The day's thread for a channel: choose the papers (filter, rank, max), summarise them, and
name who to mention. `paperbot digest`, `channel preview` and delivery all build it here, and
delivery and `channel preview` choose its papers with the same `plan_thread`.
"""

from __future__ import annotations

from bot.cards import card_for, hf_day_url
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.compact import compact_items
from bot.model import Digest, Link, Paper, Reply, paper_from_row
from bot.query.errors import QueryError
from bot.query.match import doc_for, explain_match
from bot.query.parser import parse_query
from bot.summaries.overview import day_overview_line
from bot.text import display_date, plural
from storage import papers as paper_store
from storage import users as user_store
from storage.ledger import Ledger

Chosen = list[tuple[Paper, tuple[str, ...]]]  # (paper, what its filter matched), best first

THREAD_NAME_MAX = 100


def digest_title(day: str, count: int) -> str:
    """`Daily Papers — Wed 1 Oct 2025 · 37 papers`."""
    return f"Daily Papers — {display_date(day)} · {plural(count, 'paper')}"


def select_papers(papers: list[Paper], channel: ChannelSettings | None, default_max: int) -> Chosen:
    """Apply a channel's min-upvotes, filter and max; returns (paper, matched) pairs, best first."""
    min_up = channel.min_upvotes if channel else 0
    query = channel.query if channel else None
    out = []
    for p in papers:
        if (p.upvotes or 0) < min_up:
            continue
        matched: tuple[str, ...] = ()
        if query is not None:
            m = explain_match(query, doc_for(p))
            if m is None:
                continue
            matched = m
        out.append((p, matched))
    return out[: (channel.max_papers if channel else None) or default_max]


def choose_papers(
    core: Core,
    day: str,
    channel: ChannelSettings | None = None,
    *,
    exclude_ids: frozenset[str] | set[str] = frozenset(),
    only_ids: list[str] | None = None,
) -> Chosen:
    """The (paper, matched) pairs a thread for `day` shows, without summarising anything.
    `exclude_ids`: papers this channel already got on other days. `only_ids`: a planned
    thread exactly (those papers, in that order)."""
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, day)]
    if only_ids is None:
        papers = [p for p in papers if p.id not in exclude_ids]
        return select_papers(papers, channel, core.config.digest.default_max)

    by_id = {p.id: p for p in papers}
    for pid in only_ids:
        if pid not in by_id:  # not on the day's list any more: use the stored paper
            row = paper_store.get_paper_row(core.db, pid)
            if row:
                by_id[pid] = paper_from_row(row)
    query = channel.query if channel else None
    return [
        (by_id[pid], (explain_match(query, doc_for(by_id[pid])) or ()) if query else ())
        for pid in only_ids
        if pid in by_id
    ]


def plan_thread(core: Core, channel: ChannelSettings, day: str) -> Chosen:
    """The papers this channel's thread for `day` holds, chosen now: its settings applied,
    less the papers it got on other days. Delivery plans exactly this and `channel preview`
    shows it."""
    before = Ledger(core.db).items_sent_before(channel.target, day)
    return choose_papers(core, day, channel, exclude_ids=before)


def thread_subscribers(
    core: Core, channel: ChannelSettings | None, papers: list[Paper]
) -> dict[str, list[str]]:
    """paper id → user ids with `alerts thread` in this workspace whose topics match it."""
    if not channel:
        return {}
    rows = user_store.topics_with_alerts(
        core.db, "thread", platform=channel.platform, workspace_id=channel.workspace_id
    )
    queries = []
    for _platform, _ws, user_id, text in rows:
        try:
            queries.append((user_id, parse_query(text)))
        except QueryError:
            continue
    found: dict[str, list[str]] = {}
    for p in papers:
        doc = doc_for(p)
        users = [u for u, q in queries if explain_match(q, doc) is not None]
        if users:
            found[p.id] = list(dict.fromkeys(users))
    return found


async def overview_for(core: Core, day: str, papers: list[Paper], offline: bool = False) -> str:
    """The overview line; with an LLM configured (and not offline), its 2–3 sentences after it."""
    line = day_overview_line(papers)
    if offline or not core.config.llm.enabled:
        return line
    prose = await core.summariser.day_overview(day, papers)
    return f"{line}\n{prose.text}" if prose and prose.text else line


async def build_digest(
    core: Core,
    day: str,
    channel: ChannelSettings | None = None,
    offline: bool = False,
    *,
    only_ids: list[str] | None = None,
) -> Digest | None:
    """The thread for `day` (`only_ids`: a planned thread exactly), summarised."""
    chosen = choose_papers(core, day, channel, only_ids=only_ids)
    return await digest_for(core, day, chosen, channel, offline)


async def digest_for(
    core: Core, day: str, chosen: Chosen, channel: ChannelSettings | None, offline: bool = False
) -> Digest | None:
    """The thread of the `chosen` papers, summarised, with who to mention; None if empty."""
    if not chosen:
        return None
    mentions = thread_subscribers(core, channel, [p for p, _ in chosen])
    title = digest_title(day, len(chosen))
    overview = await overview_for(core, day, [p for p, _ in chosen], offline)
    url = hf_day_url(day)
    parent = Reply(text=overview, title=title, links=(Link("Hugging Face", url),))
    items = []
    for rank, (p, matched) in enumerate(chosen, 1):
        card = await card_for(core, p, rank=rank, matched=matched, offline=offline, day=day)
        items.append(Reply(text="", cards=(card,), mention_user_ids=tuple(mentions.get(p.id, ()))))
    name = title if len(title) <= THREAD_NAME_MAX else title[: THREAD_NAME_MAX - 1] + "…"
    replies = compact_items(tuple(items)) if channel and channel.style == "compact" else items
    return Digest(day, title, overview, url, parent, tuple(replies), name)
