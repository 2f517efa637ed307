"""The "Paper card" message command: right-click a message → Apps → Paper card, and only you
get the cards of the arXiv / Hugging Face paper links in it (`bot/commands/pasted.py`).

A message command is an application command of type 3 (MESSAGE); its name may be mixed case
with spaces, and it has no description and no options
(https://discord.com/developers/docs/interactions/application-commands#message-commands).
Its interaction carries the target message, content included, in `data.resolved.messages`
under `data.target_id` (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-resolved-data-structure),
so no MESSAGE_CONTENT intent is needed: the intent only governs messages received over the
gateway (https://discord.com/developers/docs/events/gateway#message-content-intent).
The answer is deferred first (a paper not stored is looked up and summarised) and ephemeral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from adapters.discord.interactions import send_replies
from bot.commands.pasted import pasted_reply

if TYPE_CHECKING:
    from bot.core import Core

PAPER_CARD = "Paper card"


def paper_card_menu(core: Core) -> app_commands.ContextMenu:
    """The context-menu command, installed and usable where `/papers` is."""

    async def paper_card(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await send_replies(interaction, [await pasted_reply(core, message.content)], True)

    return app_commands.ContextMenu(
        name=PAPER_CARD,
        callback=paper_card,
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=False
        ),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
    )
