"""`alerts recommend on|off`: the "Recommended for you" section of the daily alert DM, from the
user's side (memory adapter), on the fixture days (2025-09-30 … 2025-10-02)."""

from __future__ import annotations

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.daily.alerts import deliver_dm_alerts
from tests.support.chat import one

DAY = "2025-10-02"  # the latest stored day at the fixture clock
RL = ("2509.25454", "2509.25849", "2510.01180")  # DeepSearch, Knapsack RL, BroRL: RL for LLMs


async def _saved_titles(bot: MemoryAdapter) -> set[str]:
    return {(await one(bot, f"/papers show {pid}")).cards[0].title for pid in RL}


async def _dms(core: Core) -> list:
    poster = MemoryPoster()
    await deliver_dm_alerts(core, {"memory": poster}, DAY)
    return [s for s in poster.sent if s.kind == "dm"]


async def _library_and_topic(bot: MemoryAdapter, topic: str = "video generation") -> None:
    for pid in RL:
        await bot.push(f"/papers save {pid}")
    await bot.push(f"/papers subscribe {topic}")
    await bot.push("/papers alerts dm")


async def test_off_by_default(core: Core, bot: MemoryAdapter) -> None:
    await _library_and_topic(bot)
    [dm] = await _dms(core)
    assert dm.reply.cards and not any(c.like for c in dm.reply.cards)
    assert "Recommended for you" not in dm.reply.text
    assert "Recommended papers in the DM: off" in (await one(bot, "/papers alerts")).text


async def test_on_the_dm_ends_with_recommendations_each_saying_why(
    core: Core, bot: MemoryAdapter
) -> None:
    await _library_and_topic(bot)
    on = await one(bot, "/papers alerts recommend on")
    assert not on.is_error and "recommended for you" in on.text
    [dm] = await _dms(core)
    cards = dm.reply.cards
    liked = [c for c in cards if c.like]
    matched = [c for c in cards if not c.like]
    assert matched and len(liked) == 3 and cards[-3:] == tuple(liked)  # the section comes last
    assert {c.like for c in liked} <= await _saved_titles(bot)
    assert not {c.paper_id for c in liked} & (set(RL) | {c.paper_id for c in matched})
    assert [c.rank for c in cards] == list(range(1, len(cards) + 1))
    assert "Your paper alerts for" in dm.reply.text and "Recommended for you" in dm.reply.text
    assert "Recommended papers in the DM: on" in (await one(bot, "/papers alerts")).text


async def test_preview_shows_the_section_exactly_as_the_dm(core: Core, bot: MemoryAdapter) -> None:
    await _library_and_topic(bot)
    await bot.push("/papers alerts recommend on")
    preview = await one(bot, "/papers alerts preview")
    [dm] = await _dms(core)
    assert preview.cards == dm.reply.cards and any(c.like for c in preview.cards)
    assert dm.reply.text in preview.text


async def test_no_topic_match_still_gets_the_section_alone_once_a_day(
    core: Core, bot: MemoryAdapter
) -> None:
    await _library_and_topic(bot, topic="zzyzx")  # matches nothing
    await bot.push("/papers alerts recommend on")
    poster = MemoryPoster()
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 1
    [dm] = poster.sent
    assert len(dm.reply.cards) == 3 and all(c.like for c in dm.reply.cards)
    assert dm.reply.text.startswith("Recommended for you") and "matched" in dm.reply.text
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 0  # the ledger's DM item
    assert len(poster.sent) == 1
    preview = await one(bot, "/papers alerts preview")
    assert preview.cards == dm.reply.cards


async def test_a_user_with_no_topics_at_all_gets_the_section(
    core: Core, bot: MemoryAdapter
) -> None:
    for pid in RL:
        await bot.push(f"/papers save {pid}")
    await bot.push("/papers alerts dm")
    await bot.push("/papers alerts recommend on")
    [dm] = await _dms(core)
    assert len(dm.reply.cards) == 3 and all(c.like for c in dm.reply.cards)


async def test_nothing_liked_and_nothing_matched_sends_no_dm(
    core: Core, bot: MemoryAdapter
) -> None:
    await bot.push("/papers subscribe zzyzx")
    await bot.push("/papers alerts dm")
    on = await one(bot, "/papers alerts recommend on")
    assert "/papers save" in on.text  # told how to give it a start
    assert await _dms(core) == []
    preview = await one(bot, "/papers alerts preview")
    assert not preview.cards and "no DM for that day" in preview.text


async def test_the_section_needs_dm_alerts_and_says_so(core: Core, bot: MemoryAdapter) -> None:
    for pid in RL:
        await bot.push(f"/papers save {pid}")
    on = await one(bot, "/papers alerts recommend on")
    assert "/papers alerts dm" in on.text  # alerts are off: nothing would arrive
    assert await _dms(core) == []
    await bot.push("/papers alerts dm")  # the choice survives choosing a mode
    assert len(await _dms(core)) == 1


async def test_off_again_and_bad_input(core: Core, bot: MemoryAdapter) -> None:
    await _library_and_topic(bot)
    await bot.push("/papers alerts recommend on")
    off = await one(bot, "/papers alerts recommend off")
    assert not off.is_error and "no longer" in off.text
    [dm] = await _dms(core)
    assert not any(c.like for c in dm.reply.cards)
    bad = await one(bot, "/papers alerts recommend maybe")
    assert bad.is_error and bad.text.startswith("'maybe' is not on or off.")
    bare = await one(bot, "/papers alerts recommend")
    assert bare.is_error and "on or off" in bare.text
