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
from bot.daily.compact import item_papers
from bot.daily.posting import (
    EMPTY,
    PARENT,
    THREAD,
    DeliveryError,
    Poster,
    message_key,
    send_keyed,
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
    day: str  # the papers' day
    state: dict[str, LedgerRow]
    target: str  # the ledger's name for this delivery: the channel's, or its test's
    run: str  # the ledger's day: the papers' day, or a test's stamp (`deliver_test_thread`)
    test: bool = False

    def pending(self, item: str) -> bool:
        return item in self.state and self.state[item].status == "pending"

    async def send(
        self, item: str, send: Callable[[str, bool], Awaitable[str]], also: tuple[str, ...] = ()
    ) -> str:
        """Send one item under its key, recorded in the ledger before and after. A paper the
        platform refuses for good (`scope="item"`) is recorded failed and skipped: "" then.
        `also`: the other papers the same message carries (compact style), recorded with it.
        `send(key, attempted)`: attempted when an earlier run tried this item (its answer may
        have been lost, or the process killed) or this run's try failed — only then may the
        platform already hold it, so only then does the poster read back."""
        target, day = self.target, self.run
        key = message_key(day, item, self.channel.channel_id)
        tried = item in self.state and self.state[item].attempts > 0
        self.ledger.attempt(target, day, item)
        try:
            mid = await send_keyed(
                self.core.clock, f"{item} to {target}", tried, lambda was: send(key, was)
            )
        except DeliveryError as e:
            if not (e.permanent and e.scope == "item" and item not in SPECIAL):
                raise  # the parent or the thread refused: the day cannot go on without it
            log.warning("skipping %s of %s in %s: %s", item, day, target, e.reason)
            for each in (item, *also):
                self.ledger.failed(target, day, each, e.reason)
            return ""
        self.ledger.sent_many(target, day, [item, *also], mid)
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
    run = _Run(core, poster, ledger, channel, day, {r.item: r for r in rows}, target, day)
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

        def post_note(key: str, was: bool) -> Awaitable[str]:
            return run.poster.post(place, note, key=key, attempted=was)

        return 1 if await run.send(EMPTY, post_note) else 0
    digest = await build_digest(run.core, run.day, run.channel, only_ids=paper_ids)
    if digest is None:
        return 0
    if run.test:
        digest = as_test(digest)
    sent = 0
    parent_id = run.state[PARENT].message_id
    if run.pending(PARENT):
        parent_id = await run.send(
            PARENT,
            lambda key, was: run.poster.post(place, digest.parent, key=key, attempted=was),
        )
        if not run.test:
            record_shown(run.core, run.channel.target, run.day, PARENT, digest.parent)
        sent += 1
    thread = await _thread(run, place, parent_id, digest)
    late = () if run.test else late_items(run.core, run.channel.target, run.day)
    for item in digest.items:
        first, *rest = item_papers(item)  # one paper, or a compact group keyed by its first
        if run.pending(first) or any(run.pending(p) for p in rest):
            also = tuple(p for p in rest if run.pending(p))
            reply = mark_late(item) if first in late else item
            mid = await run.send(
                first,
                lambda key, was, r=reply: run.poster.reply_in_thread(
                    thread, r, key=key, attempted=was
                ),
                also,
            )
            # What the live thread compares later fetches with (bot/daily/live.py): a full card
            # of the real thread; a compact group's line and a test thread are never edited.
            if mid and not run.test and not item.compact:
                record_shown(run.core, run.channel.target, run.day, first, reply)
            sent += 1 if mid else 0
    return sent


async def _thread(run: _Run, place: Place, parent_id: str | None, digest: Digest) -> Place:
    """Where the replies go: the thread, opened now unless the ledger says it already is."""
    thread_id = run.state[THREAD].message_id
    if run.pending(THREAD):
        thread_id = await send_with_retry(
            run.core.clock,
            f"thread in {run.target}",
            lambda: _open(run.poster, place, parent_id, digest),
        )
        run.ledger.sent(run.target, run.run, THREAD, thread_id)
    return Place(place.platform, place.channel_id, place.workspace_id, thread_id)


async def _open(poster: Poster, place: Place, parent_id: str | None, digest: Digest) -> str:
    thread = await poster.open_thread(place, parent_id or "", digest.thread_name)
    return thread.thread_id or parent_id or ""


# --- `channel test`: the same thread, now, outside the day's once-only rule ---------------
TEST_MARK = "[test] "


def channel_test_target(channel: ChannelSettings) -> str:
    """The ledger's name for a channel's test threads: apart from its real one, so a test
    never counts as (or blocks) the day's post, and still goes out exactly once."""
    return f"{channel.target}:test"


def as_test(digest: Digest) -> Digest:
    """The thread marked as a test in its parent and thread titles, pinging nobody."""
    parent = replace(digest.parent, title=TEST_MARK + (digest.parent.title or digest.title))
    items = tuple(replace(r, mention_user_ids=()) for r in digest.items)
    name = TEST_MARK + digest.thread_name  # each platform caps a thread name its own way
    return replace(digest, title=parent.title or "", parent=parent, items=items, thread_name=name)


async def deliver_test_thread(
    core: Core, poster: Poster, channel: ChannelSettings, day: str, stamp: str
) -> DeliveryResult:
    """Post `day`'s thread for `channel` now, marked as a test, under the ledger's test target
    and the run's `stamp` (a rerun with the same stamp resumes: nothing sent twice). It
    chooses the papers as the real thread would, without leaving out those already posted,
    and a platform's refusal pauses nothing: the admin is told, the channel keeps its plan."""
    ledger = Ledger(core.db, core.clock.now)
    target = channel_test_target(channel)
    if not ledger.rows(target, stamp):
        chosen = choose_papers(core, day, channel)
        if not chosen:
            return DeliveryResult("empty")
        ledger.plan(target, stamp, [PARENT, THREAD, *(p.id for p, _ in chosen)])
    rows = ledger.rows(target, stamp)
    state = {r.item: r for r in rows}
    run = _Run(core, poster, ledger, channel, day, state, target, stamp, test=True)
    try:
        sent = await _send_planned(run, [r.item for r in rows if r.item not in SPECIAL])
    except DeliveryError as e:
        if e.permanent:
            end_days_thread(ledger, target, stamp, e.reason)
        return DeliveryResult("failed", 0, e.reason)
    return DeliveryResult("sent", sent)
