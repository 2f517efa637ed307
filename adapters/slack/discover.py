"""The "More like this" button on Slack cards: a click is `/papers similar <id>` for the
person who clicked, answered only to them.

A click arrives as a `block_actions` interaction carrying the button's `action_id`, the
clicker, the channel and a `response_url` (https://api.slack.com/reference/interaction-payloads/block-actions);
it is acked at once (Slack's 3-second rule) and answered through that response_url as an
ephemeral message, so the card it was clicked on stays as it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from adapters.slack.render import SIMILAR_ACTION
from adapters.slack.replies import SlashReplies
from bot.commands.dispatch import handle
from bot.model import Command, Place

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from adapters.slack.poster import SlackPoster
    from bot.core import Core

SIMILAR = re.compile("^" + re.escape(SIMILAR_ACTION))


def register_discover(app: AsyncApp, core: Core, poster: SlackPoster) -> None:
    @app.action(SIMILAR)
    async def on_more_like_this(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        await answer_more_like_this(core, poster, body)


def click_command(body: dict[str, Any]) -> Command | None:
    """The `similar` command a block_actions click stands for (None for another action)."""
    actions = body.get("actions") or [{}]
    action_id = str(actions[0].get("action_id") or "")
    if not action_id.startswith(SIMILAR_ACTION):
        return None
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    channel = str((body.get("channel") or {}).get("id") or "")
    uid = str(user.get("id") or "")
    name = str(user.get("name") or user.get("username") or uid)
    place = Place("slack", channel, team)
    return Command("similar", action_id[len(SIMILAR_ACTION) :], uid, name, False, place)


async def answer_more_like_this(core: Core, poster: SlackPoster, body: dict[str, Any]) -> None:
    cmd = click_command(body)
    if cmd is None:
        return
    target = {
        "channel_id": cmd.place.channel_id,
        "user_id": cmd.user_id,
        "response_url": body.get("response_url") or "",
    }
    await SlashReplies(target, poster).send_all(await handle(core, cmd))
