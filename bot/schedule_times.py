"""When a channel's next daily thread is due, in its own time zone, on its own days."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

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


def next_run(now: datetime, hhmm: str, tz: str, days: tuple[str, ...]) -> datetime:
    """The first instant after `now` that is `hhmm` local time on one of `days` (DST-aware)."""
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    h, m = (int(x) for x in hhmm.split(":"))
    for offset in range(8):
        d = local_now.date() + timedelta(days=offset)
        if DAY_NAMES[d.weekday()] not in days:
            continue
        candidate = datetime.combine(d, time(h, m), tzinfo=zone)
        # A time skipped by a DST jump is normalised forward by the round trip through UTC.
        candidate = candidate.astimezone(ZoneInfo("UTC")).astimezone(zone)
        if candidate > local_now:
            return candidate
    raise ValueError("no day selected")
