"""Reading a channel back (`GET /channels/{id}/messages`) spends the bot's global request
budget (50/s, https://discord.com/developers/docs/topics/rate-limits#global-rate-limit), so the
poster reads only for a key an earlier try may have sent: a fresh thread reads nothing, and a
reply stored by a process killed before it could record it is read back, not sent twice."""

from __future__ import annotations

from typing import Any

import pytest

from bot.commands.dispatch import handle
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import deliver_thread
from bot.model import Command, Place, Reply
from storage import channels as channel_store
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot

DAY = "2025-10-01"


def reads(fake: FakeDiscord) -> list[str]:
    return [c.path for c in fake.calls if c.method == "GET" and c.path.endswith("/messages")]


async def enable(core: Core, fake: FakeDiscord) -> ChannelSettings:
    place = Place("discord", fake.text_channel_id, fake.guild_id)
    cmd = Command("channel", "enable max 4", fake.owner["id"], "owner", True, place)
    (reply,) = await handle(core, cmd)
    assert "enabled" in reply.text, reply.text
    row = channel_store.get_channel(core.db, "discord", fake.guild_id, fake.text_channel_id)
    assert row is not None
    return ChannelSettings.from_row(row)


class KilledAfterSecondReply:
    """The poster of a process killed right after its second reply was stored, unrecorded."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.platform, self.replies = inner, inner.platform, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        mid = await self.inner.reply_in_thread(thread, reply, key=key, attempted=attempted)
        self.replies += 1
        if self.replies == 2:
            raise SystemExit("killed")
        return mid


async def test_a_fresh_thread_reads_nothing_and_a_resumed_one_reads_once(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await enable(core, fake)
    async with running_bot(fake, core, monkeypatch) as bot:
        with pytest.raises(SystemExit):
            await deliver_thread(core, KilledAfterSecondReply(bot.poster), channel, DAY)
    assert reads(fake) == []  # parent, thread and two replies, none looked for first
    async with running_bot(fake, core, monkeypatch) as bot:  # restarted
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "sent" and result.sent == 3  # the killed reply (found) and two more
    (parent,) = fake.posted_in(fake.text_channel_id)
    replies = fake.posted_in(parent.message_id)
    assert len(replies) == 4 and len({r.body["nonce"] for r in replies}) == 4
    assert reads(fake) == [f"/api/v10/channels/{parent.message_id}/messages"]  # once
