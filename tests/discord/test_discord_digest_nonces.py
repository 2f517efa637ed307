"""`paperbot digest --format discord` prints what the Discord poster sends (SPEC §10): for the
same day and channel, every message body the digest's `digest_api_calls` gives — its nonce
included — is the body the delivery engine's poster sent, in order."""

from __future__ import annotations

import pytest

from adapters.discord.render import digest_api_calls
from bot.core import Core
from bot.daily.delivery import deliver_thread
from bot.daily.thread import build_digest
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.support.scheduling import save_channel

DAY = "2025-10-01"


async def test_the_digest_prints_the_nonces_and_bodies_the_poster_sends(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = fake.text_channel_id
    channel = save_channel(
        core, cid, platform="discord", workspace_id=fake.guild_id, timezone="UTC", max_papers=4
    )
    async with running_bot(fake, core, monkeypatch) as bot:
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "sent" and result.sent == 5

    digest = await build_digest(core, DAY, channel)
    assert digest is not None
    calls = digest_api_calls(digest, cid)
    (parent,) = fake.posted_in(cid)
    in_thread = fake.posted_in(parent.message_id)
    messages = [c for c in calls if c["api"].endswith("/messages")]
    assert [c["body"] for c in messages] == [p.body for p in [parent, *in_thread]]
    nonces = [c["body"]["nonce"] for c in messages]
    assert len(set(nonces)) == len(nonces) == 5
    assert all(c["body"]["enforce_nonce"] is True for c in messages)
