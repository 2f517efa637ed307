"""Button presses on paperbot's cards (`block_actions`): Save, Share and More like this.

Slack delivers a press as a `block_actions` payload
(https://api.slack.com/reference/interaction-payloads/block-actions) and gives up unless the
app acknowledges it within 3 seconds (https://api.slack.com/interactivity/handling#acknowledgment_response),
so every listener acks first. A press is the command it stands for (`save <id>`,
`show <id> share`, `similar <id>`), built here once from the payload, and its answer goes to
the presser alone through the payload's `response_url` as a new ephemeral message
(`replace_original: false` in `SlashReplies`, so the card stays as it was for everyone else:
https://api.slack.com/interactivity/handling#message_responses). A press and the typed
command therefore store the same rows and say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from adapters.slack.commands import workspace_of
from adapters.slack.render import SAVE_ACTION, SIMILAR_ACTION
from adapters.slack.replies import SlashReplies
from bot.commands.dispatch import handle
from bot.model import Command, Place

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from adapters.slack.poster import SlackPoster
    from bot.core import Core

SAVE = re.compile(rf"^{SAVE_ACTION}_\d+$")  # the paper id rides in the button's value
SIMILAR = re.compile("^" + re.escape(SIMILAR_ACTION))  # the paper id follows the prefix


def pressed(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The action a block_actions payload carries (Slack sends one per press)."""
    actions = payload.get("actions") or []
    return actions[0] if actions and isinstance(actions[0], Mapping) else {}


def click_command(payload: Mapping[str, Any], name: str, args: str) -> Command | None:
    """The command `name args` run by whoever pressed, where they pressed it; None when the
    payload lacks the presser, the channel or the paper (nothing to do, nothing to say)."""
    user = payload.get("user") or {}
    user_id = str(user.get("id") or "")
    channel = (payload.get("channel") or {}).get("id") or (payload.get("container") or {}).get(
        "channel_id"
    )
    if not user_id or not channel or not args.strip():
        return None
    workspace = workspace_of(payload) or str(user.get("team_id") or "")
    place = Place("slack", str(channel), workspace)
    user_name = str(user.get("username") or user.get("name") or user_id)
    return Command(name, args.strip(), user_id, user_name, False, place)


def save_command(payload: Mapping[str, Any]) -> Command | None:
    """The `/papers save <id>` a Save press stands for."""
    return click_command(payload, "save", str(pressed(payload).get("value") or ""))


def similar_command(payload: Mapping[str, Any]) -> Command | None:
    """The `/papers similar <id>` a More like this press stands for."""
    action_id = str(pressed(payload).get("action_id") or "")
    if not action_id.startswith(SIMILAR_ACTION):
        return None
    return click_command(payload, "similar", action_id[len(SIMILAR_ACTION) :])


async def answer_click(
    core: Core, poster: SlackPoster, payload: Mapping[str, Any], cmd: Command | None
) -> None:
    """Run a press's command and tell only the presser what came of it."""
    if cmd is None:
        return
    replies = await handle(core, cmd, poster)  # never raises: a failure is a private line
    target = {
        "channel_id": cmd.place.channel_id,
        "user_id": cmd.user_id,
        "response_url": payload.get("response_url") or "",
    }
    await SlashReplies(target, poster).send_all(replies)


def register_buttons(app: AsyncApp, core: Core, poster: SlackPoster) -> None:
    """Save and More like this; Share (which posts in the presser's name) is in interactive.py."""

    @app.action(SAVE)
    async def on_save(ack: Any, body: dict[str, Any]) -> None:
        await ack()  # first: Slack shows the presser an error after 3 seconds
        await answer_click(core, poster, body, save_command(body))

    @app.action(SIMILAR)
    async def on_more_like_this(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        await answer_click(core, poster, body, similar_command(body))
