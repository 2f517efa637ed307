"""Reactions on the daily thread's paper messages, as votes (`bot/recommend/votes.py`).

paperbot asks for the GUILD_MESSAGE_REACTIONS intent (1 << 10, not privileged) and reads the
raw MESSAGE_REACTION_ADD / _REMOVE events (user, channel, message, guild, emoji), so a message
posted before this process started counts too: discord.py's cached `on_reaction_add` would
miss it (https://discord.com/developers/docs/events/gateway-events#message-reaction-add,
https://discordpy.readthedocs.io/en/stable/api.html#discord.on_raw_reaction_add).
The ledger files a thread's messages under the channel it hangs from; Discord message ids are
unique, so the message is looked up across the server.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.recommend.votes import record_reaction
from storage.users import UserKey

if TYPE_CHECKING:
    import discord

    from bot.core import Core

log = logging.getLogger(__name__)


def reaction_vote(core: Core, payload: discord.RawReactionActionEvent, *, added: bool) -> None:
    """Record one raw reaction; a custom emoji, a DM or a message that is no paper is ignored."""
    if payload.guild_id is None or payload.emoji.id is not None:
        return
    guild = str(payload.guild_id)
    paper = record_reaction(
        core.db,
        UserKey("discord", guild, str(payload.user_id)),
        f"discord:{guild}:",
        str(payload.message_id),
        str(payload.emoji.name or ""),
        added=added,
    )
    if paper:
        log.info(
            "discord: %s %s a vote on %s", payload.user_id, "added" if added else "removed", paper
        )
