"""End to end: the real discord.py client, configured only with the fake's base URL, logs in,
syncs `/papers`, connects to the fake gateway and answers interactions through the core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core import Core
from storage import channels as channel_store
from storage import users as user_store
from tests.fakes.discord import ADMIN_PERMS, MEMBER_PERMS, FakeDiscord, RateLimits
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import mention_safety_problems, message_problems

DEFER, MESSAGE = 5, 4
ADMINISTRATOR = 1 << 3


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(limits=RateLimits(per_route=1000), heartbeat_interval_ms=100) as f:
        yield f  # type: ignore[misc]


def _hook_bodies(fake: FakeDiscord, token: str) -> list[dict]:
    path = f"/api/v10/webhooks/{fake.application_id}/{token}"
    return [c.json() for c in fake.calls if c.path == path and c.method == "POST"]


async def test_search_defers_then_follows_up_with_embeds(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        await fake.until(lambda: fake.hub.heartbeats >= 2)  # heartbeats are sent and ACKed
        fi = fake.send_command(["papers", "search"], {"query": "diffusion"})
        await fake.until(lambda: bool(fi.messages))
    (session_frame,) = [f for f in fake.hub.received if f["op"] == 2]
    assert session_frame["d"]["token"] == fake.token
    assert session_frame["d"]["intents"] & 1  # GUILDS
    assert fi.acked == DEFER and not fi.late  # acknowledged within Discord's 3 seconds
    bodies = _hook_bodies(fake, fi.token)
    assert "diffusion" in bodies[0]["content"] and bodies[0]["embeds"]
    embeds = [e for b in bodies for e in b.get("embeds", [])]
    assert all(e["url"].startswith("https://huggingface.co/papers/") for e in embeds if "url" in e)
    texts = [(e.get("title", "") + e.get("description", "")).lower() for e in embeds]
    assert any("diffusion" in t for t in texts)
    for body in bodies:
        assert message_problems(body) == [] and mention_safety_problems(body) == []
    await fake.until(lambda: len(fi.messages) == len(bodies))
    assert all(ephemeral for _, ephemeral in fi.messages)  # the core marked it personal


async def test_commands_are_synced_to_the_guild_with_every_subcommand(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch):
        pass
    papers, menu = fake.commands[fake.guild_id]
    assert (menu["name"], menu["type"]) == ("Paper card", 3)  # the message command
    subs = {o["name"]: o for o in papers["options"]}
    assert set(subs) == {
        "today", "top", "search", "show", "status", "help", "subscribe", "unsubscribe",
        "topics", "alerts", "save", "unsave", "library", "bibtex", "forget-me", "channel",
        "recommend", "similar",
    }  # fmt: skip
    assert {o["name"] for o in subs["channel"]["options"]} == {
        "enable", "disable", "status", "preview", "test"
    }  # fmt: skip
    assert subs["show"]["options"][0]["autocomplete"] is True
    alert_modes = [c["value"] for c in subs["alerts"]["options"][0]["choices"]]
    assert alert_modes == ["dm", "thread", "off", "preview"]
    assert not fake.rejected


async def test_global_sync_when_no_guild_ids(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch, guild=False):
        pass
    assert [c["name"] for c in fake.commands["global"]] == ["papers", "Paper card"]
    assert fake.guild_id not in fake.commands


@pytest.mark.parametrize(
    ("permissions", "allowed"),
    [(MEMBER_PERMS, False), (ADMIN_PERMS, True), (MEMBER_PERMS | ADMINISTRATOR, True)],
)
async def test_channel_enable_needs_manage_channels(
    fake: FakeDiscord,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    permissions: int,
    allowed: bool,
) -> None:
    user = fake.add_user("someone")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(
            ["papers", "channel", "enable"],
            {"time": "08:30", "max": 5},
            user_id=user,
            permissions=permissions,
        )
        await fake.until(lambda: bool(fi.messages))
    msg, ephemeral = fi.messages[0]
    assert ephemeral is True
    row = channel_store.get_channel(core.db, "discord", fake.guild_id, fake.text_channel_id)
    if allowed:
        assert row is not None and row["time"] == "08:30" and row["max_papers"] == 5
        assert "enabled" in msg["content"]
    else:
        assert row is None and fi.acked == MESSAGE
        assert "Manage Channels" in msg["content"]


async def test_autocomplete_offers_recent_papers_and_own_topics(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = fake.add_user("reader")
    user_store.add_topic(core.db, user_store.UserKey("discord", fake.guild_id, reader), "diffusion")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        papers = fake.send_command(["papers", "show"], {"paper": "2509"}, focused="paper")
        topics = fake.send_command(
            ["papers", "unsubscribe"], {"topic": ""}, focused="topic", user_id=reader
        )
        zones = fake.send_command(
            ["papers", "channel", "enable"], {"tz": "berl"}, focused="tz", permissions=ADMIN_PERMS
        )
        done = (papers, topics, zones)
        await fake.until(lambda: all(x.choices is not None for x in done))
    assert papers.choices and all(c["value"].startswith("2509") for c in papers.choices)
    assert all(len(c["name"]) <= 100 for c in papers.choices)
    assert [c["value"] for c in topics.choices] == ["1", "all"]
    assert [c["value"] for c in zones.choices] == ["Europe/Berlin"]


async def test_fast_command_answers_directly_and_ephemerally(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(["papers", "help"])
        await fake.until(lambda: bool(fi.messages))
    assert fi.acked == MESSAGE and fi.ephemeral
    assert "/papers" in fi.messages[0][0]["content"]


async def test_bad_or_missing_token_fails_with_one_clear_error(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    import discord

    from adapters.discord.client import MissingToken, run_discord
    from tests.fakes.discord.harness import TOKEN_ENV, discord_config

    config = discord_config(fake, core.config)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with pytest.raises(MissingToken, match=TOKEN_ENV):
        await run_discord(core, config)
    monkeypatch.setenv(TOKEN_ENV, "not-the-token")
    with pytest.raises(discord.LoginFailure):
        await run_discord(core, config)
    assert not fake.hub.sessions
