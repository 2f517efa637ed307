"""Discord JSON objects as the real API returns them (only the fields discord.py reads).

Kept apart from the routes so the REST fake and the gateway fake describe users, channels,
guilds and messages the same way.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11
GUILD_FORUM = 15
# Channel flags (https://discord.com/developers/docs/resources/channel#channel-object-channel-flags):
# a forum post must carry `applied_tags`.
REQUIRE_TAG = 1 << 4

TIMESTAMP = "2025-10-01T09:00:00.000000+00:00"


class Snowflakes:
    """Increasing, realistic-looking snowflake ids (thread-safe)."""

    def __init__(self, start: int = 1_420_000_000_000_000_000) -> None:
        self._next = itertools.count(start, 4096)
        self._lock = threading.Lock()

    def new(self) -> str:
        with self._lock:
            return str(next(self._next))


def user(user_id: str, username: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": username,
        "global_name": username,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def application(app_id: str, owner: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": app_id,
        "name": "paperbot",
        "icon": None,
        "description": "Daily research papers",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner,
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "summary": "",
    }


def channel(
    channel_id: str,
    ctype: int,
    *,
    name: str = "",
    guild_id: str | None = None,
    parent_id: str | None = None,
    recipients: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": channel_id, "type": ctype, "flags": 0}
    if ctype == DM:
        data.update(recipients=recipients or [], last_message_id=None)
        return data
    data.update(
        name=name,
        guild_id=guild_id,
        position=0,
        permission_overwrites=[],
        nsfw=False,
        parent_id=parent_id,
        last_message_id=None,
        rate_limit_per_user=0,
    )
    if ctype == GUILD_TEXT:
        data["topic"] = None
    if ctype == GUILD_FORUM:
        data.update(topic=None, available_tags=[], default_reaction_emoji=None)
        data.update(default_auto_archive_duration=1440, default_sort_order=None)
    if ctype == PUBLIC_THREAD:
        data.update(
            owner_id=None,
            message_count=0,
            member_count=1,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": TIMESTAMP,
                "locked": False,
                "create_timestamp": TIMESTAMP,
            },
        )
    return data


def forum_tag(tag_id: str, name: str, *, moderated: bool = False) -> dict[str, Any]:
    """https://discord.com/developers/docs/resources/channel#forum-tag-object"""
    return {
        "id": tag_id,
        "name": name,
        "moderated": moderated,
        "emoji_id": None,
        "emoji_name": None,
    }


def message(
    message_id: str, channel_id: str, author: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": message_id,
        "channel_id": channel_id,
        "author": author,
        "content": body.get("content") or "",
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "pinned": False,
        "type": 0,
        "flags": body.get("flags", 0) or 0,
        "nonce": body.get("nonce"),
        "components": body.get("components") or [],  # echoed, so a click can carry them
    }


def guild(
    guild_id: str, name: str, owner_id: str, channels: list[dict[str, Any]]
) -> dict[str, Any]:
    everyone = {
        "id": guild_id,
        "name": "@everyone",
        "permissions": "1024",
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": guild_id,
        "name": name,
        "icon": None,
        "owner_id": owner_id,
        "roles": [everyone],
        "emojis": [],
        "stickers": [],
        "features": [],
        "channels": channels,
        "threads": [],
        "members": [],
        "member_count": 2,
        "large": False,
        "unavailable": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "joined_at": TIMESTAMP,
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    }


def member(user_obj: dict[str, Any], permissions: int) -> dict[str, Any]:
    return {
        "user": user_obj,
        "roles": [],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
        "avatar": None,
        "permissions": str(permissions),
    }
