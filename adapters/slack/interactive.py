"""Slack's Share button: a `block_actions` click on a private card, run as `show <id> share`.

The click arrives as a block_actions payload (https://api.slack.com/reference/interaction-
payloads/block-actions) with the clicker, the channel and a response_url; it is acked at once
(Slack's 3 seconds), then the core posts the card through the poster and the clicker alone is
told, through response_url as a new ephemeral message (`replace_original: false`, so the
private card they clicked stays: https://api.slack.com/interactivity/handling#message_responses).
"Shared by" names the clicker by their display name from users.info
(https://api.slack.com/types/user: `profile.display_name`, else `real_name`), as text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from adapters.slack.actions import answer_click, click_command, pressed
from adapters.slack.poster import SlackPoster
from bot.commands.share import SHARE_PREFIX, SHARE_WORD, shared_paper
from bot.model import Command

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.core import Core

log = logging.getLogger(__name__)

SHARE_ACTION = re.compile("^" + re.escape(SHARE_PREFIX))


def is_share(cmd: Command) -> bool:
    """`show <id> share`: the command that posts in the caller's name."""
    words = cmd.args.split()
    return cmd.name == "show" and len(words) == 2 and words[1].lower() == SHARE_WORD


async def display_name(client: AsyncWebClient, user_id: str, fallback: str) -> str:
    """The name Slack shows for the user; `fallback` (their username) if users.info fails."""
    from slack_sdk.errors import SlackClientError

    try:
        resp = await client.users_info(user=user_id)
    except SlackClientError as e:
        log.warning("slack: users.info for %s failed (%s); using the username", user_id, e)
        return fallback
    user = resp.get("user") or {}
    profile = user.get("profile") or {}
    return str(profile.get("display_name") or profile.get("real_name") or fallback)


async def named(client: AsyncWebClient, cmd: Command) -> Command:
    """The command with the caller's display name when it shares (only then is it shown)."""
    if not is_share(cmd):
        return cmd
    name = await display_name(client, cmd.user_id, cmd.user_name)
    return Command(cmd.name, cmd.args, cmd.user_id, name, cmd.is_admin, cmd.place)


def share_click(body: Mapping[str, Any]) -> Command | None:
    """A block_actions payload of a Share button as `show <id> share`; None otherwise."""
    pid = shared_paper(str(pressed(body).get("action_id") or ""))
    return click_command(body, "show", f"{pid} {SHARE_WORD}") if pid else None


def register_share(app: AsyncApp, core: Core, poster: SlackPoster) -> None:
    @app.action(SHARE_ACTION)
    async def on_share(ack: Any, body: dict[str, Any]) -> None:
        await ack()  # before the work: Slack shows an error after 3 seconds
        cmd = share_click(body)
        await answer_click(core, poster, body, cmd and await named(poster.client, cmd))
