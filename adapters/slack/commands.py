"""Slack payload → neutral Command (pure), and who counts as an admin.

The slash command's text is parsed by the core's own `split_command`, so `/papers search x`
means the same on Slack, Discord and in the shell — once Slack's escaping is undone: Slack
sends `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;` in every text it hands an app
(https://api.slack.com/reference/surfaces/formatting#escaping), so `upvotes>=20` arrives as
`upvotes&gt;=20`. Exactly those three are decoded, in one pass (`&amp;lt;` is a typed `&lt;`).
Admin rights are only looked up for the commands that need them (`requires_admin`), saving a
users.info call on every command.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from bot.commands.parse import requires_admin, split_command
from bot.model import Command, Place

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

SLASH_COMMAND = "/papers"
_ENTITY = re.compile(r"&(amp|lt|gt);")
_DECODED = {"amp": "&", "lt": "<", "gt": ">"}


def slash_text(payload: Mapping[str, Any]) -> str:
    """What the person typed after the command, with Slack's three entities decoded."""
    return _ENTITY.sub(lambda m: _DECODED[m.group(1)], str(payload.get("text") or ""))


def workspace_of(payload: Mapping[str, Any]) -> str:
    """The team id every stored row is keyed by (the enterprise id for org-wide installs)."""
    team = payload.get("team_id") or (payload.get("team") or {}).get("id")
    return str(team or payload.get("enterprise_id") or "")


def needs_admin(payload: Mapping[str, Any]) -> bool:
    return requires_admin(*split_command(slash_text(payload)))


def slash_to_command(payload: Mapping[str, Any], *, is_admin: bool) -> Command:
    """A slash-command payload (HTTP form or Socket Mode envelope) as a neutral Command."""
    name, args = split_command(slash_text(payload))
    place = Place("slack", str(payload.get("channel_id") or ""), workspace_of(payload))
    return Command(
        name=name,
        args=args,
        user_id=str(payload.get("user_id") or ""),
        user_name=str(payload.get("user_name") or ""),
        is_admin=is_admin,
        place=place,
    )


def enables_channel(cmd: Command) -> bool:
    """`/papers channel enable …` and `channel test`: the commands that need the bot in the
    channel (both post there)."""
    return cmd.name == "channel" and cmd.args.split(" ", 1)[0].lower() in ("enable", "test")


async def is_slack_admin(client: AsyncWebClient, user_id: str, admins: Iterable[str]) -> bool:
    """A workspace admin/owner per users.info, or a user listed in `slack.admins`.

    A failed lookup counts as "not an admin": refusing is the safe answer.
    """
    if user_id in set(admins):
        return True
    from slack_sdk.errors import SlackClientError

    try:
        resp = await client.users_info(user=user_id)
    except SlackClientError as e:
        log.warning("slack: users.info for %s failed (%s); treating as non-admin", user_id, e)
        return False
    user = resp.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
