"""The day's thread for a channel: choose the papers (filter, rank, max), summarise them, and
name who to mention. `paperbot digest`, `channel preview` and delivery all build it here, and
delivery and `channel preview` choose its papers with the same `plan_thread`.

The parent message (`parent_for`) describes the *day*, not only what this channel kept: the
day's true count, its themes (or the LLM's overview of it) and its most upvoted papers, plus
how many of them this thread holds and why. It is a function of what is stored and of the
thread's papers, so it can be built again later (to edit the parent as the day grows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards import card_for, hf_day_url, hf_paper_url
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.compact import compact_items
from bot.model import DayHeadline, Digest, Link, Paper, Reply, TopPaper, paper_from_row
from bot.query.errors import QueryError
from bot.query.match import doc_for, explain_match
from bot.query.parser import parse_query
from bot.summaries.overview import headline_text
from bot.summaries.shorten import fit_label
from bot.summaries.themes import day_themes
from bot.text import TITLE_MAX, display_date, plural
from storage import papers as paper_store
from storage import users as user_store
from storage.ledger import Ledger

Chosen = list[tuple[Paper, tuple[str, ...]]]  # (paper, what its filter matched), best first

TOP_SHOWN = 3  # "most upvoted" in the parent
TOP_TITLE_MAX = 120
FILTER_SHOWN_MAX = 60


def digest_title(day: str, count: int | None = None) -> str:
    """`Daily Papers — Wed 1 Oct 2025`; with a count (`today`'s heading) `… · 37 papers`."""
    title = f"Daily Papers — {display_date(day)}"
    return f"{title} · {plural(count, 'paper')}" if count is not None else title


def thread_name(day: str) -> str:
    """`Daily Papers — Wed 1 Oct`: the Discord thread the parent starts (≤100 characters)."""
    return f"Daily Papers — {display_date(day, year=False)}"


@dataclass(frozen=True, slots=True)
class Selection:
    """What a channel's settings kept of a day's papers, and how many each rule removed — so
    `channel preview` explains exactly the choice delivery makes."""

    chosen: Chosen
    listed: int  # the day's papers
    posted_before: int  # already sent to this channel on an earlier day
    below_min: int  # under min-upvotes
    failed_filter: int
    over_max: int
    most: int  # the max that applied


def select(
    papers: list[Paper],
    channel: ChannelSettings | None,
    default_max: int,
    exclude_ids: frozenset[str] | set[str] = frozenset(),
) -> Selection:
    """Apply a channel's earlier posts, min-upvotes, filter and max, in that order."""
    fresh = [p for p in papers if p.id not in exclude_ids]
    min_up = channel.min_upvotes if channel else 0
    upvoted = [p for p in fresh if (p.upvotes or 0) >= min_up]
    query = channel.query if channel else None
    passed: Chosen = []
    for p in upvoted:
        matched: tuple[str, ...] | None = ()
        if query is not None:
            matched = explain_match(query, doc_for(p))
        if matched is not None:  # a match with nothing to explain (`-survey`) still counts
            passed.append((p, matched))
    most = (channel.max_papers if channel else None) or default_max
    return Selection(
        chosen=passed[:most],
        listed=len(papers),
        posted_before=len(papers) - len(fresh),
        below_min=len(fresh) - len(upvoted),
        failed_filter=len(upvoted) - len(passed),
        over_max=max(0, len(passed) - most),
        most=most,
    )


def select_papers(papers: list[Paper], channel: ChannelSettings | None, default_max: int) -> Chosen:
    """Apply a channel's min-upvotes, filter and max; returns (paper, matched) pairs, best first."""
    return select(papers, channel, default_max).chosen


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
        return select(papers, channel, core.config.digest.default_max, exclude_ids).chosen

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
    return plan_selection(core, channel, day).chosen


def plan_selection(core: Core, channel: ChannelSettings, day: str) -> Selection:
    """`plan_thread`'s choice with what each rule removed (for `channel preview`)."""
    before = Ledger(core.db).items_sent_before(channel.target, day)
    papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, day)]
    return select(papers, channel, core.config.digest.default_max, before)


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
    """The LLM's 2–3 sentences about the day's papers; "" without an LLM (or offline, or
    when its budget is spent): the parent then shows the day's themes."""
    if offline or not core.config.llm.enabled:
        return ""
    prose = await core.summariser.day_overview(day, papers)
    return prose.text if prose and prose.text else ""


def kept_note(
    day_papers: Sequence[Paper], kept: Sequence[Paper], channel: ChannelSettings | None
) -> str:
    """How many of the day's papers this thread holds, and why: "the top 15 are in this
    thread", "all in this thread", "4 matching “diffusion” are in this thread"."""
    n, ids = len(kept), [p.id for p in kept]
    if n == 0:
        return "none in this thread yet"
    if set(ids) >= {p.id for p in day_papers}:
        return "all in this thread" if n > 1 else "in this thread"
    verb = "is" if n == 1 else "are"
    if ids == [p.id for p in day_papers[:n]]:
        return f"the top one {verb} in this thread" if n == 1 else f"the top {n} are in this thread"
    why = []
    if channel and channel.min_upvotes:
        why.append(f"with ▲ {channel.min_upvotes} or more")
    if channel and channel.filter:
        why.append(f"matching “{fit_label(channel.filter, FILTER_SHOWN_MAX)}”")
    return " ".join([str(n), *why, verb, "in this thread"])


def day_headline(
    day: str,
    day_papers: Sequence[Paper],
    kept: Sequence[Paper],
    channel: ChannelSettings | None,
    overview: str = "",
) -> DayHeadline:
    """The parent's facts from the day's stored papers (best first) and the thread's papers."""
    top = tuple(
        TopPaper(fit_label(p.title, min(TITLE_MAX, TOP_TITLE_MAX)), hf_paper_url(p.id), p.upvotes)
        for p in day_papers[:TOP_SHOWN]
    )
    themes = () if overview else day_themes(day_papers)
    note = kept_note(day_papers, kept, channel)
    return DayHeadline(day, len(day_papers), len(kept), note, themes, overview, top)


async def parent_for(
    core: Core,
    day: str,
    kept: Sequence[Paper],
    channel: ChannelSettings | None = None,
    offline: bool = False,
) -> Reply:
    """The parent message of `day`'s thread holding `kept`, from what is stored now: call it
    again after a later fetch and it tells the grown day."""
    day_papers = [paper_from_row(r) for r in paper_store.day_rows(core.db, day)]
    overview = await overview_for(core, day, day_papers, offline)
    headline = day_headline(day, day_papers, kept, channel, overview)
    button = Link(f"All {headline.total} on Hugging Face", hf_day_url(day))
    return Reply(text="", title=digest_title(day), links=(button,), headline=headline)


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
    parent = await parent_for(core, day, [p for p, _ in chosen], channel, offline)
    items = []
    for rank, (p, matched) in enumerate(chosen, 1):
        card = await card_for(core, p, rank=rank, matched=matched, offline=offline, day=day)
        items.append(Reply(text="", cards=(card,), mention_user_ids=tuple(mentions.get(p.id, ()))))
    overview = headline_text(parent.headline) if parent.headline else ""
    replies = compact_items(tuple(items)) if channel and channel.style == "compact" else items
    return Digest(
        day, digest_title(day), overview, hf_day_url(day), parent, tuple(replies), thread_name(day)
    )
