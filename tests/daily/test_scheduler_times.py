"""When the scheduler posts: the channel's own zone and days, across DST changes, catch-up.

Everything runs on an injected FakeClock; `Scheduler.run_due(until)` fires exactly what
APScheduler would fire up to `until`, using the same CronTriggers, so nothing waits for real.
The recorded days are copied onto the dates under test (the sources' zone is UTC).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.clock import FakeClock
from bot.core import Core
from bot.daily.scheduler import Scheduler
from bot.daily.triggers import DAY_NAMES, daily_trigger, last_fire_within, next_run, post_job_id
from tests.support.scheduling import core_at, parents, save_channel, set_clock

FIXTURE_DAYS = ("2025-09-30", "2025-10-01", "2025-10-02")


def copy_day(core: Core, src: str, dst: str) -> None:
    """Serve a recorded day's list as if it had been published on `dst`."""
    with core.db.conn:
        core.db.execute(
            "INSERT OR REPLACE INTO daily_entries (day, paper_id, rank, upvotes, seen_at)"
            " SELECT ?, paper_id, rank, upvotes, seen_at FROM daily_entries WHERE day = ?",
            [dst, src],
        )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def step_through(
    sched: Scheduler, clock: FakeClock, end: datetime, step: timedelta
) -> list[tuple[datetime, str]]:
    """Advance the clock in `step`s up to `end`; return (instant, job id) for every launch."""
    fired = []
    while clock.now() < end:
        set_clock(clock, min(end, clock.now() + step))
        fired += [(clock.now(), j) for j in posts(await sched.run_due(clock.now()))]
    return fired


def posts(job_ids: list[str]) -> list[str]:
    return [j for j in job_ids if j.startswith("post:")]


@pytest.mark.parametrize(
    ("dates", "expected_utc_hours"),
    [
        (("2025-10-25", "2025-10-26", "2025-10-27"), (7, 8, 8)),  # CEST → CET
        (("2025-03-29", "2025-03-30", "2025-03-31"), (8, 7, 7)),  # CET → CEST
    ],
)
async def test_berlin_nine_oclock_is_the_right_instant_across_a_dst_change(
    dates: tuple[str, ...], expected_utc_hours: tuple[int, ...]
) -> None:
    core, clock = core_at(datetime.fromisoformat(dates[0] + "T00:00:00+00:00"))
    for src, dst in zip(FIXTURE_DAYS, dates, strict=True):
        copy_day(core, src, dst)
    save_channel(core)
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    for day, hour in zip(dates, expected_utc_hours, strict=True):
        due = datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")
        set_clock(clock, due - timedelta(seconds=1))
        assert posts(await sched.run_due(clock.now())) == []  # not a second early
        set_clock(clock, due)
        assert posts(await sched.run_due(due)) == [post_job_id(("memory", "W1", "C1"))]
        assert parents(poster)[-1].startswith("Daily Papers — ")
        assert due.strftime("%-d %b %Y") in parents(poster)[-1]
    assert len(parents(poster)) == 3


async def test_a_time_inside_the_autumn_fold_posts_once() -> None:
    """02:30 Berlin happens twice on 26 Oct 2025; the day is still posted only once."""
    core, clock = core_at(utc(2025, 10, 25, 12))
    copy_day(core, "2025-10-01", "2025-10-26")
    save_channel(core, time="02:30")
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    fired = await step_through(sched, clock, utc(2025, 10, 26, 4), timedelta(minutes=15))
    assert [t for t, _ in fired] == [utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30)]
    assert len(parents(poster)) == 1 and "26 Oct 2025" in parents(poster)[0]


async def test_two_channels_in_different_zones_post_at_their_own_nine() -> None:
    core, clock = core_at(utc(2025, 10, 8, 0))
    copy_day(core, "2025-10-01", "2025-10-08")
    save_channel(core, "BER", timezone="Europe/Berlin")
    save_channel(core, "NYC", timezone="America/New_York")
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    fired = await step_through(sched, clock, utc(2025, 10, 8, 23, 59), timedelta(minutes=1))
    assert fired == [
        (utc(2025, 10, 8, 7), post_job_id(("memory", "W1", "BER"))),
        (utc(2025, 10, 8, 13), post_job_id(("memory", "W1", "NYC"))),
    ]
    by_channel = {s.place.channel_id for s in poster.sent if s.kind == "post"}
    assert by_channel == {"BER", "NYC"} and len(parents(poster)) == 2


async def test_days_of_week_are_respected() -> None:
    core, clock = core_at(utc(2025, 9, 29, 0))  # a Monday
    save_channel(core, timezone="UTC", days="mon,wed,fri", post_empty=1)
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    fired = await step_through(sched, clock, utc(2025, 10, 6, 0), timedelta(hours=1))
    assert [t for t, _ in fired] == [utc(2025, 9, 29, 9), utc(2025, 10, 1, 9), utc(2025, 10, 3, 9)]
    assert [p.split(" —")[0] for p in parents(poster)] == [
        "No new papers for 2025-09-29.",  # nothing stored for that Monday
        "Daily Papers",
        "Daily Papers",  # Friday shows Thursday's list: the latest day with papers
    ]


async def test_filter_and_min_upvotes_are_applied_to_the_scheduled_thread() -> None:
    core, clock = core_at(utc(2025, 10, 1, 8, 59))
    save_channel(core, timezone="UTC", min_upvotes=20, max_papers=50, filter="agent OR agents")
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    await step_through(sched, clock, utc(2025, 10, 1, 9, 1), timedelta(minutes=1))
    cards = [s.reply.cards[0] for s in poster.sent if s.kind == "reply"]
    assert cards and all(c.upvotes >= 20 and c.matched for c in cards)
    assert all("agent" in " ".join(c.matched) for c in cards)
    (parent,) = [s.reply for s in poster.sent if s.kind == "post"]
    assert parent.headline.kept == len(cards) and parent.headline.total == 37  # the day's count


async def test_catch_up_posts_a_missed_thread_once_within_the_window() -> None:
    core, clock = core_at(utc(2025, 10, 1, 14, 59))  # down at 09:00, back 5h59m later
    save_channel(core, timezone="UTC", time="09:00")  # (the window is 6 hours)
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    assert posts(sched.catch_up()) == [post_job_id(("memory", "W1", "C1"))]
    await sched.drain()
    assert len(parents(poster)) == 1 and "1 Oct 2025" in parents(poster)[0]
    again = Scheduler(core, {"memory": poster})  # a second restart the same day
    again.catch_up()
    await again.drain()
    assert len(parents(poster)) == 1  # never a day twice


async def test_catch_up_ignores_a_post_older_than_the_window() -> None:
    core, clock = core_at(utc(2025, 10, 1, 15, 1))
    save_channel(core, timezone="UTC", time="09:00")
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    assert posts(sched.catch_up()) == []
    await sched.drain()
    assert poster.sent == []


async def test_catch_up_after_midnight_posts_the_scheduled_day() -> None:
    core, clock = core_at(utc(2025, 10, 2, 1, 0))  # missed 1 Oct 23:30
    save_channel(core, timezone="UTC", time="23:30")
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    sched.catch_up()
    await sched.drain()
    assert "1 Oct 2025" in parents(poster)[0]


async def test_jobs_follow_channel_commands(core: Core, clock: FakeClock) -> None:
    bot = MemoryAdapter(core)
    sched = Scheduler(core, {"memory": MemoryPoster()})
    key = ("memory", "W1", "C1")
    assert sched.job_for(key) is None and {j.id for j in sched.jobs()} == {
        "fetch:06:00",
        "fetch:12:00",
        "alerts",  # the daily DMs, at digest.default_time
    }
    await bot.push("/papers channel enable time 07:15 tz Asia/Tokyo days mon-fri", is_admin=True)
    job = sched.job_for(key)
    assert job is not None
    assert job.next_fire(utc(2025, 10, 2, 9)) == utc(2025, 10, 2, 22, 15)  # Fri 07:15 JST
    await bot.push("/papers channel enable time 08:00", is_admin=True)
    assert sched.job_for(key).next_fire(utc(2025, 10, 2, 9)) == utc(2025, 10, 2, 23)
    await bot.push("/papers channel disable", is_admin=True)
    assert sched.job_for(key) is None
    await bot.push("/papers channel enable", is_admin=True)
    assert sched.job_for(key) is not None


async def test_apscheduler_gets_the_same_jobs_and_they_change_with_the_channel(
    core: Core, clock: FakeClock
) -> None:
    """Started for real (on this loop): its jobs mirror ours, rebuilt on every change."""
    bot = MemoryAdapter(core)
    save_channel(core, "OLD", timezone="UTC")
    sched = Scheduler(core, {"memory": MemoryPoster()})
    sched.start()
    try:
        assert set(sched.apscheduler_jobs()) == {j.id for j in sched.jobs()}
        await bot.push("/papers channel enable time 10:30 tz Europe/Berlin", is_admin=True)
        aps = sched.apscheduler_jobs()
        assert str(aps[post_job_id(("memory", "W1", "C1"))].trigger.timezone) == "Europe/Berlin"
        await bot.push("/papers channel disable", is_admin=True)
        assert post_job_id(("memory", "W1", "C1")) not in sched.apscheduler_jobs()
    finally:
        await sched.stop()
    assert sched.on_channel_changed not in core.channel_listeners


class SignallingPoster(MemoryPoster):
    def __init__(self) -> None:
        super().__init__()
        self.posted = asyncio.Event()

    async def post(self, place, reply, *, key, attempted=True):  # type: ignore[no-untyped-def]
        self.posted.set()
        return await super().post(place, reply, key=key, attempted=attempted)


async def test_a_job_fired_by_apscheduler_runs_on_this_loop(core: Core) -> None:
    """APScheduler calls the job on the event loop (a coroutine job, not a worker thread)."""
    save_channel(core, "NOW", timezone="UTC", time="23:59")
    poster = SignallingPoster()
    sched = Scheduler(core, {"memory": poster})
    sched.start()
    try:
        job_id = post_job_id(("memory", "W1", "NOW"))
        sched.apscheduler_jobs()[job_id].modify(next_run_time=datetime.now(UTC))
        await asyncio.wait_for(poster.posted.wait(), 10)
        await sched.drain()
    finally:
        await sched.stop()
    assert parents(poster) and "Thu 2 Oct 2025" in parents(poster)[0]


def test_last_fire_within_finds_the_missed_run() -> None:
    trig = daily_trigger("09:00", "Europe/Berlin")
    now = utc(2025, 10, 27, 10)  # 11:00 CET
    assert last_fire_within(trig, now, timedelta(hours=6)) == utc(2025, 10, 27, 8)
    assert last_fire_within(trig, now, timedelta(hours=1)) is None


ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    days=st.sets(st.sampled_from(DAY_NAMES), min_size=1),
    seconds=st.integers(0, 3 * 365 * 86400),
)
def test_status_next_post_agrees_with_the_trigger(
    zone: str, hour: int, minute: int, days: set[str], seconds: int
) -> None:
    """What `/papers status` shows (schedule_times.next_run) is when the job fires."""
    ordered = tuple(d for d in DAY_NAMES if d in days)
    now = utc(2024, 1, 1) + timedelta(seconds=seconds)
    hhmm = f"{hour:02d}:{minute:02d}"
    shown = next_run(now, hhmm, zone, ordered)
    trigger = daily_trigger(hhmm, zone, ",".join(ordered))
    fires = trigger.get_next_fire_time(None, now + timedelta(microseconds=1))  # strictly after
    assert fires is not None and shown.astimezone(UTC) == fires.astimezone(UTC)


class FlakyPoster(MemoryPoster):
    """Fails every reply transiently `failures` times in a row, then works."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def reply_in_thread(self, thread, reply, *, key, attempted=True):  # type: ignore[no-untyped-def]
        from bot.daily.posting import DeliveryError

        if self.failures > 0:
            self.failures -= 1
            raise DeliveryError("Slack chat.postMessage: http_503", permanent=False)
        return await super().reply_in_thread(thread, reply, key=key, attempted=attempted)


async def test_a_thread_failing_for_a_while_is_retried_within_the_window() -> None:
    core, clock = core_at(utc(2025, 10, 1, 8, 59))
    save_channel(core, timezone="UTC")
    poster = FlakyPoster(failures=9)  # more than one delivery attempt retries by itself
    sched = Scheduler(core, {"memory": poster})
    set_clock(clock, utc(2025, 10, 1, 9))
    await sched.run_due(clock.now())
    assert len([s for s in poster.sent if s.kind == "reply"]) == 3
    assert 300.0 in clock.sleeps and clock.now() < utc(2025, 10, 1, 15)


async def test_a_thread_failing_all_day_gives_up_at_the_end_of_the_window() -> None:
    core, clock = core_at(utc(2025, 10, 1, 8, 59))
    save_channel(core, timezone="UTC")
    poster = FlakyPoster(failures=10**6)
    sched = Scheduler(core, {"memory": poster})
    set_clock(clock, utc(2025, 10, 1, 9))
    await sched.run_due(clock.now())
    assert utc(2025, 10, 1, 14, 50) <= clock.now() <= utc(2025, 10, 1, 15, 5)
    assert [s.kind for s in poster.sent] == ["post", "thread"]  # resumable: replies pending
    later = MemoryPoster()  # the next start finishes the half-sent thread, outside the window
    sched2 = Scheduler(core, {"memory": later})
    assert posts(sched2.catch_up()) == [post_job_id(("memory", "W1", "C1"))]
    await sched2.drain()
    assert [s.kind for s in later.sent] == ["reply", "reply", "reply"]
