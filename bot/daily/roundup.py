"""A channel's weekly or monthly roundup: a thread for the ISO week or calendar month — the
top papers by upvotes as the same cards the daily thread uses, the period's themes, and a
chart (bot/daily/chart.py) posted with the parent, with its alt text.

Delivered like the daily thread, exactly once and resumably: the roundup's items are planned
into the ledger under the channel's own roundup target (`roundup:<target>`) and the period's
name (`2025-W40`), then sent one by one under stable keys; papers in a roundup are never
counted as "already posted" for the daily thread (a different target).

The chart is its own item (`image`), planned with the parent: where the platform uploads a
file apart from the message (Slack shares it into the parent's thread), a crash between the
upload and its ledger record would otherwise upload it again. An `image` row that was
attempted but not recorded is looked up on the platform before any re-upload
(`Poster.share_image(..., attempted=True)`); where the image travels inside the parent
(Discord's multipart message), the item is the parent's own message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.cards import card_for, hf_period_url
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.chart import alt_text, chart_data, period_papers, render_png
from bot.daily.periods import Period
from bot.daily.posting import (
    IMAGE,
    PARENT,
    THREAD,
    DeliveryError,
    Image,
    Poster,
    message_key,
    send_keyed,
)
from bot.daily.thread import select_papers
from bot.model import Link, Place, Reply
from bot.summaries.overview import top_keywords
from bot.text import plural
from storage import recommend as rec_store
from storage.ledger import Ledger

log = logging.getLogger(__name__)

THEMES = 4
KIND_TITLE = {"week": "Weekly roundup", "month": "Monthly roundup"}


@dataclass(frozen=True, slots=True)
class Roundup:
    period: Period
    parent: Reply
    items: tuple[Reply, ...]
    image: Image
    thread_name: str


def roundup_target(channel: ChannelSettings) -> str:
    return f"roundup:{channel.target}"


async def build_roundup(
    core: Core, channel: ChannelSettings | None, period: Period, *, offline: bool = False
) -> Roundup | None:
    """The roundup of `period` as this channel's settings keep it; None without papers."""
    papers = period_papers(core, period)
    if not papers:
        return None
    liked = (
        rec_store.channel_upvotes(core.db, channel.target, [p.id for p in papers])
        if channel
        else {}
    )
    papers.sort(key=lambda p: (-liked.get(p.id, 0), -(p.upvotes or 0), p.id))
    chosen = select_papers(papers, channel, core.config.digest.default_max)
    title = f"{KIND_TITLE.get(period.kind, 'Roundup')} — {period.describe()}"
    themes = top_keywords(papers, THEMES)
    lines = [f"{plural(len(papers), 'paper')} on Hugging Face · the top {len(chosen)} here"]
    leading = sum(1 for p, _ in chosen if p.id in liked)
    if leading:
        lines.append(
            f"Led by the {plural(leading, 'paper')} this channel 👍'd most, then the most upvoted"
        )
    if themes:
        lines.append("Themes: " + ", ".join(themes))
    link = Link(f"All {len(papers)} on Hugging Face", hf_period_url(period.kind, period.name))
    parent = Reply(text="\n".join(lines), title=title, links=(link,))
    items = []
    for rank, (p, matched) in enumerate(chosen, 1):
        card = await card_for(core, p, rank=rank, matched=matched, offline=offline)
        items.append(Reply(text="", cards=(card,)))
    data = chart_data(core, period)
    image = Image(render_png(data), f"roundup-{period.name}.png", alt_text(data))
    name = title  # each platform caps a thread name its own way (Discord: 100 characters)
    return Roundup(period, parent, tuple(items), image, name)


async def deliver_roundup(
    core: Core, poster: Poster, channel: ChannelSettings, period: Period
) -> str:
    """Post (or finish posting) the roundup of `period`; returns "sent", "empty", "failed"."""
    target, ledger = roundup_target(channel), Ledger(core.db, core.clock.now)
    rows = ledger.rows(target, period.name)
    if rows and all(r.status != "pending" for r in rows):
        return "sent"
    roundup = await build_roundup(core, channel, period)
    if roundup is None:
        return "empty"
    if not rows:
        ids = [item.cards[0].paper_id for item in roundup.items]
        ledger.plan(target, period.name, [PARENT, IMAGE, THREAD, *ids])
    elif ledger.get(target, period.name, IMAGE) is None:
        _plan_image(ledger, target, period.name)
    try:
        await _send(core, poster, channel, roundup, ledger)
    except DeliveryError as e:
        log.warning("roundup %s in %s: %s", period.name, channel.target, e.reason)
        return "failed"
    return "sent"


def _plan_image(ledger: Ledger, target: str, name: str) -> None:
    """A roundup planned before the image was its own item: the parent's send then shared the
    image too, so a parent recorded sent had its image, and an attempted one may have."""
    ledger.plan(target, name, [PARENT, IMAGE])
    parent = ledger.get(target, name, PARENT)
    if parent is not None and parent.status == "sent":
        ledger.sent(target, name, IMAGE, parent.message_id or "")
    elif parent is not None and parent.attempts > 0:
        ledger.attempt(target, name, IMAGE)  # looked up before it is shared


async def _send(
    core: Core, poster: Poster, channel: ChannelSettings, r: Roundup, ledger: Ledger
) -> None:
    target, day, place = roundup_target(channel), r.period.name, channel.place
    state = {row.item: row for row in ledger.rows(target, day)}

    async def step(item: str, send) -> str:  # noqa: ANN001 - a coroutine factory
        row = state[item]
        if row.status != "pending":
            return row.message_id or ""
        key = message_key(day, f"roundup-{item}", channel.channel_id)
        ledger.attempt(target, day, item)
        # A crash (an earlier run's attempt) or a failed try of this run (a retry) may have
        # left the item on the platform unrecorded: only then is it looked up before a send.
        what = f"roundup {item} to {target}"
        mid = await send_keyed(core.clock, what, row.attempts > 0, lambda was: send(key, was))
        ledger.sent(target, day, item, mid)
        return mid

    parent_id = await step(
        PARENT, lambda k, was: poster.post_image(place, r.parent, r.image, key=k, attempted=was)
    )
    await step(
        IMAGE,
        lambda k, was: poster.share_image(place, parent_id, r.image, key=k, attempted=was),
    )

    async def open_thread(_key: str, _attempted: bool) -> str:
        thread = await poster.open_thread(place, parent_id, r.thread_name)
        return thread.thread_id or parent_id

    thread_id = await step(THREAD, open_thread)
    thread = Place(place.platform, place.channel_id, place.workspace_id, thread_id)
    for item in r.items:
        pid = item.cards[0].paper_id
        if pid in state:
            await step(
                pid,
                lambda k, was, i=item: poster.reply_in_thread(thread, i, key=k, attempted=was),
            )
