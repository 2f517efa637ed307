"""The roundup through the real DiscordPoster against the fake: one message carrying the
chart as a multipart attachment (payload_json + files[0], alt text as its description, the
embed showing attachment://…, the fake checks the PNG signature), its thread of top papers;
a second run sends nothing again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.daily.periods import parse_period
from bot.daily.roundup import deliver_roundup
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.edits import PNG_SIGNATURE
from tests.fakes.discord.harness import running_bot
from tests.support.scheduling import core_at, save_channel


async def test_the_roundup_posts_its_chart_as_an_attachment(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    core, _ = core_at(datetime(2025, 10, 3, 16, 0, tzinfo=UTC))
    kw = {"platform": "discord", "workspace_id": fake.guild_id, "timezone": "UTC"}
    channel = save_channel(core, fake.text_channel_id, max_papers=3, **kw)
    week = parse_period("2025-W40", date(2025, 10, 3))
    assert week is not None
    async with running_bot(fake, core, monkeypatch) as bot:
        assert await deliver_roundup(core, bot.poster, channel, week) == "sent"
    async with running_bot(fake, core, monkeypatch) as bot:  # a restart: nothing twice
        assert await deliver_roundup(core, bot.poster, channel, week) == "sent"
    (parent,) = fake.posted_in(fake.text_channel_id)
    (file,) = fake.files
    assert file["data"].startswith(PNG_SIGNATURE) and file["message_id"] == parent.message_id
    assert file["alt"].startswith("Chart of 2025-W40")
    stored = next(m for m in fake.messages[fake.text_channel_id] if m["id"] == parent.message_id)
    assert stored["attachments"][0]["filename"] == "roundup-2025-W40.png"
    assert "Weekly roundup" in parent.body["content"]
    assert len(fake.posted_in(parent.message_id)) == 3
    assert not fake.rejected and not fake.take_schema_violations()
