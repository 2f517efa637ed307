"""The Save button on a card, end to end on Discord: the real poster sends a card with its
buttons, the bot restarts, and a press on the posted message (a MESSAGE_COMPONENT
interaction, as Discord sends it) stores the library row and answers the presser alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.cards import card_for
from bot.core import Core
from bot.model import Place, Reply, paper_from_row
from storage import papers as paper_store
from storage import users as user_store
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import message_problems

MESSAGE = 4  # CHANNEL_MESSAGE_WITH_SOURCE


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(limits=RateLimits(per_route=1000), heartbeat_interval_ms=100) as f:
        yield f  # type: ignore[misc]


async def _card_reply(core: Core) -> tuple[Reply, str]:
    day = core.latest_day()
    assert day is not None
    paper = paper_from_row(paper_store.day_rows(core.db, day)[0])
    card = await card_for(core, paper, rank=1, offline=True)
    return Reply(text="", cards=(card,)), paper.id


async def test_save_press_after_a_restart_saves_and_answers_only_the_presser(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply, paper_id = await _card_reply(core)
    place = Place("discord", fake.text_channel_id, fake.guild_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.poster.post(place, reply, key=f"2025-10-01:{paper_id}@{place.channel_id}")
    [message] = fake.messages[fake.text_channel_id]
    assert not message_problems(message)
    [row] = message["components"]
    assert [b["label"] for b in row["components"]][-2:] == ["Save", "More like this"]

    async with running_bot(fake, core, monkeypatch) as bot:  # a new process
        await bot.connected()
        first = fake.press_button(message, f"paperbot:save:{paper_id}")
        await fake.until(lambda: bool(first.messages))
        second = fake.press_button(message, f"paperbot:save:{paper_id}")
        await fake.until(lambda: bool(second.messages))
    user = user_store.UserKey("discord", fake.guild_id, fake.owner["id"])
    assert [r["id"] for r in user_store.library_rows(core.db, user)] == [paper_id]
    assert first.acked == MESSAGE and first.ephemeral and not first.late
    [(answer, ephemeral)] = first.messages
    assert ephemeral and answer["content"].startswith(f"Saved {paper_id}")
    [(again, ephemeral)] = second.messages
    assert ephemeral and "already saved" in again["content"]
    assert fake.messages[fake.text_channel_id] == [message]  # nothing said in the channel
