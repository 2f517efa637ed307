"""The "More like this" button on Discord cards: a click is `/papers similar <id>` for the
member who clicked, answered ephemerally (only they see it; the card stays as it was).

A click arrives as an INTERACTION_CREATE of type 3 (MESSAGE_COMPONENT) whose `data.custom_id`
is the button's (https://discord.com/developers/docs/interactions/receiving-and-responding);
it goes through the same `answer` as a slash command, which defers it within Discord's three
seconds and sends the replies as follow-ups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from adapters.discord.cards import SIMILAR_ID, button_paper_id
from adapters.discord.interactions import answer

if TYPE_CHECKING:
    from bot.core import Core


def clicked_paper(interaction: discord.Interaction) -> str | None:
    """The paper id of a "More like this" click, else None (any other interaction)."""
    if interaction.type != discord.InteractionType.component:
        return None
    return button_paper_id(str((interaction.data or {}).get("custom_id") or ""), SIMILAR_ID)


async def on_component(core: Core, interaction: discord.Interaction) -> bool:
    """Answer a "More like this" click; False when the interaction is not one."""
    paper_id = clicked_paper(interaction)
    if paper_id is None:
        return False
    await answer(core, interaction, "similar", paper_id)
    return True
