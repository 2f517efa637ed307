"""`/papers channel test` end to end on Discord (issue #12, item 7): the real discord.py client
answers the interaction in its handler and posts the thread through the client's own
`DiscordPoster` (the scheduler's) to the loopback fake."""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.daily.channels import load_channel
from bot.daily.delivery import day_already_posted
from tests.fakes.discord import ADMIN_PERMS, FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import mention_safety_problems, message_problems

DAY = "2025-10-02"  # the latest stored day at the fixture clock


async def test_an_admin_posts_a_marked_test_thread_once(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        enable = fake.send_command(
            ["papers", "channel", "enable"], {"max": 3}, permissions=ADMIN_PERMS
        )
        await fake.until(lambda: bool(enable.messages))
        first = fake.send_command(["papers", "channel", "test"], permissions=ADMIN_PERMS)
        await fake.until(lambda: bool(first.messages))
        again = fake.send_command(["papers", "channel", "test"], permissions=ADMIN_PERMS)
        await fake.until(lambda: bool(again.messages))
    said, ephemeral = first.messages[0]
    assert ephemeral and "Posted a test thread" in said["content"]
    (parent,) = _channel_posts(fake)  # one parent: the second test was refused
    assert parent.body["content"].startswith(r"**\[test\] Daily Papers — Thu 2 Oct 2025")
    replies = fake.posted_in(parent.message_id)  # the thread started from the parent
    assert len(replies) == 3
    for r in [parent, *replies]:
        assert not message_problems(r.body) and not mention_safety_problems(r.body)
    refused, ephemeral = again.messages[0]
    assert ephemeral and "one test per channel every 10 minutes" in refused["content"]
    settings = load_channel(core, ("discord", fake.guild_id, fake.text_channel_id))
    assert settings is not None and not day_already_posted(core, settings, DAY)


async def test_a_member_without_manage_channels_cannot_post_a_test(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = fake.add_user("someone")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(["papers", "channel", "test"], user_id=user)
        await fake.until(lambda: bool(fi.messages))
    msg, ephemeral = fi.messages[0]
    assert ephemeral and "Manage Channels" in msg["content"]
    assert _channel_posts(fake) == []


def _channel_posts(fake: FakeDiscord) -> list:
    """What the bot posted in the channel itself (its interaction answers are webhooks)."""
    posted = fake.posted_in(fake.text_channel_id)
    return [p for p in posted if p.api.startswith("POST /channels/")]
