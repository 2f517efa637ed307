"""Delivering a channel's daily thread through a `Poster`, exactly once, resumably.

The thread is first *planned* — its items written to the ledger as pending, in order — and
then sent item by item, each marked sent with its message id as soon as the platform accepts
it. A crash leaves pending rows; the next run sends only those. Each message carries a stable
key (Discord nonce / Slack metadata) so a send whose answer was lost is recognised, not repeated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.core import Core
from bot.daily.posting import DeliveryError, Poster, send_with_retry
from bot.daily.thread import build_digest, choose_papers
from bot.model import Digest, Place, Reply
from storage import channels as channel_store
from storage.ledger import Ledger

log = logging.getLogger(__name__)

PARENT, THREAD, EMPTY = "parent", "thread", "empty"
SPECIAL = (PARENT, THREAD, EMPTY)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    status: str  # "sent" | "empty" | "nothing_new" | "paused" | "failed" | "skipped"
    sent: int = 0
    reason: str | None = None


def channel_target(channel: dict[str, Any]) -> str:
    return f"{channel['platform']}:{channel['workspace_id']}:{channel['channel_id']}"


def message_key(day: str, item: str, channel: dict[str, Any]) -> str:
    """The idempotency key: the day first (Slack metadata reads it), unique per channel."""
    return f"{day}:{item}@{channel['channel_id']}"


def day_already_posted(core: Core, channel: dict[str, Any], day: str) -> bool:
    """True once a day's thread for this channel is planned and nothing of it is pending."""
    rows = Ledger(core.db).rows(channel_target(channel), day)
    return bool(rows) and all(r.status != "pending" for r in rows)


async def _plan(core: Core, ledger: Ledger, channel: dict, target: str, day: str) -> str | None:
    """Write the day's items to the ledger; return None when there is something to send."""
    before = ledger.items_sent_before(target, day)
    chosen = choose_papers(core, day, channel, exclude_ids=before)
    if not chosen:
        if channel.get("post_empty"):
            ledger.plan(target, day, [EMPTY])
            return None
        # nothing recorded: the day stays unplanned, so papers arriving later still count
        return "nothing_new" if choose_papers(core, day, channel) else "empty"
    ledger.plan(target, day, [PARENT, THREAD, *(p.id for p, _ in chosen)])
    return None


async def deliver_thread(core: Core, poster: Poster, channel: dict, day: str) -> DeliveryResult:
    if channel.get("paused_reason"):
        return DeliveryResult("paused", 0, channel["paused_reason"])
    target = channel_target(channel)
    ledger = Ledger(core.db, core.clock.now)
    if not ledger.rows(target, day):
        skipped = await _plan(core, ledger, channel, target, day)
        if skipped:
            return DeliveryResult(skipped)
    rows = ledger.rows(target, day)
    if all(r.status != "pending" for r in rows):
        return DeliveryResult("sent", 0)
    try:
        sent = await _send_planned(core, poster, ledger, channel, day, rows)
    except DeliveryError as e:
        if not e.permanent:
            log.warning("delivery to %s for %s will resume later: %s", target, day, e.reason)
            return DeliveryResult("failed", 0, e.reason)
        if e.scope != "channel":  # the day's thread cannot go on; the channel is fine
            skip_day(ledger, target, day, e.reason)
            return DeliveryResult("skipped", 0, e.reason)
        pause_channel(core, channel, e.reason)
        return DeliveryResult("paused", 0, e.reason)
    return DeliveryResult("sent", sent)


def skip_day(ledger: Ledger, target: str, day: str, reason: str) -> None:
    log.warning("giving up the %s thread in %s: %s", day, target, reason)
    for row in ledger.rows(target, day):
        if row.status == "pending":
            ledger.failed(target, day, row.item, reason)


def pause_channel(core: Core, channel: dict, reason: str) -> None:
    log.warning("pausing daily thread in %s: %s", channel_target(channel), reason)
    channel_store.save_channel(core.db, dict(channel, paused_reason=reason))
    core.channel_changed(dict(channel, paused_reason=reason))


async def _send_planned(
    core: Core, poster: Poster, ledger: Ledger, channel: dict, day: str, rows: list
) -> int:
    target = channel_target(channel)
    place = Place(channel["platform"], channel["channel_id"], channel["workspace_id"])
    state = {r.item: r for r in rows}
    if EMPTY in state:
        if state[EMPTY].status == "pending":
            reply = Reply(text=f"No new papers for {day}.")
            mid = await _send_item(
                core,
                ledger,
                target,
                day,
                EMPTY,
                channel,
                lambda key: poster.post(place, reply, key=key),
            )
            return 1 if mid else 0
        return 0
    ids = [r.item for r in rows if r.item not in SPECIAL]
    digest = await build_digest(core, day, channel, only_ids=ids)
    if digest is None:
        return 0
    sent = 0
    parent_id = state[PARENT].message_id
    if state[PARENT].status == "pending":
        parent_id = await _send_item(
            core,
            ledger,
            target,
            day,
            PARENT,
            channel,
            lambda key: poster.post(place, digest.parent, key=key),
        )
        sent += 1
    thread_id = state[THREAD].message_id
    if state[THREAD].status == "pending":
        opened = await send_with_retry(
            core.clock, f"thread in {target}", lambda: _open(poster, place, parent_id, digest)
        )
        ledger.sent(target, day, THREAD, opened)
        thread_id = opened
    thread = Place(place.platform, place.channel_id, place.workspace_id, thread_id)
    for item in digest.items:
        pid = item.cards[0].paper_id
        if state.get(pid) and state[pid].status == "pending":
            mid = await _send_item(
                core,
                ledger,
                target,
                day,
                pid,
                channel,
                lambda key, r=item: poster.reply_in_thread(thread, r, key=key),
            )
            sent += 1 if mid else 0
    return sent


async def _open(poster: Poster, place: Place, parent_id: str | None, digest: Digest) -> str:
    thread = await poster.open_thread(place, parent_id or "", digest.thread_name)
    return thread.thread_id or parent_id or ""


async def _send_item(
    core: Core, ledger: Ledger, target: str, day: str, item: str, channel: dict, send: Any
) -> str:
    key = message_key(day, item, channel)
    ledger.attempt(target, day, item)
    try:
        mid = await send_with_retry(core.clock, f"{item} to {target}", lambda: send(key))
    except DeliveryError as e:
        if not (e.permanent and e.scope == "item" and item not in SPECIAL):
            raise  # the parent or the thread refused: the day cannot go on without it
        log.warning("skipping %s of %s in %s: %s", item, day, target, e.reason)
        ledger.failed(target, day, item, e.reason)
        return ""
    ledger.sent(target, day, item, mid)
    return mid
