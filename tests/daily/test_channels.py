"""A channel's settings: one `ChannelSettings` built from its row, `update_channel` the one way
it changes, and a row edited by hand into nonsense leaving only that channel unscheduled."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.daily.channels import ChannelSettings, load_channel, update_channel
from bot.daily.scheduler import Scheduler
from bot.model import Place
from storage import channels as channel_store
from tests.support.scheduling import core_at, parents, save_channel, set_clock

KEY = ("memory", "W1", "C1")


async def test_the_row_enable_writes_reads_back_to_the_same_settings(bot: MemoryAdapter) -> None:
    await bot.push(
        "/papers channel enable time 8:30 tz Europe/Berlin days mon-fri min-upvotes 5 max 7 "
        "empty-days note filter  diffusion   OR video",
        is_admin=True,
    )
    row = channel_store.get_channel(bot.core.db, *KEY)
    assert row is not None
    settings = ChannelSettings.from_row(row)
    assert settings == ChannelSettings(
        "memory",
        "W1",
        "C1",
        time="08:30",
        timezone="Europe/Berlin",
        days=("mon", "tue", "wed", "thu", "fri"),
        min_upvotes=5,
        max_papers=7,
        filter="diffusion OR video",
        post_empty=True,
        updated_by=settings.updated_by,
    )
    assert settings.query is not None and settings.query.text == "diffusion OR video"
    assert settings.to_row() == {k: v for k, v in row.items() if k != "updated_at"}
    assert settings.key == KEY and settings.target == "memory:W1:C1"
    assert settings.place == Place("memory", "C1", "W1")


async def test_update_channel_saves_then_tells_the_listeners(core: Core) -> None:
    heard: list[object] = []
    core.channel_listeners.append(heard.append)
    settings = ChannelSettings("memory", "W1", "C9", time="07:00")
    update_channel(core, settings)
    assert heard == [settings] and load_channel(core, settings.key) == settings
    paused = replace(settings, paused_reason="gone")
    update_channel(core, paused)
    assert heard == [settings, paused] and load_channel(core, settings.key) == paused


def store_by_hand(core: Core, cid: str, **columns: object) -> None:
    """A row written around the product (an old version, a hand edit): nothing checks it."""
    good = save_channel(core, cid, timezone="UTC")
    channel_store.save_channel(core.db, {**good.to_row(), **columns})


@pytest.mark.parametrize(
    ("columns", "why"),
    [
        ({"filter": "(diffusion"}, "the filter does not parse (unbalanced parenthesis"),
        ({"timezone": "Mars/Olympus"}, "bad time, zone or days"),
        ({"time": "25:99"}, "bad time, zone or days"),
        ({"days": "someday"}, "bad time, zone or days"),
    ],
)
async def test_a_row_edited_into_nonsense_leaves_only_that_channel_unscheduled(
    columns: dict, why: str, caplog: pytest.LogCaptureFixture
) -> None:
    core, clock = core_at(datetime(2025, 10, 1, 8, 59, tzinfo=UTC))
    save_channel(core, "GOOD", timezone="UTC")
    store_by_hand(core, "BAD", **columns)
    poster = MemoryPoster()
    with caplog.at_level(logging.WARNING, logger="bot.daily.channels"):
        sched = Scheduler(core, {"memory": poster})
    assert sched.job_for(("memory", "W1", "GOOD")) is not None
    assert sched.job_for(("memory", "W1", "BAD")) is None
    assert any("not scheduling memory:W1:BAD" in r.getMessage() for r in caplog.records)
    set_clock(clock, datetime(2025, 10, 1, 9, tzinfo=UTC))
    await sched.run_due(clock.now())
    assert {s.place.channel_id for s in poster.sent} == {"GOOD"} and len(parents(poster)) == 1

    bot = MemoryAdapter(core)
    status = (await bot.push("/papers status")).pop().text
    assert f"Not posting: memory channel BAD — {why}" in status
    assert "Next post: memory channel GOOD" in status
    bot.place = Place("memory", "BAD", "W1")
    here = (await bot.push("/papers channel status")).pop()
    assert not here.is_error and f"Not posting: {why}" in here.text


async def test_enable_over_a_stored_filter_that_does_not_parse(core: Core) -> None:
    """Changing another option keeps the bad filter, so it is refused as a bad query (nothing
    saved); a new filter, or `filter` alone to clear it, mends the channel."""
    store_by_hand(core, "C1", filter='"open')
    bot = MemoryAdapter(core)
    refused = (await bot.push("/papers channel enable time 10:00", is_admin=True)).pop()
    assert refused.is_error and refused.text.startswith("Bad query: unterminated quote")
    assert channel_store.get_channel(core.db, *KEY)["time"] == "09:00"
    mended = (await bot.push("/papers channel enable time 10:00 filter", is_admin=True)).pop()
    assert not mended.is_error and "Filter: (none)" in mended.text
    settings = load_channel(core, KEY)
    assert settings is not None and settings.scheduled and settings.time == "10:00"
