"""The Save button's press on Discord: the card's paper into the presser's library.

A press is answered statelessly: the button's `custom_id` (`paperbot:save:<arXiv id>`) says
everything, so `on_component` (called from the client's `on_interaction`) handles presses on
messages posted by any earlier run — persistent across restarts, nothing to re-register.
Saving is the core's `save` command, so a press and `/papers save <id>` store the same row.

Discord drops a component interaction not answered within 3 seconds
(https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction);
saving is one SQLite insert, but a paper not stored yet is looked up on HF first, so a slow
save is deferred (ephemeral) like a slow command.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from adapters.discord.cards import saved_paper_id
from adapters.discord.interactions import send_replies
from bot.commands.dispatch import handle
from bot.commands.spec import APOLOGY
from bot.model import Command, Place, Reply

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

HEAD_START = 1.5  # seconds a save may take before the press is deferred


def save_command(interaction: discord.Interaction, paper_id: str) -> Command:
    place = Place("discord", str(interaction.channel_id or ""), str(interaction.guild_id or ""))
    user = interaction.user
    return Command("save", paper_id, str(user.id), user.display_name, False, place)


async def on_component(core: Core, interaction: discord.Interaction) -> bool:
    """Answer a press on one of paperbot's buttons; False when it is not ours."""
    if interaction.type is not discord.InteractionType.component:
        return False
    paper_id = saved_paper_id(str((interaction.data or {}).get("custom_id") or ""))
    if paper_id is None:
        return False
    await answer_save(core, interaction, paper_id)
    return True


async def answer_save(core: Core, interaction: discord.Interaction, paper_id: str) -> None:
    """Save to the presser's library; the answer ("Saved …" / "… already saved …") is
    ephemeral, so only the presser sees it."""
    task = asyncio.create_task(handle(core, save_command(interaction, paper_id)))
    done, _ = await asyncio.wait({task}, timeout=HEAD_START)
    deferred = not done
    if deferred:
        await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        replies = await task
    except Exception:
        log.exception("discord: Save %r failed", paper_id)
        replies = [Reply(text=APOLOGY, private=True)]
    replies = [Reply(text=r.text, private=True, is_error=r.is_error) for r in replies]
    try:
        await send_replies(interaction, replies, deferred)
    except discord.HTTPException as e:
        log.warning("discord: the answer to a Save press failed (%s)", e)
