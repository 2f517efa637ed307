"""Periods: Hugging Face's ISO weeks and calendar months, days and trailing windows."""

from __future__ import annotations

from datetime import date

import pytest

from bot.daily.periods import looks_like_period, month_of, parse_period, week_of

THU = date(2025, 10, 2)


def test_week_is_the_iso_week_monday_to_sunday() -> None:
    w = parse_period("week", THU)
    assert w is not None and w.name == "2025-W40"
    assert (w.start, w.end) == (date(2025, 9, 29), date(2025, 10, 5))
    assert w.previous().name == "2025-W39" and len(w.days) == 7


def test_iso_week_across_the_new_year() -> None:
    w = week_of(date(2026, 1, 1))  # a Thursday: week 1 of 2026 starts Mon 29 Dec 2025
    assert w.name == "2026-W01" and w.start == date(2025, 12, 29)
    assert parse_period("2020-W53", THU) is not None  # 2020 had 53 ISO weeks
    assert parse_period("2025-W53", THU) is None  # 2025 has 52


def test_month_is_the_calendar_month() -> None:
    m = parse_period("month", THU)
    assert m is not None and m.name == "2025-10" and m.start == date(2025, 10, 1)
    assert m.end == date(2025, 10, 31) and m.previous().name == "2025-09"
    assert month_of(date(2024, 2, 10)).end == date(2024, 2, 29)
    assert parse_period("2025-13", THU) is None


def test_named_and_trailing_periods() -> None:
    assert parse_period("2025-w40", THU) == week_of(THU)
    s = parse_period("2025-09", THU)
    assert s is not None and (s.start, s.end) == (date(2025, 9, 1), date(2025, 9, 30))
    t = parse_period("7d", THU)
    assert t is not None and (t.start, t.end) == (date(2025, 9, 26), THU)
    assert t.previous().end == date(2025, 9, 25)
    assert parse_period("0d", THU) is None and parse_period("fortnight", THU) is None


@pytest.mark.parametrize("word", ["week", "MONTH", "30d", "2025-W40", "2025-09", "day"])
def test_looks_like_period(word: str) -> None:
    assert looks_like_period(word)
    assert not looks_like_period("5")
