"""When a channel's weekly or monthly roundup goes out: `weekly fri 16:00`, `monthly 1 09:00`.

Kept as that canonical text in the channel's `roundup` column; one `CronTrigger` in the
channel's zone fires it (as `triggers.daily_trigger` does for the daily thread), and the
period it shows is the ISO week or calendar month that holds the fire time — a Friday
roundup shows the week so far, a roundup on the 1st shows the month just ended.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.daily.periods import Period, month_of, week_of
from bot.daily.triggers import DAY_NAMES, ChannelKey, Job
from bot.text import parse_hhmm

USAGE = "roundup weekly <mon-sun> HH:MM | roundup monthly <1-28> HH:MM | roundup off"
MONTH_DAYS = 28  # every month has the day


def parse_roundup(text: str) -> str | None:
    """`weekly fri 16:00` / `monthly 1 09:00` → canonical text; `off` → None; else ValueError."""
    words = text.lower().split()
    if words == ["off"]:
        return None
    if len(words) != 3 or words[0] not in ("weekly", "monthly"):
        raise ValueError(f"use {USAGE}")
    kind, when, at = words
    hhmm = parse_hhmm(at)
    if hhmm is None:
        raise ValueError(f"'{at}' is not a time; use HH:MM, e.g. {kind} {when} 16:00")
    if kind == "weekly":
        if when[:3] not in DAY_NAMES:
            raise ValueError(f"'{when}' is not a day of the week; e.g. weekly fri {hhmm}")
        return f"weekly {when[:3]} {hhmm}"
    if not when.isascii() or not when.isdigit() or not 1 <= int(when) <= MONTH_DAYS:
        raise ValueError(f"'{when}' is not a day of the month from 1 to {MONTH_DAYS}")
    return f"monthly {int(when)} {hhmm}"


def roundup_trigger(spec: str, tz: str) -> CronTrigger:
    kind, when, hhmm = spec.split()
    hour, minute = (int(x) for x in hhmm.split(":"))
    on = {"day_of_week": when} if kind == "weekly" else {"day": int(when)}
    return CronTrigger(hour=hour, minute=minute, second=0, timezone=ZoneInfo(tz), **on)


def roundup_period(spec: str, fire: datetime, tz: str) -> Period:
    """The period a roundup fired at `fire` shows: the ISO week holding it, or — monthly —
    the month holding the day before (on the 1st: the month just ended)."""
    local: date = fire.astimezone(ZoneInfo(tz)).date()
    if spec.startswith("weekly"):
        return week_of(local)
    return month_of(local - timedelta(days=1))


def roundup_job_id(key: ChannelKey) -> str:
    return "roundup:" + ":".join(key)


def roundup_job(key: ChannelKey, spec: str | None, tz: str, scheduled: bool) -> Job | None:
    """The channel's roundup job; None when it has none or cannot post (bad zone)."""
    if not spec or not scheduled:
        return None
    try:
        return Job(roundup_job_id(key), "roundup", roundup_trigger(spec, tz), key)
    except (KeyError, ValueError):
        return None
