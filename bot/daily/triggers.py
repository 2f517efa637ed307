"""When things happen: a channel's days and time in its own zone, and the scheduler's jobs.

One `CronTrigger` per job is the single definition of "HH:MM local time on these days": the
scheduler fires it and `/papers status` shows its next fire time, so the two never disagree.
The arithmetic over triggers (the last fire missed while down, fires between two instants)
lives here too, so the scheduler itself only launches work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.config import Config

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(text: str) -> tuple[str, ...]:
    """`mon-fri`, `mon,wed,fri`, `sat-sun`, `daily` → ordered day names (ValueError if not)."""
    t = text.strip().lower()
    if t in ("daily", "all", "every", "mon-sun"):
        return DAY_NAMES
    if t == "weekdays":
        return DAY_NAMES[:5]
    if t == "weekends":
        return DAY_NAMES[5:]
    chosen: set[int] = set()
    for part in t.split(","):
        a, _, b = part.strip().partition("-")
        if a[:3] not in DAY_NAMES or (b and b[:3] not in DAY_NAMES):
            raise ValueError(f"'{text}' is not a set of days; e.g. mon-fri or mon,wed,fri")
        i = DAY_NAMES.index(a[:3])
        j = DAY_NAMES.index(b[:3]) if b else i
        k = i
        while True:
            chosen.add(k)
            if k == j:
                break
            k = (k + 1) % 7
    return tuple(DAY_NAMES[i] for i in sorted(chosen))


def daily_trigger(hhmm: str, tz: str, days: str | None = None) -> CronTrigger:
    """The one definition of "HH:MM local time on these days": the scheduler fires it, and
    `/papers status` shows its next fire time, so the two can never disagree."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    return CronTrigger(
        hour=hour,
        minute=minute,
        second=0,
        day_of_week=days or ",".join(DAY_NAMES),
        timezone=ZoneInfo(tz),
    )


def next_run(now: datetime, hhmm: str, tz: str, days: tuple[str, ...]) -> datetime:
    """The first instant after `now` that is `hhmm` local time on one of `days`, in `tz`."""
    if not days:
        raise ValueError("no day selected")
    fire = daily_trigger(hhmm, tz, ",".join(days)).get_next_fire_time(
        None, now + timedelta(microseconds=1)
    )
    if fire is None:  # pragma: no cover - a daily trigger always fires again
        raise ValueError("no next run")
    return fire.astimezone(ZoneInfo(tz))


ChannelKey = tuple[str, str, str]  # platform, workspace_id, channel_id


@dataclass(frozen=True, slots=True)
class Job:
    """One recurring job: `fetch` at a sources.fetch_times entry, `alerts` (the daily DMs) at
    the digest time, `post` for a channel, or a channel's `roundup`."""

    id: str
    kind: Literal["fetch", "alerts", "post", "roundup"]
    trigger: CronTrigger
    channel: ChannelKey | None = None

    def next_fire(self, now: datetime) -> datetime | None:
        return self.trigger.get_next_fire_time(None, now)


def post_job_id(key: ChannelKey) -> str:
    return "post:" + ":".join(key)


def fetch_jobs(config: Config) -> list[Job]:
    src = config.sources
    return [
        Job(f"fetch:{t}", "fetch", daily_trigger(t, src.timezone))
        for t in dict.fromkeys(src.fetch_times)
    ]


def alerts_job(config: Config) -> Job:
    """Alert DMs go out at the digest time (users' preferred time has no command yet)."""
    d = config.digest
    return Job("alerts", "alerts", daily_trigger(d.default_time, d.default_timezone))


def last_fire_within(trigger: CronTrigger, now: datetime, window: timedelta) -> datetime | None:
    """The latest fire time in [now - window, now], or None: a run missed while down."""
    fire = trigger.get_next_fire_time(None, (now - window).astimezone(UTC))
    last = None
    while fire is not None and fire <= now:
        last = fire
        after = fire.astimezone(UTC) + timedelta(microseconds=1)  # in UTC: safe in a DST fold
        fire = trigger.get_next_fire_time(fire, after)
    return last


def fires_between(trigger: CronTrigger, after: datetime, until: datetime) -> datetime | None:
    """The latest fire time in (after, until] — several missed fires coalesce into one."""
    return last_fire_within(trigger, until, until - after - timedelta(microseconds=1))
