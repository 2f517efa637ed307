"""The core's delivery engine posting a real day's thread to Discord through the adapter's
poster (real discord.py, fake Discord): a whole thread once, a resumed run sends nothing
twice, and a missing permission pauses the channel with a reason admins can read."""

from __future__ import annotations

import pytest

from bot.commands.dispatch import handle
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import deliver_thread
from bot.model import Command, Place
from storage import channels as channel_store
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import mention_safety_problems, message_problems

DAY = "2025-10-01"


async def _enable(
    core: Core, fake: FakeDiscord, channel_id: str, args: str = "max 4"
) -> ChannelSettings:
    place = Place("discord", channel_id, fake.guild_id)
    cmd = Command("channel", f"enable {args}", fake.owner["id"], "owner", True, place)
    (reply,) = await handle(core, cmd)
    assert "enabled" in reply.text, reply.text
    row = channel_store.get_channel(core.db, "discord", fake.guild_id, channel_id)
    assert row is not None
    return ChannelSettings.from_row(row)


async def test_daily_thread_is_delivered_once(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        first = await deliver_thread(core, bot.poster, channel, DAY)
        again = await deliver_thread(core, bot.poster, channel, DAY)
    assert first.status == "sent" and first.sent == 5  # parent + 4 papers
    assert again.sent == 0
    (parent,) = fake.posted_in(fake.text_channel_id)
    assert parent.body["content"].startswith("**Daily Papers — Wed 1 Oct 2025")
    replies = fake.posted_in(parent.message_id)  # the thread started from the parent
    assert len(replies) == 4
    footers = [r.body["embeds"][0]["footer"]["text"] for r in replies]  # "▲ 55 · …"
    ups = [int(f.split(" · ")[0].removeprefix("▲ ")) for f in footers]
    assert ups == sorted(ups, reverse=True)  # best first, in order
    for r in [parent, *replies]:
        assert not message_problems(r.body) and not mention_safety_problems(r.body)
        assert r.body["enforce_nonce"] is True


async def test_forum_channel_gets_a_post(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.forum_channel_id, "max 3")
    async with running_bot(fake, core, monkeypatch) as bot:
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "sent"
    (post,) = fake.posted_in(fake.forum_channel_id)
    assert post.api == "POST /channels/{id}/threads"
    assert post.body["name"] == "Daily Papers — Wed 1 Oct"  # as `digest` prints it
    assert len(fake.posted_in(post.message_id)) == 3


async def test_missing_permission_pauses_the_channel_with_a_reason(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id)
    fake.deny(fake.text_channel_id, "CREATE_PUBLIC_THREADS")
    async with running_bot(fake, core, monkeypatch) as bot:
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "paused" and "missing permission" in (result.reason or "")
    row = channel_store.get_channel(core.db, "discord", fake.guild_id, fake.text_channel_id)
    assert row is not None and "Create Public Threads" in row["paused_reason"]
    threads = fake.calls_to(f"/api/v10/channels/{fake.text_channel_id}/messages/")
    assert len(threads) == 1  # refused once, not retried
