"""Channel settings that forgive (issue #12, item 6), from the admin's side: a zone by its city,
a time as people write it, `channel` alone, an empty filter, weekend days, one usage line."""

from __future__ import annotations

import re

import pytest

from adapters.memory import MemoryAdapter
from bot.commands.dispatch import registry
from tests.support.chat import one


def _row(bot: MemoryAdapter) -> dict:
    return bot.core.db["channels"].get(("memory", "W1", "C1"))


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("berlin", "Europe/Berlin"),
        ("BERLIN", "Europe/Berlin"),
        ("america/new_york", "America/New_York"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("europe/berlin", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("ho chi minh", "Asia/Ho_Chi_Minh"),
    ],
)
async def test_a_zone_resolves_by_its_name_or_its_city_in_any_case(
    bot: MemoryAdapter, typed: str, zone: str
) -> None:
    r = await one(bot, f"/papers channel enable tz {typed} max 5", is_admin=True)
    assert not r.is_error, r.text
    assert (_row(bot)["timezone"], _row(bot)["max_papers"]) == (zone, 5)
    assert f"Time: 09:00 {zone}" in r.text


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("berln", ["Europe/Berlin"]),  # a typo: the nearest names
        ("west", ["Australia/West", "Brazil/West"]),  # a city two zones share
        ("ber", ["Europe/Berlin", "Atlantic/Bermuda"]),  # the start of two cities
    ],
)
async def test_an_unknown_or_ambiguous_zone_suggests_and_changes_nothing(
    bot: MemoryAdapter, typed: str, suggested: list[str]
) -> None:
    await bot.push("/papers channel enable tz Asia/Tokyo", is_admin=True)
    r = await one(bot, f"/papers channel enable tz {typed}", is_admin=True)
    assert r.is_error
    for zone in suggested:
        assert zone in r.text
    assert "did you mean" in r.text or "could be" in r.text
    assert _row(bot)["timezone"] == "Asia/Tokyo"  # nothing lost


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("9am", "09:00"),
        ("9:30pm", "21:30"),
        ("9:30 pm", "21:30"),
        ("21:30", "21:30"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("7:05", "07:05"),
    ],
)
async def test_a_time_is_accepted_as_people_write_it(
    bot: MemoryAdapter, typed: str, stored: str
) -> None:
    r = await one(bot, f"/papers channel enable time {typed} tz berlin", is_admin=True)
    assert not r.is_error, r.text
    assert (_row(bot)["time"], _row(bot)["timezone"]) == (stored, "Europe/Berlin")


@pytest.mark.parametrize("args", ["time 13pm", "time 25:00", "tz mars/base", "max 0", "colour red"])
async def test_an_error_shows_one_usage_line_for_the_action(bot: MemoryAdapter, args: str) -> None:
    r = await one(bot, f"/papers channel enable {args}", is_admin=True)
    assert r.is_error
    usage = [line for line in r.text.splitlines() if line.startswith("Usage:")]
    assert len(usage) == 1 and len(r.text.splitlines()) == 2, r.text
    assert usage[0].startswith("Usage: /papers channel enable [time")
    assert "disable" not in usage[0]  # only the action that was asked about


async def test_an_unknown_action_shows_the_actions_in_one_line(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers channel frobnicate", is_admin=True)
    assert r.is_error and r.text.splitlines()[-1] == (
        "Usage: /papers channel enable|disable|status|preview|test"
    )


async def test_channel_alone_lists_every_action_with_what_it_does(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers channel")
    assert not r.is_error and r.private
    actions = registry()["channel"].actions
    for action in actions:
        assert re.search(rf"^\s*{action.name} — {re.escape(action.summary)}$", r.text, re.M)
    assert {a.name for a in actions} == {"enable", "disable", "status", "preview", "test"}


async def test_an_empty_filter_says_it_clears_the_filter(bot: MemoryAdapter) -> None:
    await bot.push("/papers channel enable filter diffusion", is_admin=True)
    assert _row(bot)["filter"] == "diffusion"
    r = await one(bot, "/papers channel enable filter", is_admin=True)
    assert not r.is_error and _row(bot)["filter"] is None
    assert "Filter cleared" in r.text and "Filter: (none)" in r.text
    r = await one(bot, "/papers channel enable max 4", is_admin=True)
    assert "Filter cleared" not in r.text  # only when the filter was set empty


async def test_weekend_days_note_that_hugging_face_has_no_weekend_lists(
    bot: MemoryAdapter,
) -> None:
    r = await one(bot, "/papers channel enable days sat,sun", is_admin=True)
    assert not r.is_error and _row(bot)["days"] == "sat,sun"
    assert "no daily list on weekends" in r.text and "sat/sun" in r.text
    r = await one(bot, "/papers channel enable days mon-fri", is_admin=True)
    assert "weekends" not in r.text
