"""When a channel's next daily thread is due, in its own time zone, on its own days."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

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
    from apscheduler.triggers.cron import CronTrigger

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
