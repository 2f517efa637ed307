"""A time of day and a time zone as a person types them: `9am`, `9:30pm`, `21:30`; `berlin`,
`america/new_york`, `new york`.

`channel enable` stores only canonical values (`21:30`, `Europe/Berlin`), so everything past
this module — the scheduler, `channel status`, the config file's own check — sees one spelling.
A zone is resolved by its IANA name (any case) or by its city alone when that names one zone;
otherwise the error suggests the nearest names (difflib), so a typo costs one more try.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.text import parse_hhmm, quoted_input, word_list

_AM_PM = re.compile(r"^(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*([ap])\.?m\.?$", re.IGNORECASE)
# The areas of the IANA database proper; `US/Eastern`, `Etc/GMT+1` and the like are aliases.
_AREAS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian")
_AREAS += ("Pacific",)
# Two zones behave alike when their offsets agree in winter and in summer (fixed instants, so
# the answer never depends on today's date).
_PROBES = (datetime(2025, 1, 15, tzinfo=UTC), datetime(2025, 7, 15, tzinfo=UTC))
MAX_SUGGESTIONS = 3
MIN_PREFIX = 3  # `ber` may stand for Berlin; `b` stands for nothing


def parse_time_of_day(text: str) -> str | None:
    """`9am` → `09:00`, `9:30pm` → `21:30`, `12am` → `00:00`, `21:30` → `21:30`; None when
    it is not a time."""
    hhmm = parse_hhmm(text)
    if hhmm is not None:
        return hhmm
    m = _AM_PM.match(text.strip())
    if m is None:
        return None
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
    return f"{hour:02d}:{m.group(2) or '00'}"


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zones `tz` accepts, sorted (not the tz database's posix/ and right/ copies):
    what `resolve_timezone` resolves to and the shell completes."""
    return tuple(
        sorted(
            z for z in available_timezones() if not z.startswith(("posix/", "right/", "localtime"))
        )
    )


@cache
def _names() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """lower-case name → IANA name, and lower-case city → the zones named after it."""
    zones = zone_names()
    cities: dict[str, list[str]] = defaultdict(list)
    for z in zones:
        if "/" in z:
            cities[z.rsplit("/", 1)[1].lower()].append(z)
    return {z.lower(): z for z in zones}, {c: tuple(zs) for c, zs in cities.items()}


def _behaviour(zone: str) -> tuple[object, ...]:
    return tuple(p.astimezone(ZoneInfo(zone)).utcoffset() for p in _PROBES)


def _distinct(zones: list[str]) -> list[str]:
    """One zone per behaviour, IANA areas before aliases (`Europe/Istanbul`, not `Turkey`)."""
    ranked = sorted(dict.fromkeys(zones), key=lambda z: (z.split("/", 1)[0] not in _AREAS, z))
    seen: dict[tuple[object, ...], str] = {}
    for z in ranked:
        seen.setdefault(_behaviour(z), z)
    return list(seen.values())


def _city_candidates(key: str) -> list[str]:
    """The zones `key` may mean by its city: that city's (one per behaviour), else one per
    city whose name starts with it."""
    _, cities = _names()
    city = key.rsplit("/", 1)[-1]
    if city in cities:
        return _distinct(list(cities[city]))
    if len(city) < MIN_PREFIX:
        return []
    return [_distinct(list(zs))[0] for c, zs in sorted(cities.items()) if c.startswith(city)]


def _suggestions(key: str) -> list[str]:
    exact, cities = _names()
    near = difflib.get_close_matches(key, [*exact, *cities], n=MAX_SUGGESTIONS * 2, cutoff=0.6)
    found = [exact[n] if n in exact else _distinct(list(cities[n]))[0] for n in near]
    return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]


def resolve_timezone(text: str) -> str:
    """The IANA name `text` stands for; ValueError with a one-line "did you mean …" when it
    stands for none or for several."""
    key = "_".join(text.strip().split()).lower()
    exact, _ = _names()
    if key in exact:
        return exact[key]
    candidates = _city_candidates(key) if key else []
    if len(candidates) == 1:
        return candidates[0]
    shown = quoted_input(text)
    if candidates:
        few = candidates[:MAX_SUGGESTIONS]
        more = f" (or {len(candidates) - len(few)} more)" if len(candidates) > len(few) else ""
        raise ValueError(f"{shown} could be {word_list(few, 'or')}{more}; say which.")
    near = _suggestions(key)
    hint = f"did you mean {word_list(near, 'or')}?" if near else "e.g. Europe/Berlin or berlin."
    raise ValueError(f"{shown} is not a time zone (an IANA name or its city); {hint}")
