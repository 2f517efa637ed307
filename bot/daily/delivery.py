"""Delivering a channel's daily thread through a `Poster`, exactly once, resumably.

The thread is first *planned* — its items written to the ledger as pending, in order — and
then sent item by item, each marked sent with its message id as soon as the platform accepts
it. A crash leaves pending rows; the next run sends only those. Each message carries a stable
key (`message_key`: Discord nonce / Slack metadata) so a send whose answer was lost is
recognised, not repeated.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.core import Core
from bot.daily.channels import ChannelSettings, update_channel
from bot.daily.posting import (
    EMPTY,
    PARENT,
    THREAD,
    DeliveryError,
    Poster,
    message_key,
    send_with_retry,
)
from bot.daily.shown import late_items, mark_late, record_shown
from bot.daily.thread import build_digest, choose_papers, plan_thread
from bot.model import Digest, Place, Reply
from storage.ledger import Ledger, LedgerRow

log = logging.getLogger(__name__)

SPECIAL = (PARENT, THREAD, EMPTY)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    status: str  # "sent" | "empty" | "nothing_new" | "paused" | "failed" | "ended"
    sent: int = 0
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Run:
    """One channel's day being sent: the poster, the ledger and what is recorded in it."""

    core: Core
    poster: Poster
    ledger: Ledger
    channel: ChannelSettings
    day: str
    state: dict[str, LedgerRow]

    def pending(self, item: str) -> bool:
        return item in self.state and self.state[item].status == "pending"

    async def send(self, item: str, send: Callable[[str], Awaitable[str]]) -> str:
        """Send one item under its key, recorded in the ledger before and after. A paper the
        platform refuses for good (`scope="item"`) is recorded failed and skipped: "" then."""
        target = self.channel.target
        key = message_key(self.day, item, self.channel.channel_id)
        self.ledger.attempt(target, self.day, item)
        try:
            mid = await send_with_retry(self.core.clock, f"{item} to {target}", lambda: send(key))
        except DeliveryError as e:
            if not (e.permanent and e.scope == "item" and item not in SPECIAL):
                raise  # the parent or the thread refused: the day cannot go on without it
            log.warning("skipping %s of %s in %s: %s", item, self.day, target, e.reason)
            self.ledger.failed(target, self.day, item, e.reason)
            return ""
        self.ledger.sent(target, self.day, item, mid)
        return mid


def day_already_posted(core: Core, channel: ChannelSettings, day: str) -> bool:
    """True once a day's thread for this channel is planned and nothing of it is pending."""
    rows = Ledger(core.db).rows(channel.target, day)
    return bool(rows) and all(r.status != "pending" for r in rows)


def _plan(core: Core, ledger: Ledger, channel: ChannelSettings, day: str) -> str | None:
    """Write the day's items to the ledger; return None when there is something to send."""
    chosen = plan_thread(core, channel, day)
    if not chosen:
        if channel.post_empty:
            ledger.plan(channel.target, day, [EMPTY])
            return None
        # nothing recorded: the day stays unplanned, so papers arriving later still count
        return "nothing_new" if choose_papers(core, day, channel) else "empty"
    ledger.plan(channel.target, day, [PARENT, THREAD, *(p.id for p, _ in chosen)])
    return None


async def deliver_thread(
    core: Core, poster: Poster, channel: ChannelSettings, day: str
) -> DeliveryResult:
    if channel.paused_reason:
        return DeliveryResult("paused", 0, channel.paused_reason)
    target = channel.target
    ledger = Ledger(core.db, core.clock.now)
    if not ledger.rows(target, day):
        skipped = _plan(core, ledger, channel, day)
        if skipped:
            return DeliveryResult(skipped)
    rows = ledger.rows(target, day)
    if all(r.status != "pending" for r in rows):
        return DeliveryResult("sent", 0)
    run = _Run(core, poster, ledger, channel, day, {r.item: r for r in rows})
    try:
        sent = await _send_planned(run, [r.item for r in rows if r.item not in SPECIAL])
    except DeliveryError as e:
        if not e.permanent:
            log.warning("delivery to %s for %s will resume later: %s", target, day, e.reason)
            return DeliveryResult("failed", 0, e.reason)
        if e.scope != "channel":  # the day's thread cannot go on; the channel is fine
            return end_days_thread(ledger, target, day, e.reason)
        pause_channel(core, channel, e.reason)
        return DeliveryResult("paused", 0, e.reason)
    return DeliveryResult("sent", sent)


def end_days_thread(ledger: Ledger, target: str, day: str, reason: str) -> DeliveryResult:
    """The day's thread can take no more (its parent or thread was deleted, or it was locked):
    what is still pending for that day is given up; the channel keeps its schedule."""
    log.warning("ending the %s thread in %s: %s", day, target, reason)
    for row in ledger.rows(target, day):
        if row.status == "pending":
            ledger.failed(target, day, row.item, reason)
    return DeliveryResult("ended", 0, reason)


def pause_channel(core: Core, channel: ChannelSettings, reason: str) -> None:
    log.warning("pausing daily thread in %s: %s", channel.target, reason)
    update_channel(core, replace(channel, paused_reason=reason))


async def _send_planned(run: _Run, paper_ids: list[str]) -> int:
    """Send what is still pending of the planned thread; returns how many messages went."""
    place = run.channel.place
    if EMPTY in run.state:
        if not run.pending(EMPTY):
            return 0
        note = Reply(text=f"No new papers for {run.day}.")
        return 1 if await run.send(EMPTY, lambda key: run.poster.post(place, note, key=key)) else 0
    digest = await build_digest(run.core, run.day, run.channel, only_ids=paper_ids)
    if digest is None:
        return 0
    sent = 0
    parent_id = run.state[PARENT].message_id
    if run.pending(PARENT):
        parent_id = await run.send(
            PARENT, lambda key: run.poster.post(place, digest.parent, key=key)
        )
        record_shown(run.core, run.channel.target, run.day, PARENT, digest.parent)
        sent += 1
    thread = await _thread(run, place, parent_id, digest)
    late = late_items(run.core, run.channel.target, run.day)
    for item in digest.items:
        pid = item.cards[0].paper_id
        if run.pending(pid):
            reply = mark_late(item) if pid in late else item
            mid = await run.send(
                pid, lambda key, r=reply: run.poster.reply_in_thread(thread, r, key=key)
            )
            if mid:  # what the live thread compares later fetches with (bot/daily/live.py)
                record_shown(run.core, run.channel.target, run.day, pid, reply)
            sent += 1 if mid else 0
    return sent


async def _thread(run: _Run, place: Place, parent_id: str | None, digest: Digest) -> Place:
    """Where the replies go: the thread, opened now unless the ledger says it already is."""
    thread_id = run.state[THREAD].message_id
    if run.pending(THREAD):
        thread_id = await send_with_retry(
            run.core.clock,
            f"thread in {run.channel.target}",
            lambda: _open(run.poster, place, parent_id, digest),
        )
        run.ledger.sent(run.channel.target, run.day, THREAD, thread_id)
    return Place(place.platform, place.channel_id, place.workspace_id, thread_id)


async def _open(poster: Poster, place: Place, parent_id: str | None, digest: Digest) -> str:
    thread = await poster.open_thread(place, parent_id or "", digest.thread_name)
    return thread.thread_id or parent_id or ""
