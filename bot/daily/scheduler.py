"""The daily clock of `paperbot run`: fetch jobs, one post job per channel, catch-up at start.

The database is the truth: jobs are built from the stored channel settings when the scheduler
is created and rebuilt for one channel whenever it is enabled, changed, paused or disabled
(`core.channel_listeners`). Nothing is pickled. Each job carries an APScheduler `CronTrigger`
in the channel's own IANA zone (DST-safe); `start()` hands the same triggers to an
`AsyncIOScheduler` on the running loop, and `run_due(until)` fires them from an injected
clock, so tests see exactly what production would do without waiting.

A job only launches a task and returns: different channels are delivered concurrently, a
channel's own messages stay in order (`deliver_thread`), and `stop()` lets sends in flight
finish (or cancels them after a grace period; the ledger keeps them resumable).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core import Core
from bot.daily.alerts import deliver_dm_alerts
from bot.daily.channels import (
    ChannelSettings,
    channel_target,
    enabled_channels,
    load_channel,
    post_job,
)
from bot.daily.delivery import DeliveryResult, day_already_posted, deliver_thread
from bot.daily.live import update_live_threads
from bot.daily.posting import DM, Poster
from bot.daily.roundup import deliver_roundup
from bot.daily.roundup_schedule import roundup_job, roundup_job_id, roundup_period
from bot.daily.triggers import (
    ChannelKey,
    Job,
    alerts_job,
    fetch_jobs,
    fires_between,
    last_fire_within,
    post_job_id,
)
from bot.ingest import fetch_days
from bot.sources.errors import SourceError
from storage import fetch_log
from storage import papers as paper_store
from storage.ledger import Ledger

if TYPE_CHECKING:  # APScheduler's scheduler is imported when `start` runs: tests never need it
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

LOOKBACK_DAYS = 3  # a post shows the latest day with papers, at most this many days back
REFETCH_SECONDS = 120.0  # channels posting together share one re-fetch of the day
RETRY_SECONDS = 300.0  # a thread that failed transiently is retried this often…
# …while still within `digest.catch_up_hours` of its scheduled time.


def _roundup_job(c: ChannelSettings) -> Job | None:
    return roundup_job(c.key, c.roundup, c.timezone, c.scheduled)


class Scheduler:
    """Jobs from the database, run by APScheduler (`start`) or by an injected clock (`run_due`)."""

    def __init__(self, core: Core, posters: dict[str, Poster] | None = None) -> None:
        self.core = core
        self.posters: dict[str, Poster] = dict(posters or {})
        self._jobs: dict[str, Job] = {}
        self._aps: AsyncIOScheduler | None = None
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._fetched_at: dict[str, float] = {}  # day → clock.monotonic() of its last fetch
        self._fetch_lock = asyncio.Lock()
        self._dm_lock = asyncio.Lock()  # fetch and alerts jobs may both want the day's DMs
        self._sending: dict[ChannelKey, asyncio.Lock] = {}  # a channel's thread: one sender
        self._checked_until = core.clock.now()
        self.reload()
        core.channel_listeners.append(self.on_channel_changed)

    # --- the jobs -------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild every job from the stored settings."""
        jobs = [*fetch_jobs(self.core.config), alerts_job(self.core.config)]
        channels = enabled_channels(self.core)
        jobs += [j for c in channels if (j := post_job(c)) is not None]
        jobs += [j for c in channels if (j := _roundup_job(c)) is not None]
        for old in set(self._jobs) - {j.id for j in jobs}:
            self._drop(old)
        for job in jobs:
            self._put(job)

    def jobs(self) -> list[Job]:
        return list(self._jobs.values())

    def job_for(self, key: ChannelKey) -> Job | None:
        return self._jobs.get(post_job_id(key))

    def apscheduler_jobs(self) -> dict[str, Any]:
        """APScheduler's own view once started (job id → its Job), to check it mirrors ours."""
        return {j.id: j for j in self._aps.get_jobs()} if self._aps is not None else {}

    def on_channel_changed(self, channel: ChannelSettings) -> None:
        """A channel was enabled, changed, paused or disabled: rebuild (or drop) its job."""
        job = post_job(channel)
        if job is not None:
            self._put(job)
            when = f"{channel.time} {channel.timezone}"
            log.info("scheduled the daily thread in %s at %s", channel.target, when)
        else:
            self._drop(post_job_id(channel.key))
        roundup = _roundup_job(channel)
        if roundup is not None:
            self._put(roundup)
        else:
            self._drop(roundup_job_id(channel.key))

    def _put(self, job: Job) -> None:
        self._jobs[job.id] = job
        if self._aps is not None:
            self._aps.add_job(
                self._fire, trigger=job.trigger, id=job.id, args=[job.id], replace_existing=True
            )

    def _drop(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)
        if self._aps is not None and self._aps.get_job(job_id) is not None:
            self._aps.remove_job(job_id)

    def add_poster(self, poster: Poster) -> None:
        """A platform is connected (the adapters' `on_ready`). One that connects after the
        start gets what it missed meanwhile, within the catch-up window."""
        self.posters[poster.platform] = poster
        if self._aps is not None:
            self.catch_up()

    # --- running --------------------------------------------------------------------------
    def start(self) -> None:
        """Hand the jobs to an AsyncIOScheduler on the running loop, then catch up."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self._aps = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": max(1, int(self._window().total_seconds())),
            },
        )
        for job in self._jobs.values():
            self._put(job)
        self._aps.start()
        caught = self.catch_up() or "nothing"
        log.info("scheduler started: %d jobs; catching up on %s", len(self._jobs), caught)

    async def _fire(self, job_id: str) -> None:
        """APScheduler's entry point (a coroutine, so it runs on this loop, not a thread)."""
        job = self._jobs.get(job_id)
        if job is not None:
            self._launch(job, self.core.clock.now())

    def catch_up(self, now: datetime | None = None) -> list[str]:
        """Launch each job whose last fire time, within `digest.catch_up_hours`, was missed
        while the bot was down; also finish threads a crash left half-sent."""
        now = now or self.core.clock.now()
        launched = []
        for job in self.jobs():
            fire = last_fire_within(job.trigger, now, self._window())
            if job.kind == "fetch" and (fire is None or self._done_fetching(fire)):
                continue
            if job.kind in ("alerts", "roundup") and fire is None:
                continue
            if job.kind == "post" and fire is None:
                if job.channel is None or not self._unfinished_days(job.channel, now):
                    continue
                task = self._launch(job, now, new_day=False)
            else:
                task = self._launch(job, fire or now)
            if task is not None:
                launched.append(job.id)
        self._checked_until = max(self._checked_until, now)
        return launched

    async def run_due(self, until: datetime) -> list[str]:
        """Fire what is due in (last check, until], as APScheduler would (missed fires
        coalesce; one later than the catch-up window is skipped), and wait for it."""
        launched = []
        for job in self.jobs():
            fire = fires_between(job.trigger, self._checked_until, until)
            due = fire is not None and until - fire <= self._window()
            if due and self._launch(job, fire) is not None:  # type: ignore[arg-type]
                launched.append(job.id)
        self._checked_until = max(self._checked_until, until)
        await self.drain()
        return launched

    def _launch(self, job: Job, fire: datetime, *, new_day: bool = True) -> asyncio.Task | None:
        if job.id in self._running:
            log.info("%s is still running; not starting it twice", job.id)
            return None
        if job.kind == "post":
            assert job.channel is not None
            work: Coroutine[Any, Any, None] = self.post(job.channel, fire, new_day=new_day)
        elif job.kind == "roundup":
            assert job.channel is not None
            work = self.roundup(job.channel, fire)
        elif job.kind == "alerts":
            work = self.send_alerts(fire)
        else:
            work = self.fetch_and_alert(fire)
        return self._spawn(job.id, work)

    def _spawn(self, job_id: str, work: Coroutine[Any, Any, Any]) -> asyncio.Task | None:
        if job_id in self._running:
            work.close()
            log.info("%s is still running; not starting it twice", job_id)
            return None
        task = asyncio.create_task(self._guarded(job_id, work), name=f"paperbot {job_id}")
        self._running[job_id] = task
        task.add_done_callback(lambda t: self._running.pop(job_id, None))
        return task

    async def _guarded(self, job_id: str, work: Coroutine[Any, Any, Any]) -> None:
        try:
            await work
        except Exception:  # one job's bug must not stop the others
            log.exception("%s failed", job_id)

    async def drain(self) -> None:
        """Wait for every launched job (tests; and `stop`)."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    def cancel_in_flight(self) -> None:
        for task in list(self._running.values()):
            task.cancel()

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop firing; let sends in flight finish for up to `grace_seconds`, then cancel
        them (their ledger rows stay pending, so the next start resumes them)."""
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        if self.on_channel_changed in self.core.channel_listeners:
            self.core.channel_listeners.remove(self.on_channel_changed)
        pending = list(self._running.values())
        if not pending:
            return
        log.info("waiting up to %gs for %d job(s) in flight", grace_seconds, len(pending))
        _, late = await asyncio.wait(pending, timeout=grace_seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    # --- the work -------------------------------------------------------------------------
    async def fetch_and_alert(self, fire: datetime) -> None:
        """A fetch job: today's list from the sources, then — once the day's alert time has
        come — the day's alert DMs (each user gets one per day, whichever job sends it)."""
        day = self._source_day(fire).isoformat()
        if await self.refresh_day(day, force=True):
            self._spawn(f"live:{day}", self.update_live(day))
        d = self.core.config.digest
        local = fire.astimezone(ZoneInfo(d.default_timezone))
        if local.strftime("%H:%M") >= d.default_time:
            await self._send_dms(day)

    async def update_live(self, day: str) -> None:
        """A fetch of `day` landed: its live threads follow (bot/daily/live.py)."""
        edits = await update_live_threads(
            self.core,
            self.posters,
            day,
            lambda key: post_job_id(key) in self._running,
            self._send_lock,
        )
        if edits:
            log.info("live threads of %s: %d edit(s)", day, edits)

    async def roundup(self, key: ChannelKey, fire: datetime) -> None:
        """A channel's weekly or monthly roundup (bot/daily/roundup.py)."""
        channel = load_channel(self.core, key)
        poster = self.posters.get(key[0])
        if channel is None or not channel.scheduled or not channel.roundup or poster is None:
            return
        period = roundup_period(channel.roundup, fire, channel.timezone)
        status = await deliver_roundup(self.core, poster, channel, period)
        log.info("roundup %s for %s: %s", ":".join(key), period.name, status)

    def _send_lock(self, key: ChannelKey) -> asyncio.Lock:
        return self._sending.setdefault(key, asyncio.Lock())

    async def send_alerts(self, fire: datetime) -> None:
        """The alerts job: the day (re-fetched unless just fetched), then its alert DMs."""
        day = self._source_day(fire).isoformat()
        await self.refresh_day(day)
        await self._send_dms(day)

    async def _send_dms(self, day: str) -> None:
        async with self._dm_lock:  # one sender at a time: the ledger then sees the first's DMs
            sent = await deliver_dm_alerts(self.core, self.posters, day)
        if sent:
            log.info("sent %d alert DM(s) for %s", sent, day)

    async def post(self, key: ChannelKey, fire: datetime, *, new_day: bool = True) -> None:
        """A channel's post job: finish threads left half-sent, then the day's thread."""
        channel = load_channel(self.core, key)
        if channel is None or not channel.scheduled:
            return
        poster = self.posters.get(key[0])
        if poster is None:
            log.warning("%s is not connected; the thread in %s waits", key[0], ":".join(key))
            return
        days = self._unfinished_days(key, fire)
        if new_day:
            day = await self.pick_day(channel, fire)
            if day is not None and day not in days:
                days.append(day)
        for day in days:
            async with self._send_lock(key):
                result = await self._deliver(poster, key, day, fire)
            if result is not None and result.status == "paused":
                return

    async def pick_day(self, channel: ChannelSettings, fire: datetime) -> str | None:
        """The day a post at `fire` shows: the latest with papers (re-fetched first), at
        most LOOKBACK_DAYS back; None when that day was already posted here."""
        today = self._source_day(fire)
        await self.refresh_day(today.isoformat())
        earliest = (today - timedelta(days=LOOKBACK_DAYS)).isoformat()
        latest = paper_store.latest_day(self.core.db, today.isoformat())
        day = latest if latest and latest >= earliest else today.isoformat()
        if day != today.isoformat():
            await self.refresh_day(day)
        return None if day_already_posted(self.core, channel, day) else day

    async def _deliver(
        self, poster: Poster, key: ChannelKey, day: str, fire: datetime
    ) -> DeliveryResult | None:
        """deliver_thread, retried every RETRY_SECONDS after a transient failure while
        still within the catch-up window of `fire`."""
        deadline = fire + self._window()
        while True:
            channel = load_channel(self.core, key)
            if channel is None or not channel.scheduled:
                return None
            result = await deliver_thread(self.core, poster, channel, day)
            what = (":".join(key), day, result.status, result.sent)
            log.info("daily thread %s for %s: %s (%d sent)", *what)
            retry_at = self.core.clock.now() + timedelta(seconds=RETRY_SECONDS)
            if result.status != "failed" or retry_at > deadline:
                return result
            await self.core.clock.sleep(RETRY_SECONDS)

    async def refresh_day(self, day: str, *, force: bool = False) -> bool:
        """Fetch `day` from the sources (once per REFETCH_SECONDS unless forced).

        It runs right before a post, and a post must never die of it: whatever goes wrong (a
        source outage, a hostile answer, a database refusing the new list) is logged once, in
        one line, and the stored papers are used."""
        async with self._fetch_lock:
            now = self.core.clock.monotonic()
            last = self._fetched_at.get(day)
            if not force and last is not None and now - last < REFETCH_SECONDS:
                return False
            self._fetched_at[day] = now
            try:
                report = await fetch_days(self.core, [day])
            except Exception as e:  # anything at all: see the docstring, the post goes on
                why = str(e) if isinstance(e, SourceError) else f"{type(e).__name__}: {e}"
                log.warning("could not fetch %s (%s); using the papers stored", day, why)
                return False
            if report.arxiv_down:
                log.warning("%s", report.arxiv_down)
            return True

    # --- helpers --------------------------------------------------------------------------
    def _window(self) -> timedelta:
        return timedelta(hours=self.core.config.digest.catch_up_hours)

    def _source_day(self, instant: datetime) -> date:
        return instant.astimezone(ZoneInfo(self.core.config.sources.timezone)).date()

    def _done_fetching(self, fire: datetime) -> bool:
        """Fetched since `fire`, and no alert DM of that day left pending by a crash."""
        day = self._source_day(fire).isoformat()
        fetched = fetch_log.last_success(self.core.db, "hf", day)
        pending_dm = Ledger(self.core.db).has_pending(day, DM)
        return bool(fetched and datetime.fromisoformat(fetched) >= fire and not pending_dm)

    def _unfinished_days(self, key: ChannelKey, now: datetime) -> list[str]:
        """Days whose thread here was planned but not fully sent (a crash, an outage),
        oldest first, within LOOKBACK_DAYS."""
        target = channel_target(key)
        earliest = (self._source_day(now) - timedelta(days=LOOKBACK_DAYS)).isoformat()
        return Ledger(self.core.db).pending_days(target, earliest)
