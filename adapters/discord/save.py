"""The Save button's press on Discord: the card's paper into the presser's library.

A press is answered statelessly: the button's `custom_id` (`paperbot:save:<arXiv id>`) says
everything, so `on_component` (called from the client's `on_interaction`) handles presses on
messages posted by any earlier run — persistent across restarts, nothing to re-register.
A press is `/papers save <id>` for the presser, through the same `answer` as the typed
command: the same row, the same private answer ("Saved …" / "… already saved …").

Discord drops a component interaction not answered within 3 seconds
(https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction);
saving is one SQLite insert (the card's paper is stored), so the press gets `answer`'s head start
and is deferred (ephemerally) only if it has not finished within it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from adapters.discord.cards import saved_paper_id
from adapters.discord.interactions import answer

if TYPE_CHECKING:
    from bot.core import Core


async def on_component(core: Core, interaction: discord.Interaction) -> bool:
    """Answer a press on a Save button; False when the interaction is not one."""
    if interaction.type is not discord.InteractionType.component:
        return False
    paper_id = saved_paper_id(str((interaction.data or {}).get("custom_id") or ""))
    if paper_id is None:
        return False
    await answer(core, interaction, "save", paper_id, press=True)
    return True
