"""`/papers` on Discord: one command tree with the core's registry, a command sync that never
stops start-up, where the commands may run, and answering within Discord's deadlines."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from discord import app_commands

from adapters.discord.commands import about, build_papers_group
from bot.commands.dispatch import registry
from bot.core import Core
from storage import channels as channel_store
from tests.fakes.discord import ADMIN_PERMS, FakeDiscord, RateLimits
from tests.fakes.discord.commands import COMMAND_CHARS_MAX, command_chars
from tests.fakes.discord.harness import running_bot

MESSAGE = 4


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(limits=RateLimits(per_route=1000), heartbeat_interval_ms=100) as f:
        yield f  # type: ignore[misc]


# --- #8.7 one command tree -----------------------------------------------------------------
def _params(cmd: app_commands.Command) -> list[tuple[str, bool]]:
    return [(p.name.replace("_", "-"), p.required) for p in cmd.parameters]


def test_the_discord_tree_is_the_core_registry_both_ways(core: Core) -> None:
    group = build_papers_group(core)
    tree = {c.name: c for c in group.commands}
    specs = registry()
    assert set(tree) == set(specs)
    for name, spec in specs.items():
        cmd = tree[name]
        assert cmd.description == about(name)
        if spec.actions:
            assert isinstance(cmd, app_commands.Group)
            actions = {a.name: a for a in spec.actions}
            subs = {c.name: c for c in cmd.commands}
            assert set(subs) == set(actions)
            for action, sub in subs.items():
                assert sub.description == about(name, action)
                expected = [(a.name, a.required) for a in actions[action].args]
                assert _params(sub) == expected, (name, action)
        else:
            assert isinstance(cmd, app_commands.Command)
            assert _params(cmd) == [(a.name, a.required) for a in spec.args], name


def test_slow_commands_and_refusals_come_from_the_core() -> None:
    slow = {n for n, s in registry().items() if s.is_slow("")}
    assert slow == {"today", "top", "search", "show", "save", "bibtex", "recommend", "similar"}
    assert registry()["channel"].is_slow("preview") and not registry()["channel"].is_slow("enable")


# --- 9. command sync never stops start-up ------------------------------------------------------
async def test_a_guild_that_refuses_the_sync_is_skipped(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    stranger = 1234567890123456789  # a server the bot is not in: 403 50001
    guilds = [stranger, int(fake.guild_id)]
    async with running_bot(fake, core, monkeypatch, guild_ids=guilds) as bot:
        await bot.connected()
    assert fake.commands[fake.guild_id][0]["name"] == "papers"
    assert any(
        "50001" in r.getMessage() and str(stranger) in r.getMessage() for r in caplog.records
    )


async def test_a_server_error_on_sync_does_not_stop_the_bot(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/api/v10/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
    fake.inject("503", path_prefix=path)
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(["papers", "help"])
        await fake.until(lambda: bool(fi.messages))
    assert fake.guild_id not in fake.commands


async def test_an_unchanged_tree_is_not_synced_again(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        async with running_bot(fake, core, monkeypatch):
            pass
    assert fake.command_syncs() == [fake.guild_id]  # once, not on every start


async def test_the_payload_fits_discords_size_limit(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch):
        pass
    papers, menu = fake.commands[fake.guild_id]
    assert (menu["name"], menu["type"]) == ("Paper card", 3)  # the message command
    assert command_chars(papers) <= COMMAND_CHARS_MAX


@pytest.mark.parametrize("clear", [False, True])
async def test_guild_mode_offers_to_clear_an_old_global_papers(
    fake: FakeDiscord,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    clear: bool,
) -> None:
    async with running_bot(fake, core, monkeypatch, guild=False):
        pass  # an earlier run registered /papers globally
    assert [c["name"] for c in fake.commands["global"]] == ["papers", "Paper card"]
    async with running_bot(fake, core, monkeypatch, clear_global_commands=clear):
        pass
    left = [c["name"] for c in fake.commands["global"]]
    if clear:
        assert left == []
    else:
        assert left == ["papers", "Paper card"]
        assert any("clear_global_commands" in r.getMessage() for r in caplog.records)


# --- 10. install and context limits ---------------------------------------------------------
async def test_papers_is_guild_installed_and_usable_in_guilds_and_the_bots_dms(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch, guild=False):
        pass
    papers, menu = fake.commands["global"]
    assert (menu["name"], menu["type"]) == ("Paper card", 3)  # the message command
    assert papers["integration_types"] == [0]  # GUILD_INSTALL only
    assert sorted(papers["contexts"]) == [0, 1]  # GUILD and BOT_DM, not PRIVATE_CHANNEL


async def test_channel_enable_refuses_when_the_bot_lacks_a_permission_there(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.deny(fake.text_channel_id, "EMBED_LINKS", "READ_MESSAGE_HISTORY")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(["papers", "channel", "enable"], permissions=ADMIN_PERMS)
        await fake.until(lambda: bool(fi.messages))
    text = fi.messages[0][0]["content"]
    assert "Embed Links" in text and "Read Message History" in text and "View Channel" not in text
    assert (
        channel_store.get_channel(core.db, "discord", fake.guild_id, fake.text_channel_id) is None
    )


async def test_channel_commands_are_refused_in_a_thread_and_in_dms(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = fake.add_thread(fake.text_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        in_thread = fake.send_command(
            ["papers", "channel", "enable"], permissions=ADMIN_PERMS, channel_id=thread
        )
        in_dm = fake.send_command(["papers", "channel", "status"], dm=True)
        today = fake.send_command(["papers", "today"], dm=True)
        await fake.until(lambda: all(x.messages for x in (in_thread, in_dm, today)))
    assert "not in a thread" in in_thread.messages[0][0]["content"]
    assert "server channels" in in_dm.messages[0][0]["content"]
    assert channel_store.get_channel(core.db, "discord", fake.guild_id, thread) is None
    assert today.messages and "server channels" not in str(today.messages[0][0])  # DMs work


async def test_channel_enable_in_a_forum_post_sets_up_the_forum(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = fake.add_thread(fake.forum_channel_id, "Welcome")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(
            ["papers", "channel", "enable"], permissions=ADMIN_PERMS, channel_id=post
        )
        await fake.until(lambda: bool(fi.messages))
    assert "enabled" in fi.messages[0][0]["content"]
    assert channel_store.get_channel(core.db, "discord", fake.guild_id, fake.forum_channel_id)


# --- 12. defer before slow work, and follow-ups after the token expired ------------------------
async def test_slow_commands_are_deferred_before_their_work_starts(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[float] = []
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        core.db.conn.set_trace_callback(lambda _sql: statements.append(time.monotonic()))
        try:
            fi = fake.send_command(["papers", "today"])
            await fake.until(lambda: bool(fi.messages))
        finally:
            core.db.conn.set_trace_callback(None)
    assert fi.acked == 5 and fi.acked_at is not None and statements
    assert min(statements) > fi.acked_at  # Discord had the defer before the database was touched


async def test_an_answer_after_the_token_expired_is_logged_in_one_line(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake.advance_on_defer = 16 * 60  # the work outlived the 15-minute token
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(["papers", "today"])
        await fake.until(lambda: fi.expired_calls >= 1)
    assert fi.acked == 5 and not fi.messages
    expired = [r for r in caplog.records if "expired" in r.getMessage()]
    assert expired and all(r.exc_info is None for r in caplog.records if r.levelno >= logging.ERROR)
    assert fi.expired_calls == 1  # no second try with a dead token
