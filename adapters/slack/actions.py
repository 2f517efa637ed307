"""Button presses on paperbot's messages (`block_actions`): the Save button.

Slack delivers a press as a `block_actions` payload
(https://api.slack.com/reference/interaction-payloads/block-actions) and gives up unless the
app acknowledges it within 3 seconds (https://api.slack.com/interactivity/handling#acknowledgment_response),
so the listener acks first. The answer goes to the presser alone: an ephemeral message through
the payload's `response_url` with `replace_original: false`, so the card stays as it was for
everyone else (https://api.slack.com/interactivity/handling#message_responses). Saving is the
core's `save` command, so a press and `/papers save <id>` store the same library row.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from adapters.slack.commands import workspace_of
from adapters.slack.render import render_reply
from bot.commands.dispatch import handle
from bot.commands.spec import APOLOGY
from bot.core import Core
from bot.model import Command, Place, Reply

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]


def save_command(payload: Mapping[str, Any]) -> Command | None:
    """The `/papers save <id>` a Save press stands for, or None when the payload lacks its
    button value or presser (nothing to do, and nothing to say)."""
    actions = payload.get("actions") or []
    value = str((actions[0] if actions else {}).get("value") or "").strip()
    user = payload.get("user") or {}
    user_id = str(user.get("id") or "")
    if not value or not user_id:
        return None
    channel = (payload.get("channel") or {}).get("id") or (payload.get("container") or {}).get(
        "channel_id"
    )
    workspace = workspace_of(payload) or str(user.get("team_id") or "")
    place = Place("slack", str(channel or ""), workspace)
    name = str(user.get("username") or user.get("name") or "")
    return Command("save", value, user_id, name, False, place)


async def answer_save(core: Core, payload: Mapping[str, Any], respond: Respond) -> None:
    """Save the pressed card's paper to the presser's library and tell only them."""
    cmd = save_command(payload)
    if cmd is None:
        return
    try:
        replies = await handle(core, cmd)
    except Exception:
        log.exception("slack: Save %r failed", cmd.args)
        replies = [Reply(text=APOLOGY, private=True)]
    for reply in replies:
        for body in render_reply(reply):
            await respond(
                text=body["text"],
                blocks=body["blocks"],
                response_type="ephemeral",
                replace_original=False,
            )
