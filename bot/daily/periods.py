"""Named spans of days: Hugging Face's own periods (ISO week `2025-W40`, calendar month
`2025-09`), one day, and trailing windows (`7d`). `/papers top`, the weekly / monthly roundup
and `paperbot chart` all read a period here, so "the week" means the same thing everywhere —
and the same thing as Hugging Face's `week=YYYY-Www` / `month=YYYY-MM` lists.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.text import display_date

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TRAILING = re.compile(r"^(\d{1,3})d$", re.IGNORECASE)
MAX_TRAILING_DAYS = 366


@dataclass(frozen=True, slots=True)
class Period:
    """Days `start`..`end` inclusive. `kind`: week | month | day | trailing; `name` is how
    the period is written (`2025-W40`, `2025-09`, `2025-10-01`, `7d`)."""

    kind: str
    name: str
    start: date
    end: date

    @property
    def days(self) -> list[str]:
        n = (self.end - self.start).days + 1
        return [(self.start + timedelta(days=i)).isoformat() for i in range(n)]

    def previous(self) -> Period:
        """The period just before this one, of the same kind (last week, last month…)."""
        if self.kind == "week":
            return week_of(self.start - timedelta(days=7))
        if self.kind == "month":
            return month_of(self.start - timedelta(days=1))
        span = self.end - self.start + timedelta(days=1)
        return Period(self.kind, self.name, self.start - span, self.start - timedelta(days=1))

    def describe(self) -> str:
        """`the week 2025-W40 (Mon 29 Sep – Sun 5 Oct 2025)`, for a heading."""
        span = display_date(self.end)
        if self.end != self.start:
            first = display_date(self.start)
            if self.start.year == self.end.year:
                first = first.rsplit(" ", 1)[0]  # `Mon 29 Sep – Sun 5 Oct 2025`
            span = f"{first} – {span}"
        if self.kind == "week":
            return f"the week {self.name} ({span})"
        if self.kind == "month":
            return f"{self.start:%B %Y} ({span})"
        if self.kind == "trailing":
            return f"the last {(self.end - self.start).days + 1} days ({span})"
        return span


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) holding `day`."""
    year, week, weekday = day.isocalendar()
    start = day - timedelta(days=weekday - 1)
    return Period("week", f"{year}-W{week:02d}", start, start + timedelta(days=6))


def month_of(day: date) -> Period:
    """The calendar month holding `day`."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period("month", f"{day:%Y-%m}", day.replace(day=1), day.replace(day=last))


def trailing(days: int, end: date) -> Period:
    """The `days` days ending on `end`, inclusive."""
    return Period("trailing", f"{days}d", end - timedelta(days=days - 1), end)


def parse_period(text: str, anchor: date) -> Period | None:
    """`week`, `month`, `day` (the one holding `anchor`), `7d` (ending on `anchor`),
    `2025-W40`, `2025-09`; None when `text` is none of these (or names no real period)."""
    t = text.strip().lower()
    if t == "week":
        return week_of(anchor)
    if t == "month":
        return month_of(anchor)
    if t == "day":
        return Period("day", anchor.isoformat(), anchor, anchor)
    if m := _TRAILING.match(t):
        n = int(m.group(1))
        return trailing(n, anchor) if 1 <= n <= MAX_TRAILING_DAYS else None
    try:
        if m := _WEEK.match(t):
            return week_of(date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1))
        if m := _MONTH.match(t):
            return month_of(date(int(m.group(1)), int(m.group(2)), 1))
    except ValueError:  # week 54, month 13
        return None
    return None


def looks_like_period(text: str) -> bool:
    """A word meant as a period (so its error talks about periods, not limits)."""
    t = text.strip().lower()
    return t in ("day", "week", "month") or bool(
        _TRAILING.match(t) or _WEEK.match(t) or _MONTH.match(t)
    )
