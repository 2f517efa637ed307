"""The Slack manifest asks for every scope the adapter's API calls need, and the docs cover it."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.slack.commands import SLASH_COMMAND

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = (ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "slack.md").read_text(encoding="utf-8")
ADAPTER_SOURCE = "\n".join(p.read_text() for p in (ROOT / "adapters" / "slack").glob("*.py"))

# Web API method the adapter calls (as slack_sdk spells it) → the bot scope it needs.
SCOPES_FOR = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "conversations_open": "im:write",
    "conversations_join": "channels:join",
    "users_info": "users:read",
    "conversations_replies": "channels:history",
    "conversations_history": "channels:history",
    "chat_unfurl": "links:write",
}


def bot_scopes() -> set[str]:
    block = MANIFEST.split("bot:", 1)[1].split("settings:", 1)[0]
    return set(re.findall(r"^\s+-\s+([a-z.:_]+)", block, re.MULTILINE))


def test_manifest_has_the_slash_command_and_socket_mode() -> None:
    assert f"- command: {SLASH_COMMAND}\n" in MANIFEST
    assert "socket_mode_enabled: true" in MANIFEST


def test_every_called_method_has_its_scope() -> None:
    called = {m for m in SCOPES_FOR if re.search(rf"\.{m}\(", ADAPTER_SOURCE)}
    assert called == set(SCOPES_FOR), "update SCOPES_FOR when the adapter calls a new method"
    assert {SCOPES_FOR[m] for m in called} | {"commands"} <= bot_scopes()


def test_guide_explains_every_scope_and_the_placeholder() -> None:
    for scope in bot_scopes():
        assert f"`{scope}`" in GUIDE, scope
    assert '"{parent_ts}"' in GUIDE and "--format slack" in GUIDE
    assert "connections:write" in GUIDE  # the app-level token Socket Mode needs


def test_reading_back_covers_every_kind_of_conversation_it_posts_to() -> None:
    """History reads need the scope of the conversation's kind: channel, private, DM, group DM."""
    assert {"channels:history", "groups:history", "im:history", "mpim:history"} <= bot_scopes()
    assert "metadata.message:read" in bot_scopes()


def test_alert_dms_have_the_messages_tab_they_need() -> None:
    """Since 2021 an app's App Home Messages tab is off unless the app turns it on, and a DM to
    a user then answers messages_tab_disabled; paperbot only writes there (read-only tab)."""
    import yaml

    app_home = yaml.safe_load(MANIFEST)["features"]["app_home"]
    assert app_home["messages_tab_enabled"] is True
    assert app_home["messages_tab_read_only_enabled"] is True
    assert "Messages Tab" in GUIDE and "messages_tab_disabled" in GUIDE
