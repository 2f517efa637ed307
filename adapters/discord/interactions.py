"""Answering one slash command: who is asking, the admin check, the 3-second deadline.

Discord drops an interaction not acknowledged within 3 seconds. Commands that may reach the
network or an LLM defer at once; the others get a short head start and defer only if they
have not finished. Replies then arrive as follow-ups; personal ones are ephemeral.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.render import Body, reply_bodies
from bot.commands.dispatch import handle
from bot.commands.parse import requires_admin
from bot.model import Command, Place, Reply

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

# May call Hugging Face, arXiv or an LLM: defer before starting.
SLOW = frozenset({"today", "top", "search", "show", "save", "bibtex", "channel preview"})
# Replies visible to the channel; everything else is answered ephemerally.
PUBLIC: frozenset[str] = frozenset()
HEAD_START = 1.5  # seconds a fast command may take before we defer anyway
REFUSAL = (
    "Only members who can Manage Channels (or Administrators) here can change this "
    "channel's daily thread."
)
MOVED = "Posted below."


def is_channel_admin(interaction: discord.Interaction) -> bool:
    """Manage Channels or Administrator in *this* channel: `interaction.permissions` is what
    Discord resolved for the member here, overwrites included."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    return perms.manage_channels or perms.administrator


def command_from(interaction: discord.Interaction, name: str, args: str) -> Command:
    place = Place("discord", str(interaction.channel_id or ""), str(interaction.guild_id or ""))
    user = interaction.user
    return Command(
        name, args, str(user.id), user.display_name, is_channel_admin(interaction), place
    )


def _kind(name: str, args: str) -> str:
    action = args.split(" ", 1)[0].lower() if name == "channel" and args else ""
    return f"{name} {action}".strip()


def message_kwargs(body: Body) -> dict[str, Any]:
    """A rendered body as discord.py keyword arguments (for interaction responses)."""
    am = body.get("allowed_mentions", {})
    users = [discord.Object(int(u)) for u in am.get("users", [])]
    kw: dict[str, Any] = {
        "allowed_mentions": discord.AllowedMentions(
            everyone=False, roles=False, users=users or False, replied_user=False
        )
    }
    if body.get("content"):
        kw["content"] = body["content"]
    if body.get("embeds"):
        kw["embeds"] = [discord.Embed.from_dict(e) for e in body["embeds"]]
    return kw


async def answer(core: Core, interaction: discord.Interaction, name: str, args: str = "") -> None:
    """Run `/papers <name> <args>` for this interaction and deliver the replies."""
    cmd = command_from(interaction, name, args)
    if requires_admin(name, args) and not cmd.is_admin:
        await interaction.response.send_message(REFUSAL, ephemeral=True)
        return
    kind = _kind(name, args)
    task = asyncio.create_task(handle(core, cmd))
    deferred: bool | None = None  # None: not deferred; else whether the defer was ephemeral
    if kind in SLOW or name in SLOW or not await _done_within(task, HEAD_START):
        deferred = kind not in PUBLIC
        await interaction.response.defer(ephemeral=deferred, thinking=True)
    await send_replies(interaction, await task, deferred)


async def _done_within(task: asyncio.Task[Any], seconds: float) -> bool:
    done, _ = await asyncio.wait({task}, timeout=seconds)
    return bool(done)


async def send_replies(
    interaction: discord.Interaction, replies: list[Reply], deferred: bool | None
) -> None:
    replies = replies or [Reply("Done.", private=True)]
    bodies = [(b, r.private) for r in replies for b in reply_bodies(r)]
    for i, (body, private) in enumerate(bodies):
        kw = message_kwargs(body)
        if i == 0 and deferred is None:
            await interaction.response.send_message(**kw, ephemeral=private)
            continue
        if i == 0 and deferred != private:
            # The first follow-up would take the defer's visibility; fix it up instead.
            if private:
                await interaction.delete_original_response()
            else:
                await interaction.edit_original_response(content=MOVED)
        await interaction.followup.send(**kw, ephemeral=private)
