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
    # Fast path (an import calls this ~100,000 times): a printable string's only whitespace
    # is the ASCII space (every other `str.split` separator is Unicode "Other"/"Separator").
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def display_date(day: str | date, *, year: bool = True) -> str:
    """`2025-10-01` → `Wed 1 Oct 2025` (`Wed 1 Oct` without the year, where space is short:
    a Discord thread name), the one way a date is shown to a person."""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{d:%a} {d.day} {d:%b %Y}" if year else f"{d:%a} {d.day} {d:%b}"


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


def short_count(n: int) -> str:
    """A count as a person reads it at a glance: 950, 6.3k, 12k, 1.2M (stars, not money)."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size - size // 2000:  # 999,600 reads "1M", not "1000k"
            value = n / size
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return text.removesuffix(".0") + suffix
    return str(n)


def whole_number(text: str, low: int, high: int) -> int | None:
    """`text` as a number from `low` to `high`, or None. Only ASCII digits count:
    `"²".isdigit()` is True and `int("٣")` is 3, yet neither is a number anyone typed on
    purpose; the length is checked before `int()` so 5000 digits cost nothing and no huge
    number ever reaches SQLite (64-bit integers)."""
    t = text.strip()
    if not t or not t.isascii() or not t.isdigit() or len(t.lstrip("0")) > len(str(high)):
        return None
    n = int(t)
    return n if low <= n <= high else None


def quoted_input(text: str, limit: int = 24) -> str:
    """What the user typed, quoted for an error line and cut when long."""
    t = text.strip()
    return f"'{t}'" if len(t) <= limit else f"'{t[: limit - 1]}…'"


def word_list(items: list[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c` (or `a, b or c`): a list as a sentence says it."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def parse_day(text: str) -> str:
    """Validate a YYYY-MM-DD string; raise ValueError with a readable message."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2025-10-01") from None


# --- untrusted text -------------------------------------------------------------------------
# Lone surrogates (legal in JSON as "\ud800") cannot be encoded, so SQLite and print() refuse
# them; C0/C1 controls and bidi overrides let a paper's abstract drive a terminal (retitle it,
# clear it, make it type into stdin) or reorder what a reader sees.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_line(text: str) -> str:
    """`collapse_whitespace(printable(text))`: one line of untrusted text, as sources store
    a name or a keyword. An import asks this ~100,000 times, nearly always of a string that
    is already clean, so that case is one test at C speed instead of two calls."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return collapse_whitespace(printable(text))


def printable(text: str) -> str:
    """`text` without lone surrogates or control characters; `\\n` kept, a tab made a space.

    Everything else is left alone (emoji joiners and other format characters are real text).
    """
    if text.isprintable():  # nothing to remove: every character removed is Unicode "Other"
        return text
    return _UNPRINTABLE.sub("", text.replace("\t", " "))


def escape_unprintable(json_text: str) -> str:
    """JSON text with each character `printable` would remove written as a `\\uXXXX` escape:
    the same JSON value, and nothing a terminal obeys (`ensure_ascii=False` leaves C1, DEL,
    bidi controls and lone surrogates raw)."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


# --- caps: the most of an untrusted field a message shows -----------------------------------
# Sources can send a megabyte where a line is expected, and a platform that splits rather than
# cuts (Discord) would post it as hundreds of messages. The real data stays well inside these:
# titles reach 172 characters, HF organisation names 30, author names 38.
TITLE_MAX = 300
TLDR_MAX = 300
KEYWORD_MAX = 40
ORGANIZATION_MAX = 100
AUTHOR_MAX = 100
KEYWORDS_SHOWN = 6
URL_MAX = 2048  # Discord's limit for a link in an embed; a longer URL is dropped, never cut
