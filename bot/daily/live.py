"""The live thread: after a channel's thread is posted, each later fetch of that day updates
it, until the day's end in the channel's zone plus `digest.live_tail_hours`.

1. Papers that now pass the channel's settings (its top `max` today, min upvotes, filter) and
   are not in the thread are *appended*: planned into the ledger after the thread's last item
   (`storage.live.append_late`, one transaction) and sent by the delivery engine like the
   morning's items — same keys, same exactly-once resume after a crash, never a paper twice
   (the ledger keeps one row per paper and day, and papers of other days are excluded). At
   most `max` papers are appended to a day; each says "New since this morning".
2. The parent is edited in place (never a new parent), rebuilt by the same `build_digest` as
   the morning's, over every paper now in the thread — whenever what it shows changed.
3. Each reply whose ▲/💬/⭐ moved past the threshold (`bot.daily.shown.worth_editing`) is
   edited, one at a time. The poster paces edits inside the platform's limits; `should_yield`
   (the scheduler: a post job is running for this channel) stops the edits at once, so they
   never hold up a scheduled post — the next fetch picks up what was left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import Core
from bot.daily.channels import ChannelSettings, enabled_channels
from bot.daily.delivery import SPECIAL, deliver_thread
from bot.daily.posting import PARENT, THREAD, DeliveryError, Poster, message_key, send_with_retry
from bot.daily.shown import counts, fingerprint, mark_late, record_shown, worth_editing
from bot.daily.thread import build_digest, plan_thread
from bot.daily.triggers import ChannelKey
from bot.model import Place, Reply
from storage import live as live_store
from storage.ledger import Ledger, LedgerRow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LiveResult:
    status: str  # "updated" | "off" | "over" | "no_thread" | "failed"
    appended: int = 0
    edits: int = 0


def live_until(channel: ChannelSettings, day: str, tail_hours: float) -> datetime:
    """When the thread of `day` stops being updated: the end of that day in the channel's
    zone, plus the tail."""
    midnight = datetime.combine(date.fromisoformat(day) + timedelta(days=1), time())
    return midnight.replace(tzinfo=ZoneInfo(channel.timezone)) + timedelta(hours=tail_hours)


def _posted(rows: list[LedgerRow], item: str) -> LedgerRow | None:
    return next((r for r in rows if r.item == item and r.status == "sent"), None)


async def update_live_threads(
    core: Core,
    posters: dict[str, Poster],
    day: str,
    busy: Callable[[ChannelKey], bool],
    locks: Callable[[ChannelKey], asyncio.Lock],
) -> int:
    """A fetch of `day` just landed: update every live thread of that day, one channel after
    another (edits are paced per platform anyway). `busy(key)`: a post job is running for
    that channel — it is skipped, or its edits stop; `locks(key)`: the channel's delivery
    lock, held while appended papers are sent so a post job never sends the same items."""
    edits = 0
    for channel in enabled_channels(core):
        poster = posters.get(channel.platform)
        if poster is None or not channel.live or busy(channel.key):
            continue
        try:
            result = await update_live_thread(
                core, poster, channel, day, lambda k=channel.key: busy(k), locks(channel.key)
            )
        except Exception:  # one channel's trouble must not stop the others
            log.exception("live thread %s %s failed", channel.target, day)
            continue
        edits += result.edits
    return edits


async def update_live_thread(
    core: Core,
    poster: Poster,
    channel: ChannelSettings,
    day: str,
    should_yield: Callable[[], bool] = lambda: False,
    lock: asyncio.Lock | None = None,
) -> LiveResult:
    """One fetch's update of the channel's thread of `day` (see the module docstring)."""
    if not channel.live or not channel.scheduled:
        return LiveResult("off")
    d = core.config.digest
    if core.clock.now() >= live_until(channel, day, d.live_tail_hours):
        return LiveResult("over")
    ledger = Ledger(core.db, core.clock.now)
    rows = ledger.rows(channel.target, day)
    if _posted(rows, PARENT) is None or _posted(rows, THREAD) is None:
        return LiveResult("no_thread")  # nothing posted (or still being posted): no parent
    async with lock or asyncio.Lock():
        appended = _append_late(core, channel, day, rows)
        if appended or any(r.status == "pending" for r in rows):
            result = await deliver_thread(core, poster, channel, day)
            if result.status != "sent":
                return LiveResult("failed", appended)
    edits = await _edit_thread(core, poster, channel, day, should_yield)
    return LiveResult("updated", appended, edits)


def _append_late(core: Core, channel: ChannelSettings, day: str, rows: list[LedgerRow]) -> int:
    """Plan the papers that now pass and are not in the thread; how many."""
    cap = channel.max_papers or core.config.digest.default_max
    shown = live_store.shown(core.db, channel.target, day)
    room = cap - sum(1 for s in shown.values() if s.late)
    if room <= 0:
        return 0
    known = {r.item for r in rows}
    fresh = [p.id for p, _ in plan_thread(core, channel, day) if p.id not in known][:room]
    if fresh:
        at = core.clock.now().isoformat(timespec="seconds")
        live_store.append_late(core.db, channel.target, day, fresh, at)
        log.info("live thread %s %s: appending %d paper(s)", channel.target, day, len(fresh))
    return len(fresh)


async def _edit_thread(
    core: Core,
    poster: Poster,
    channel: ChannelSettings,
    day: str,
    should_yield: Callable[[], bool],
) -> int:
    """Edit the parent if it changed, then each reply whose counts moved enough."""
    rows = Ledger(core.db).rows(channel.target, day)
    sent = {r.item: r for r in rows if r.status == "sent" and r.message_id}
    ids = [r.item for r in rows if r.item not in SPECIAL and r.item in sent]
    digest = await build_digest(core, day, channel, only_ids=ids)
    if digest is None or PARENT not in sent or THREAD not in sent:
        return 0
    shown = live_store.shown(core.db, channel.target, day)
    d = core.config.digest
    place = channel.place
    thread = Place(place.platform, place.channel_id, place.workspace_id, sent[THREAD].message_id)
    todo: list[tuple[str, Place, Reply]] = []
    last = shown.get(PARENT)
    if last is None or last.shown != fingerprint(digest.parent):
        todo.append((PARENT, place, digest.parent))
    for item in digest.items:
        pid = item.cards[0].paper_id
        s = shown.get(pid)
        if pid not in sent or s is None:
            continue  # no record of what it shows (posted before this feature): leave it
        reply = mark_late(item) if s.late else item
        old = (s.upvotes, s.comments, s.stars)
        if worth_editing(old, counts(item.cards[0]), d.live_edit_min, d.live_edit_ratio):
            todo.append((pid, thread, reply))
    edits = 0
    for item, where, reply in todo:
        if should_yield():
            log.info("live thread %s: a post is due; edits wait for the next fetch", day)
            break
        if await _edit_one(core, poster, channel, day, item, where, sent[item].message_id, reply):
            edits += 1
    return edits


async def _edit_one(
    core: Core,
    poster: Poster,
    channel: ChannelSettings,
    day: str,
    item: str,
    where: Place,
    message_id: str | None,
    reply: Reply,
) -> bool:
    """One edit, retried like a send. A message the platform will not edit (deleted, too
    old) is recorded as shown so it is not tried again at every fetch."""
    key = message_key(day, item, channel.channel_id)

    async def edit() -> str:
        await poster.edit(where, message_id or "", reply, key=key)
        return message_id or ""

    try:
        await send_with_retry(core.clock, f"edit of {item} in {channel.target}", edit)
    except DeliveryError as e:
        log.warning("live thread %s %s: not editing %s: %s", channel.target, day, item, e.reason)
        if e.permanent:
            record_shown(core, channel.target, day, item, reply)
        return False
    record_shown(core, channel.target, day, item, reply, edited=True)
    return True
