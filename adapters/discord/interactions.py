"""Answering one slash command: who is asking, where, the admin check, the 3-second deadline.

Discord drops an interaction not acknowledged within 3 seconds, and its token then works for
15 minutes (https://discord.com/developers/docs/interactions/receiving-and-responding). The
core's registry says which commands are slow: those are deferred *before* their work starts;
the others get a short head start and are deferred only if they have not finished. Replies
then arrive as follow-ups; personal ones are ephemeral.

Where a command runs matters for `/papers channel …`: not in a DM (no channel to post to), not
in a thread of a text channel (the thread is not the channel), and `enable` only where the bot
itself has what posting needs — checked on the interaction's `app_permissions`, so an admin
learns at once which permission to grant instead of finding a paused channel the next day.
In a forum post (a thread), `channel …` means the forum.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.buttons import view_for
from adapters.discord.invite import PERMISSION_BITS
from adapters.discord.render import Body, reply_bodies
from adapters.discord.share_button import share_view
from bot.commands.dispatch import handle, registry
from bot.commands.parse import requires_admin
from bot.commands.spec import admin_refusal
from bot.model import Command, Place, Reply

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

HEAD_START = 1.5  # seconds a fast command may take before we defer anyway
MOVED = "Posted below."
TOKEN_GONE = frozenset({10015, 50027})  # Unknown Webhook / Invalid Webhook Token (expired)
THREADS = (
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
)
FORUMS = (discord.ChannelType.forum, discord.ChannelType.media)
IN_DM = "Daily threads live in server channels: run /papers channel … in the channel itself."
IN_THREAD = "Run /papers channel … in the channel itself, not in a thread."
NOT_FOR_FORUM_POSTS = frozenset({"Create Public Threads"})  # "CREATE_PUBLIC_THREADS is ignored"


def is_channel_admin(interaction: discord.Interaction) -> bool:
    """Manage Channels or Administrator in *this* channel: `interaction.permissions` is what
    Discord resolved for the member here, overwrites included."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    return perms.manage_channels or perms.administrator


def _channel_type(interaction: discord.Interaction) -> discord.ChannelType | None:
    return getattr(interaction.channel, "type", None)


def _forum_post_parent(interaction: discord.Interaction) -> int | None:
    """The forum a thread belongs to, when the command runs in a forum post."""
    channel = interaction.channel
    parent = getattr(channel, "parent", None)
    if _channel_type(interaction) in THREADS and getattr(parent, "type", None) in FORUMS:
        return getattr(channel, "parent_id", None)
    return None


def command_from(interaction: discord.Interaction, name: str, args: str) -> Command:
    channel_id = interaction.channel_id
    if name == "channel":
        channel_id = _forum_post_parent(interaction) or channel_id
    place = Place("discord", str(channel_id or ""), str(interaction.guild_id or ""))
    user = interaction.user
    return Command(
        name, args, str(user.id), user.display_name, is_channel_admin(interaction), place
    )


def missing_bot_permissions(interaction: discord.Interaction) -> list[str]:
    """What posting the daily thread needs here that the bot lacks (names as Discord shows)."""
    have = interaction.app_permissions.value
    forum = _forum_post_parent(interaction) is not None
    return [
        name
        for name, bit in PERMISSION_BITS.items()
        if not have & bit and not (forum and name in NOT_FOR_FORUM_POSTS)
    ]


def context_refusal(interaction: discord.Interaction, name: str, args: str) -> str | None:
    """Why `/papers channel …` cannot run here, if it cannot."""
    if name != "channel":
        return None
    if interaction.guild_id is None:
        return IN_DM
    if _channel_type(interaction) in THREADS and _forum_post_parent(interaction) is None:
        return IN_THREAD
    action = args.strip().split(" ", 1)[0].lower()
    if action == "enable" and (missing := missing_bot_permissions(interaction)):
        return (
            "paperbot cannot post the daily thread here: it lacks "
            + ", ".join(missing)
            + " in this channel. Grant them to the bot (or its role), then try again."
        )
    return None


def _refusal(interaction: discord.Interaction, cmd: Command) -> str | None:
    if requires_admin(cmd.name, cmd.args) and not cmd.is_admin and interaction.guild_id:
        return admin_refusal(cmd.args.strip().split(" ", 1)[0].lower())
    return context_refusal(interaction, cmd.name, cmd.args)


def is_slow(name: str, args: str) -> bool:
    spec = registry().get(name)
    return spec is not None and spec.is_slow(args)


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
    if body.get("components"):
        kw["view"] = view_for(body["components"])
    return kw


async def answer(
    core: Core, interaction: discord.Interaction, name: str, args: str = "", *, press: bool = False
) -> None:
    """Run `/papers <name> <args>` for this interaction and deliver the replies. `press`: a
    button's, whose paper is on the card (so stored): even a slow command gets the head start
    and is answered at once when it is done within it."""
    cmd = command_from(interaction, name, args)
    if refusal := _refusal(interaction, cmd):
        await interaction.response.send_message(refusal, ephemeral=True)
        return
    deferred = False
    if is_slow(name, args) and not press:  # acknowledged before the work starts, not while it runs
        await interaction.response.defer(ephemeral=True, thinking=True)
        deferred = True
    # the client's poster, the scheduler's own: what `channel test` posts through
    poster = getattr(interaction.client, "poster", None)
    task = asyncio.create_task(handle(core, cmd, poster))
    if not deferred and not await _done_within(task, HEAD_START):
        await interaction.response.defer(ephemeral=True, thinking=True)
        deferred = True
    replies = await task
    try:
        await send_replies(interaction, replies, deferred)
    except discord.HTTPException as e:
        if e.code not in TOKEN_GONE:
            raise
        log.warning("/papers %s: the interaction expired before its answer (%s)", name, e)


async def _done_within(task: asyncio.Task[Any], seconds: float) -> bool:
    done, _ = await asyncio.wait({task}, timeout=seconds)
    return bool(done)


async def send_replies(
    interaction: discord.Interaction, replies: list[Reply], deferred: bool
) -> None:
    """The replies as the interaction's answer. A defer is always ephemeral, and the first
    follow-up takes its visibility; a public reply after it leaves "Posted below." there."""
    replies = replies or [Reply("Done.", private=True)]
    bodies = [(b, r.private, r) for r in replies for b in reply_bodies(r)]
    for i, (body, private, reply) in enumerate(bodies):
        kw = message_kwargs(body)
        last_of_reply = i + 1 == len(bodies) or bodies[i + 1][2] is not reply
        if last_of_reply and (view := share_view(reply)) is not None:
            kw["view"] = view  # its Share buttons, under the reply's last message
        if i == 0 and not deferred:
            await interaction.response.send_message(**kw, ephemeral=private)
            continue
        if i == 0 and not private:
            await interaction.edit_original_response(content=MOVED)
        await interaction.followup.send(**kw, ephemeral=private)
