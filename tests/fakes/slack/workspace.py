"""The conversations of the fake Slack workspace, and what a bot token may do in each.

The rules follow Slack's documentation for a bot token:

- A public channel the bot is not in: it may post there with `chat:write.public`
  (https://api.slack.com/scopes/chat:write.public) but may not read it — conversations.history
  and conversations.replies answer `not_in_channel`
  (https://api.slack.com/methods/conversations.history#errors).
- A private channel the bot is not in does not exist for it: every call answers
  `channel_not_found` (https://api.slack.com/methods/chat.postMessage#errors).
- An archived channel refuses posts with `is_archived` (same page).
- conversations.join (scope `channels:join`) joins a public channel, with the warning
  `already_in_channel` when the bot is in it already; a private channel or a DM answers
  `method_not_supported_for_channel_type`, an archived one `is_archived`
  (https://api.slack.com/methods/conversations.join).
- A DM with a user (conversations.open, https://api.slack.com/methods/conversations.open) can
  only be written to when the app's App Home *Messages tab* is on; otherwise chat.postMessage
  answers `messages_tab_disabled` (https://api.slack.com/methods/chat.postMessage#errors,
  https://api.slack.com/surfaces/app-home#messages-tab). The switch is read from the app
  manifest (`features.app_home.messages_tab_enabled`,
  https://api.slack.com/reference/manifests#features), the file an admin pastes into Slack.

A channel id no test described is a public channel the bot was invited to, so tests that do
not care about membership can post anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yml"


@dataclass
class Conversation:
    id: str
    private: bool = False
    bot_member: bool = True
    archived: bool = False
    dm_user: str | None = None  # an IM between the bot and this user

    @property
    def is_dm(self) -> bool:
        return self.dm_user is not None


def messages_tab_enabled(manifest: Path | str | None) -> bool:
    """Whether the manifest turns the App Home Messages tab on (off when it says nothing)."""
    if manifest is None:
        return False
    data: Any = yaml.safe_load(Path(manifest).read_text(encoding="utf-8")) or {}
    app_home = (data.get("features") or {}).get("app_home") or {}
    return bool(app_home.get("messages_tab_enabled"))


def manifest_bot_scopes(manifest: Path | str | None) -> list[str]:
    """The bot scopes the manifest asks for: what an install of it grants the bot token."""
    if manifest is None:
        return []
    data: Any = yaml.safe_load(Path(manifest).read_text(encoding="utf-8")) or {}
    return list(((data.get("oauth_config") or {}).get("scopes") or {}).get("bot") or [])


@dataclass
class Workspace:
    messages_tab: bool = False
    conversations: dict[str, Conversation] = field(default_factory=dict)

    def add(self, channel_id: str, **kw: Any) -> Conversation:
        self.conversations[channel_id] = Conversation(channel_id, **kw)
        return self.conversations[channel_id]

    def get(self, channel_id: str) -> Conversation | None:
        if not channel_id:
            return None
        if channel_id not in self.conversations and channel_id[0] in "CG":
            return self.add(channel_id)  # an undescribed channel: public, the bot invited
        return self.conversations.get(channel_id)

    def open_dm(self, user_id: str) -> Conversation:
        return self.conversations.get("D" + user_id) or self.add("D" + user_id, dm_user=user_id)

    def visible(self, channel_id: str) -> Conversation | None:
        """The conversation as the bot sees it: None for a private one it is not in."""
        conv = self.get(channel_id)
        if conv is None or (conv.private and not conv.bot_member):
            return None
        return conv

    def post_problem(self, channel_id: str) -> str | None:
        """Why chat.postMessage / chat.postEphemeral would refuse this channel, if it would."""
        conv = self.visible(channel_id)
        if conv is None:
            return "channel_not_found"
        if conv.archived:
            return "is_archived"
        if conv.is_dm and not self.messages_tab:
            return "messages_tab_disabled"
        return None  # public non-member: chat:write.public

    def read_problem(self, channel_id: str) -> str | None:
        """Why conversations.history / conversations.replies would refuse, if they would."""
        conv = self.visible(channel_id)
        if conv is None:
            return "channel_not_found"
        if not conv.bot_member:
            return "not_in_channel"
        return None

    def join(self, channel_id: str) -> tuple[str | None, str | None]:
        """(error, warning) of conversations.join."""
        conv = self.visible(channel_id)
        if conv is None:
            return "channel_not_found", None
        if conv.private or conv.is_dm:
            return "method_not_supported_for_channel_type", None
        if conv.archived:
            return "is_archived", None
        if conv.bot_member:
            return None, "already_in_channel"
        conv.bot_member = True
        return None, None

    def channel_json(self, conv: Conversation) -> dict[str, Any]:
        return {
            "id": conv.id,
            "is_channel": not conv.private and not conv.is_dm,
            "is_group": conv.private,
            "is_im": conv.is_dm,
            "is_private": conv.private or conv.is_dm,
            "is_archived": conv.archived,
            "is_member": conv.bot_member,
        }
