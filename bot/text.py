"""Small text and date helpers, each defined once: whitespace, the display date, HH:MM, plurals.

They sit at the bottom of the house (nothing here imports another `bot` module) so that
sources, summaries, commands and the daily thread all share one spelling of each.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def collapse_whitespace(text: str) -> str:
    """arXiv titles and abstracts carry hard line breaks ("\\n  "); one space reads better."""
    return " ".join(text.split())


def display_date(day: str | date) -> str:
    """`2025-10-01` → `Wed 1 Oct 2025`, the one way a date is shown to a person."""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{d:%a} {d.day} {d:%b %Y}"


def display_datetime(moment: datetime) -> str:
    """`Wed 1 Oct 2025 09:00`, in the moment's own zone: the one way a time is shown."""
    return f"{display_date(moment.date())} {moment:%H:%M}"


def parse_hhmm(text: str) -> str | None:
    """`9:05` / `09:05` → `09:05` (24-hour); None when it is not a time."""
    m = _HHMM.match(text.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """`1 paper`, `2 papers`, `1 match`, `3 matches`."""
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"


def parse_day(text: str) -> str:
    """Validate a YYYY-MM-DD string; raise ValueError with a readable message."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2025-10-01") from None
