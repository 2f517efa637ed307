"""The "More like this" button end to end on Discord: a card the poster sends carries it, and
a member's click (a real MESSAGE_COMPONENT interaction over the gateway) is deferred in time and
answered ephemerally with papers like that one."""

from __future__ import annotations

import pytest

from bot.cards import card_for
from bot.core import Core
from bot.model import Place, Reply, paper_from_row
from storage import papers as paper_store
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import message_problems

BRORL = "2510.01180"
DEFER = 5


async def test_a_card_click_answers_the_member_alone_with_similar_papers(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = await card_for(core, paper_from_row(paper_store.get_paper_row(core.db, BRORL)))
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        place = Place("discord", fake.text_channel_id, fake.guild_id)
        await bot.poster.post(place, Reply(text="", cards=(card,)), key="t:card")
        [posted] = fake.posted_in(fake.text_channel_id)
        rows = posted.body["components"]
        [button] = [b for r in rows for b in r["components"] if b["label"] == "More like this"]
        assert button["style"] == 2
        assert button["custom_id"] == f"paperbot:similar:{BRORL}"
        [message] = fake.messages[fake.text_channel_id]
        fi = fake.press_button({**message, "components": rows}, button["custom_id"])
        await fake.until(lambda: bool(fi.messages))
    assert fi.acked == DEFER and not fi.late and fi.ephemeral
    [(answer, ephemeral)] = fi.messages
    assert ephemeral and not message_problems(answer)
    assert "BroRL" in answer["content"] and answer["embeds"]
    shown = [e.get("url", "") for e in answer["embeds"]]
    assert not any(u.endswith(BRORL) for u in shown)  # papers like it, not itself
