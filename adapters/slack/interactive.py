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

from adapters.slack.commands import workspace_of
from adapters.slack.poster import SlackPoster
from adapters.slack.replies import make_webhook_client
from bot.commands.dispatch import handle
from bot.commands.share import SHARE_PREFIX, SHARE_WORD, shared_paper
from bot.model import Command, Place

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
    actions = body.get("actions") or []
    pid = shared_paper(str(actions[0].get("action_id") or "")) if actions else None
    user = body.get("user") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    if pid is None or not user.get("id") or not channel:
        return None
    place = Place("slack", str(channel), workspace_of(body))
    name = str(user.get("username") or user.get("name") or user["id"])
    return Command("show", f"{pid} {SHARE_WORD}", str(user["id"]), name, False, place)


def register_share(app: AsyncApp, core: Core, poster: SlackPoster) -> None:
    @app.action(SHARE_ACTION)
    async def on_share(ack: Any, body: dict[str, Any]) -> None:
        await ack()  # before the work: Slack shows an error after 3 seconds
        cmd = share_click(body)
        if cmd is None:
            return
        replies = await handle(core, await named(poster.client, cmd), poster)
        text = "\n".join(r.text for r in replies if r.text) or "Done."
        url = str(body.get("response_url") or "")
        if not url:
            return
        message = {"text": text, "response_type": "ephemeral", "replace_original": False}
        try:
            await make_webhook_client(url).send_dict(message)
        except Exception as e:  # the card is shared; only the confirmation is lost
            log.warning("slack: could not confirm a share: %s", e)
