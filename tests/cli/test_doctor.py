"""`paperbot doctor` as a subprocess against the loopback fakes: a healthy setup passes every
check (exit 0), and each failure injected into a fake — or into the database — shows up as
its own ✗ line with a fix, and exit 1. No token is ever printed."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.discord.doctor import effective_permissions, missing_permissions
from adapters.discord.invite import PERMISSION_BITS
from storage import channels as channel_store
from storage import open_db
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord import payloads as P
from tests.fakes.hf import FakeHF
from tests.fakes.slack.web_api import APP_TOKEN, BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.cli import paperbot
from tests.support.core import NOWHERE
from tests.support.run import channel_row

SLACK_CHANNEL = "CPAPERS"
ENV = {
    "PAPERBOT_TEST_SLACK_BOT": BOT_TOKEN,
    "PAPERBOT_TEST_SLACK_APP": APP_TOKEN,
    "PAPERBOT_TEST_DISCORD": "fake-bot-token",
}


@dataclass
class Setup:
    tmp: Path
    hf: FakeHF
    arxiv: FakeArxiv
    slack: FakeSlackWebApi
    discord: FakeDiscord
    db: Path
    hf_url: str = ""
    arxiv_url: str = ""
    forum_tag: str = ""

    def enable(self, platform: str, channel_id: str) -> None:
        db = open_db(self.db)
        ws = TEAM_ID if platform == "slack" else self.discord.guild_id
        channel_store.save_channel(db, channel_row(platform, ws, channel_id))
        db.close()

    def doctor(self, **env: str):
        cfg = self.tmp / "config.toml"
        cfg.write_text(
            f'[storage]\npath = "{self.db}"\n'
            f'[sources]\nhf_base_url = "{self.hf_url or self.hf.url}"\n'
            f'arxiv_base_url = "{self.arxiv_url or self.arxiv.url}"\ntimeout_seconds = 5\n'
            '[discord]\ntoken_env = "PAPERBOT_TEST_DISCORD"\n'
            f'api_base_url = "{self.discord.api_base}"\n'
            f'guild_ids = [{self.discord.guild_id}]\nforum_tag = "{self.forum_tag}"\n'
            f'[slack]\nmode = "socket"\napi_base_url = "{self.slack.api_url}"\n'
            'bot_token_env = "PAPERBOT_TEST_SLACK_BOT"\n'
            'app_token_env = "PAPERBOT_TEST_SLACK_APP"\n',
            encoding="utf-8",
        )
        run = paperbot("--config", str(cfg), "doctor", env={**ENV, **env}, cwd=self.tmp)
        assert "Traceback" not in run.stderr, run.stderr
        for secret in (BOT_TOKEN, APP_TOKEN, "fake-bot-token"):
            assert secret not in run.stdout + run.stderr
        return run

    def register_commands(self) -> None:
        self.discord.commands[self.discord.guild_id] = [
            {"id": self.discord.ids.new(), "name": "papers", "type": 1, "description": "Papers"}
        ]


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    with (
        FakeHF() as hf,
        FakeArxiv() as arxiv,
        FakeSlackWebApi(socket_url="ws://127.0.0.1:9/socket") as slack,
        FakeDiscord() as discord,
    ):
        s = Setup(tmp_path, hf, arxiv, slack, discord, tmp_path / "paperbot.db")  # type: ignore[arg-type]
        open_db(s.db).close()
        s.enable("slack", SLACK_CHANNEL)
        s.enable("discord", discord.text_channel_id)
        s.register_commands()
        yield s


def failed(run) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("✗")]


def test_a_healthy_setup_passes_every_check(setup: Setup) -> None:
    run = setup.doctor()
    assert run.returncode == 0, run.stdout
    assert failed(run) == []
    for name in (
        "database migrations",
        "database writable",
        "Hugging Face reachable",
        "arXiv reachable",
        "Slack bot token",
        "Slack scopes",
        "Slack app token",
        f"Slack channel {SLACK_CHANNEL}",
        "Discord bot token",
        "Discord application",
        "Discord gateway intents",
        f"Discord /papers (guild {setup.discord.guild_id})",
        f"Discord channel {setup.discord.text_channel_id}",
    ):
        assert any(line.startswith(f"✓ {name}") for line in run.stdout.splitlines()), (
            name,
            run.stdout,
        )
    assert run.stdout.rstrip().endswith("OK")


def _only_failure(run, starts: str, *words: str) -> str:
    assert run.returncode == 1, run.stdout
    lines = failed(run)
    assert len(lines) == 1 and lines[0].startswith(f"✗ {starts}"), run.stdout
    assert "— fix: " in lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def test_a_revoked_slack_token(setup: Setup) -> None:
    setup.slack.revoked = True
    run = setup.doctor()
    _only_failure(run, "Slack bot token", "token_revoked", "$PAPERBOT_TEST_SLACK_BOT")


def test_a_wrong_slack_token(setup: Setup) -> None:
    run = setup.doctor(PAPERBOT_TEST_SLACK_BOT="xoxb-not-the-right-one")
    _only_failure(run, "Slack bot token", "invalid_auth")
    assert "xoxb-not-the-right-one" not in run.stdout


def test_a_missing_slack_scope(setup: Setup) -> None:
    setup.slack.scopes = [s for s in setup.slack.scopes or [] if s != "channels:history"]
    run = setup.doctor()
    _only_failure(run, "Slack scopes", "missing channels:history", "reinstall")


def test_an_app_installed_before_link_unfurls(setup: Setup) -> None:
    """The manifest's new links:read / links:write (pasted paper links) are checked too."""
    old = ("links:read", "links:write")
    setup.slack.scopes = [s for s in setup.slack.scopes or [] if s not in old]
    run = setup.doctor()
    _only_failure(run, "Slack scopes", "missing links:read, links:write", "reinstall")


def test_a_bad_slack_app_token(setup: Setup) -> None:
    run = setup.doctor(PAPERBOT_TEST_SLACK_APP="xapp-1-revoked")
    _only_failure(run, "Slack app token", "invalid_auth", "connections:write")


def test_a_slack_channel_the_bot_cannot_see(setup: Setup) -> None:
    setup.slack.add_channel(SLACK_CHANNEL, private=True, member=False)
    run = setup.doctor()
    _only_failure(run, f"Slack channel {SLACK_CHANNEL}", "channel_not_found", "/invite @paperbot")


def test_a_slack_channel_the_bot_is_not_in(setup: Setup) -> None:
    setup.slack.add_channel(SLACK_CHANNEL, member=False)
    assert setup.doctor().returncode == 0  # public, and channels:join granted: it can join
    setup.slack.scopes = [s for s in setup.slack.scopes or [] if s != "channels:join"]
    lines = failed(setup.doctor())
    assert any("Slack scopes" in line for line in lines)
    assert any(
        line.startswith(f"✗ Slack channel {SLACK_CHANNEL}") and "cannot join" in line
        for line in lines
    ), lines


def test_a_bad_discord_token(setup: Setup) -> None:
    run = setup.doctor(PAPERBOT_TEST_DISCORD="not.the.token")
    _only_failure(run, "Discord bot token", "401", "$PAPERBOT_TEST_DISCORD")


def test_commands_not_registered_in_the_guild(setup: Setup) -> None:
    setup.discord.commands.clear()
    run = setup.doctor()
    _only_failure(run, f"Discord /papers (guild {setup.discord.guild_id})", "not registered")


def test_a_permission_denied_by_an_overwrite(setup: Setup) -> None:
    setup.discord.deny(setup.discord.text_channel_id, "EMBED_LINKS", "SEND_MESSAGES_IN_THREADS")
    run = setup.doctor()
    line = _only_failure(run, f"Discord channel {setup.discord.text_channel_id}")
    assert "missing Embed Links, Send Messages in Threads" in line, line


def test_the_gateway_intents_check_wants_reactions_and_nothing_privileged() -> None:
    from adapters.discord.doctor import intents_check
    from adapters.discord.invite import GATEWAY_INTENTS

    ok = intents_check(GATEWAY_INTENTS)
    assert ok.ok and "GUILD_MESSAGE_REACTIONS" in ok.detail
    no_votes = intents_check(("guilds",))
    assert not no_votes.ok and "GUILD_MESSAGE_REACTIONS not requested" in no_votes.detail
    assert "votes" in no_votes.detail and no_votes.fix
    nosy = intents_check((*GATEWAY_INTENTS, "message_content"))
    assert not nosy.ok and "MESSAGE_CONTENT is privileged" in nosy.detail


def test_a_deleted_discord_channel(setup: Setup) -> None:
    setup.discord.delete_channel(setup.discord.text_channel_id)
    run = setup.doctor()
    _only_failure(run, f"Discord channel {setup.discord.text_channel_id}", "10003")


def test_a_forum_that_requires_a_tag_without_a_usable_one(setup: Setup) -> None:
    forum = setup.discord.add_channel(
        "reading", P.GUILD_FORUM, tags=("news", "weekly"), require_tag=True
    )
    setup.enable("discord", forum)
    line = _only_failure(setup.doctor(), f"Discord channel {forum} forum tag", "news, weekly")
    assert "discord.forum_tag" in line
    setup.forum_tag = "weekly"
    assert setup.doctor().returncode == 0


def test_hugging_face_unreachable(setup: Setup) -> None:
    setup.hf_url = NOWHERE
    _only_failure(setup.doctor(), "Hugging Face reachable", "sources.hf_base_url")


def test_arxiv_unreachable(setup: Setup) -> None:
    setup.arxiv.inject("503")
    _only_failure(setup.doctor(), "arXiv reachable", "HTTP 503", "sources.arxiv_base_url")
    setup.arxiv_url = NOWHERE
    _only_failure(setup.doctor(), "arXiv reachable", "ConnectError")


def test_a_pending_migration(setup: Setup) -> None:
    with sqlite3.connect(setup.db) as conn:
        conn.execute("DELETE FROM _migrations WHERE name = '004_app_state'")
    conn.close()
    run = setup.doctor()
    _only_failure(run, "database migrations", "1 pending (004_app_state)", "back up")
    assert setup.doctor().returncode == 1  # doctor itself applied nothing


def test_a_database_another_process_holds_locked(setup: Setup) -> None:
    holder = sqlite3.connect(setup.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a writer that does not let go
    try:
        run = setup.doctor()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _only_failure(run, "database writable", "locked")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files anyway")
def test_a_read_only_database(setup: Setup) -> None:
    setup.db.chmod(0o444)
    _only_failure(setup.doctor(), "database writable", "readonly")


def test_a_missing_database(setup: Setup) -> None:
    setup.db = setup.tmp / "nowhere" / "paperbot.db"
    run = setup.doctor()
    assert run.returncode == 1
    assert failed(run)[0].startswith("✗ database: ")
    assert not setup.db.exists()  # doctor creates nothing


# --- the permission computation, case by case (Discord's documented order) -------------------
GUILD, BOT, ROLE, OTHER = "1", "2", "3", "4"
VIEW, SEND, EMBED = 1 << 10, 1 << 11, 1 << 14
SIX = sum(PERMISSION_BITS.values())


def _roles(everyone: int = VIEW, role: int = SIX) -> list[dict]:
    return [{"id": GUILD, "permissions": str(everyone)}, {"id": ROLE, "permissions": str(role)}]


def _ow(target: str, kind: int, allow: int = 0, deny: int = 0) -> dict:
    return {"id": target, "type": kind, "allow": str(allow), "deny": str(deny)}


def test_permissions_come_from_everyone_and_the_members_roles() -> None:
    assert missing_permissions(effective_permissions(GUILD, _roles(), BOT, [ROLE], [])) == []
    assert missing_permissions(effective_permissions(GUILD, _roles(), BOT, [], [])) == [
        n for n in PERMISSION_BITS if n != "View Channel"
    ]


def test_administrator_overrides_every_overwrite() -> None:
    perms = effective_permissions(GUILD, _roles(role=1 << 3), BOT, [ROLE], [_ow(BOT, 1, deny=SIX)])
    assert missing_permissions(perms) == []


def test_overwrites_apply_everyone_then_roles_then_the_member() -> None:
    everyone_denies = [_ow(GUILD, 0, deny=SEND)]
    perms = effective_permissions(GUILD, _roles(), BOT, [ROLE], everyone_denies)
    assert "Send Messages" in missing_permissions(perms)
    role_allows = [*everyone_denies, _ow(ROLE, 0, allow=SEND)]
    perms = effective_permissions(GUILD, _roles(), BOT, [ROLE], role_allows)
    assert missing_permissions(perms) == []  # a role's allow beats @everyone's deny
    member_denies = [*role_allows, _ow(BOT, 1, deny=EMBED)]
    perms = effective_permissions(GUILD, _roles(), BOT, [ROLE], member_denies)
    assert missing_permissions(perms) == ["Embed Links"]  # the member's own comes last
    member_allows = [_ow(ROLE, 0, deny=EMBED), _ow(BOT, 1, allow=EMBED)]
    assert (
        missing_permissions(effective_permissions(GUILD, _roles(), BOT, [ROLE], member_allows))
        == []
    )


def test_an_overwrite_for_a_role_the_member_lacks_does_not_apply() -> None:
    perms = effective_permissions(GUILD, _roles(), BOT, [ROLE], [_ow(OTHER, 0, deny=SIX)])
    assert missing_permissions(perms) == []
    # a member overwrite with the same id as a role is a different overwrite (type 1)
    perms = effective_permissions(GUILD, _roles(), BOT, [ROLE], [_ow(ROLE, 1, deny=SIX)])
    assert missing_permissions(perms) == []
