"""Numbers a user types (issue #12, item 11): only ASCII digits count, every numeric option has
a range said in its usage and in its error line, and nothing out of range reaches SQLite."""

from __future__ import annotations

import pytest

from adapters.memory import MemoryAdapter
from bot.commands.dispatch import registry
from bot.commands.spec import APOLOGY
from tests.support.chat import one

HUGE = "99999999999999999999"  # past SQLite's 64-bit integers
ENORMOUS = "9" * 5000  # past Python's int-from-text limit (4300 digits)
NOT_ASCII = ["²", "٣", "３", "1²"]


async def _refused(bot: MemoryAdapter, text: str, range_words: str, **kw: object) -> None:
    r = await one(bot, text, **kw)
    assert r.is_error and r.text != APOLOGY, (text, r.text)
    assert range_words in r.text, (text, r.text)
    assert len(r.text) < 400, text  # one line plus the usage, not the enormous number back


@pytest.mark.parametrize("value", [*NOT_ASCII, HUGE, ENORMOUS, "0", "26", "-3"])
async def test_limits_of_today_and_top(bot: MemoryAdapter, value: str) -> None:
    await _refused(bot, f"/papers today {value}", "from 1 to 25")
    await _refused(bot, f"/papers top week {value}", "from 1 to 25")
    await _refused(bot, f"/papers top {value}", "from 1 to 25")


async def test_limits_at_the_edges_are_accepted(bot: MemoryAdapter) -> None:
    assert len((await one(bot, "/papers today 1")).cards) == 1
    assert not (await one(bot, "/papers top month 25")).is_error


@pytest.mark.parametrize("value", [*NOT_ASCII, HUGE, ENORMOUS, "0"])
async def test_topic_numbers(bot: MemoryAdapter, value: str) -> None:
    await bot.push("/papers subscribe diffusion")
    await bot.push("/papers subscribe video")
    await _refused(bot, f"/papers unsubscribe {value}", "(1–2)")
    assert bot.core.db["topics"].count == 2


@pytest.mark.parametrize(
    ("option", "value", "range_words"),
    [
        *(("min-upvotes", v, "from 0 to 100000") for v in [*NOT_ASCII, HUGE, ENORMOUS, "100001"]),
        *(("max", v, "from 1 to 50") for v in [*NOT_ASCII, HUGE, ENORMOUS, "0", "51"]),
    ],
)
async def test_channel_numbers(bot: MemoryAdapter, option: str, value: str, range_words: str):
    await _refused(bot, f"/papers channel enable {option} {value}", range_words, is_admin=True)
    assert bot.core.db["channels"].count == 0


async def test_channel_numbers_at_the_edges_are_accepted(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers channel enable min-upvotes 100000 max 50", is_admin=True)
    assert not r.is_error and "Min upvotes: 100000 · Max papers: 50" in r.text


@pytest.mark.parametrize("value", [*NOT_ASCII, HUGE, "9" * 150])  # a query has 200 characters
async def test_upvotes_in_a_query(bot: MemoryAdapter, value: str) -> None:
    await _refused(bot, f"/papers search upvotes>={value}", "from 0 to 999999999")
    await _refused(bot, f"/papers subscribe diffusion upvotes>{value}", "from 0 to 999999999")
    r = await one(bot, "/papers search diffusion upvotes>=999999999")
    assert r.text != APOLOGY


def test_every_numeric_option_says_its_range_in_its_usage() -> None:
    specs = registry()
    assert "[limit 1-25]" in specs["today"].usage and "[limit 1-25]" in specs["top"].usage
    assert "[min-upvotes 0-100000]" in specs["channel"].usage
    assert "[max 1-50]" in specs["channel"].usage
