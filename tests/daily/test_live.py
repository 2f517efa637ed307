"""The live thread on an injected clock: the morning thread, then two later fetches of a
grown day — the parent edited in place each time, late papers appended once each (marked),
a reply's counts edited only past the threshold, nothing after the day's tail."""

from __future__ import annotations

from datetime import timedelta

from adapters.memory import MemoryPoster
from bot.daily.live import live_until
from bot.daily.scheduler import Scheduler
from bot.daily.shown import LATE_NOTE, moved
from storage import live as live_store
from tests.fakes.hf import FakeHF
from tests.support.live import (
    DAY,
    EVENING,
    LATE_EVENING,
    LATE_NOON,
    MORNING,
    NOON,
    TOP,
    evening,
    live_core,
    morning,
    noon,
)
from tests.support.scheduling import save_channel, set_clock


def _kinds(poster: MemoryPoster, kind: str) -> list:
    return [s for s in poster.sent if s.kind == kind]


async def test_two_later_fetches_edit_the_parent_and_append_late_papers_once() -> None:
    with FakeHF(days={DAY: morning()}) as hf:
        core, clock = live_core(hf.url, MORNING - timedelta(minutes=1))
        channel = save_channel(core, timezone="UTC", max_papers=3)
        poster = MemoryPoster()
        sched = Scheduler(core, {"memory": poster})
        set_clock(clock, MORNING)
        await sched.run_due(MORNING)
        assert [s.reply.cards[0].paper_id for s in _kinds(poster, "reply")] == TOP
        parent_id = _kinds(poster, "post")[0].message_id

        hf.days[DAY] = noon()
        set_clock(clock, NOON)
        await sched.run_due(NOON)
        hf.days[DAY] = evening()
        set_clock(clock, EVENING)
        await sched.run_due(EVENING)

    assert len(_kinds(poster, "post")) == 1  # never a new parent
    replies = [s.reply for s in _kinds(poster, "reply")]
    assert [r.cards[0].paper_id for r in replies] == [*TOP, LATE_NOON, LATE_EVENING]
    assert [r.text.startswith(LATE_NOTE) for r in replies] == [False] * 3 + [True] * 2
    edits = _kinds(poster, "edit")
    parent_edits = [e for e in edits if e.message_id == parent_id]
    assert len(parent_edits) == 2 and parent_edits[0].place.thread_id is None
    assert parent_edits[0].reply != parent_edits[1].reply
    edited = [e.reply.cards[0].paper_id for e in edits if e.message_id != parent_id]
    # noon: #2 gained 10 (#1 only 2); evening: the noon paper gained 20 (the others 1)
    assert edited == [TOP[1], LATE_NOON]
    noon_edit = next(e for e in edits if e.message_id != parent_id)
    assert noon_edit.reply.cards[0].upvotes == 40 and noon_edit.place.thread_id == parent_id
    assert next(e for e in edits[::-1] if e.message_id != parent_id).reply.text.startswith(
        LATE_NOTE
    )
    assert live_store.edit_counts(core.db, channel.target, DAY) == (4, 4)


async def test_no_updates_after_the_day_and_its_tail_or_when_live_is_off() -> None:
    with FakeHF(days={DAY: morning()}) as hf:
        core, clock = live_core(hf.url, MORNING - timedelta(minutes=1))
        channel = save_channel(core, timezone="UTC", max_papers=3)
        off = save_channel(core, "C2", timezone="UTC", max_papers=3, live=0)
        poster = MemoryPoster()
        sched = Scheduler(core, {"memory": poster})
        set_clock(clock, MORNING)
        await sched.run_due(MORNING)
        before = len(poster.sent)
        hf.days[DAY] = noon()
        # the next day's noon fetch is for the next day; the thread's tail ends at its noon
        assert live_until(channel, DAY, 12) == NOON + timedelta(days=1)
        set_clock(clock, NOON)
        await sched.run_due(NOON)
    c2 = [s for s in poster.sent[before:] if s.place.channel_id == off.channel_id]
    assert c2 == [] and len(poster.sent) > before


def test_the_threshold_is_five_or_ten_percent() -> None:
    assert not moved(55, 57, 5, 0.10) and moved(30, 40, 5, 0.10) and moved(20, 22, 5, 0.10)
    assert moved(200, 205, 5, 0.10) and not moved(200, 204, 5, 0.10) and not moved(7, 7, 5, 0.1)
    assert moved(None, 3, 5, 0.10) is False and moved(0, 5, 5, 0.10)


async def test_a_thread_past_its_tail_is_left_alone() -> None:
    from bot.daily.live import update_live_thread

    with FakeHF(days={DAY: morning()}) as hf:
        core, clock = live_core(hf.url, MORNING - timedelta(minutes=1))
        channel = save_channel(core, timezone="America/Los_Angeles", max_papers=3, time="02:00")
        poster = MemoryPoster()
        sched = Scheduler(core, {"memory": poster})
        set_clock(clock, MORNING)
        await sched.run_due(MORNING)
        assert len(_kinds(poster, "post")) == 1
        # the day ends at midnight in Los Angeles (07:00 UTC on the 2nd), plus 12 hours
        set_clock(clock, NOON + timedelta(days=1, hours=6, minutes=59))
        hf.days[DAY] = noon()
        await sched.refresh_day(DAY, force=True)
        assert (await update_live_thread(core, poster, channel, DAY)).status == "updated"
        set_clock(clock, NOON + timedelta(days=1, hours=7))
        assert (await update_live_thread(core, poster, channel, DAY)).status == "over"


async def test_channel_enable_live_and_roundup_and_the_edit_count_in_status() -> None:
    from adapters.memory import MemoryAdapter
    from tests.support.chat import one

    with FakeHF(days={DAY: morning()}) as hf:
        core, clock = live_core(hf.url, MORNING - timedelta(minutes=1))
        bot = MemoryAdapter(core)
        ok = await one(bot, "/papers channel enable tz UTC max 3 live off", is_admin=True)
        assert "Live thread: off" in ok.text and "Roundup: off" in ok.text
        r = await one(bot, "/papers channel enable live on roundup weekly FRI 16:00", is_admin=True)
        assert "Live thread: on · edits: 0" in r.text and "Roundup: weekly fri 16:00" in r.text
        r = await one(bot, "/papers channel enable roundup monthly 1 9:00 max 4", is_admin=True)
        assert "Roundup: monthly 1 09:00" in r.text and "Max papers: 4" in r.text
        bad = await one(bot, "/papers channel enable roundup weekly friday 25:00", is_admin=True)
        assert bad.is_error and "not a time" in bad.text
        bad = await one(bot, "/papers channel enable live maybe", is_admin=True)
        assert bad.is_error and "use on or off" in bad.text
        off = await one(bot, "/papers channel enable roundup off", is_admin=True)
        assert "Roundup: off" in off.text
        sched = Scheduler(core, {"memory": MemoryPoster()})
        set_clock(clock, MORNING)
        await sched.run_due(MORNING)
        hf.days[DAY] = noon()
        set_clock(clock, NOON)
        await sched.run_due(NOON)
        status = await one(bot, "/papers channel status")
        assert "Live thread: on · edits: 2 to the latest thread, 2 in all" in status.text
