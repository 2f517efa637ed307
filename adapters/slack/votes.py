"""Reactions on the daily thread's paper replies, as votes (`bot/recommend/votes.py`).

Slack sends `reaction_added` / `reaction_removed` events (scope `reactions:read`; the events
are listed under the manifest's `bot_events`) with the reacting `user`, the `reaction`'s emoji
name and the `item` it was added to — for a message, its `channel` and `ts`
(https://api.slack.com/events/reaction_added, https://api.slack.com/events/reaction_removed).
The workspace is the envelope's `team_id`. The ledger knows the message by that ts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.recommend.votes import record_reaction
from storage.users import UserKey

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.core import Core

log = logging.getLogger(__name__)


def register_votes(app: AsyncApp, core: Core) -> None:
    @app.event("reaction_added")
    async def on_reaction_added(body: dict[str, Any], event: dict[str, Any]) -> None:
        reaction_event(core, body, event, added=True)

    @app.event("reaction_removed")
    async def on_reaction_removed(body: dict[str, Any], event: dict[str, Any]) -> None:
        reaction_event(core, body, event, added=False)


def reaction_event(core: Core, body: dict[str, Any], event: dict[str, Any], *, added: bool) -> None:
    """Record one reaction event; anything that is not a vote on a posted paper is ignored."""
    item = event.get("item") or {}
    team = str(body.get("team_id") or event.get("team") or "")
    user = str(event.get("user") or "")
    channel, ts = str(item.get("channel") or ""), str(item.get("ts") or "")
    if item.get("type") != "message" or not (team and user and channel and ts):
        return
    paper = record_reaction(
        core.db,
        UserKey("slack", team, user),
        f"slack:{team}:{channel}",
        ts,
        str(event.get("reaction") or ""),
        added=added,
    )
    if paper:
        log.info("slack: %s %s a vote on %s", user, "added" if added else "removed", paper)
