"""Discord's Share button: a button under a private (ephemeral) card; its click is a message
component interaction, answered as `/papers show <id> share`.

The button is a `DynamicItem` (discord.py's persistent, id-parsed item): its `custom_id`
(`paperbot:share:<id>`, the id every platform uses) carries the paper, so a click is handled
after a restart too, with no view kept in memory. The click goes through the same `answer`
as a slash command (`PaperbotClient.on_share_click`): deferred (ephemeral) before the work,
the card posted through the client's poster, the clicker alone told (https://discord.com/developers/docs/interactions/
receiving-and-responding#responding-to-an-interaction: a component interaction may answer
with a message, type 4, or a deferred one, type 5).
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.commands.share import SHARE_PREFIX, share_action_id
from bot.model import Reply

LABEL = "Share to channel"


class ShareButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.compile("^" + re.escape(SHARE_PREFIX) + r"(?P<paper>[\w./-]{1,40})$"),
):
    def __init__(self, paper_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=LABEL,
                style=discord.ButtonStyle.secondary,
                custom_id=share_action_id(paper_id),
            )
        )
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ShareButton:
        return cls(match["paper"])

    async def callback(self, interaction: discord.Interaction) -> Any:
        # the client answers it as a command (`PaperbotClient.on_share_click`): this module
        # sits below the interactions module, which renders these buttons
        on_click = getattr(interaction.client, "on_share_click", None)
        if on_click is not None:
            await on_click(interaction, self.paper_id)


def share_view(reply: Reply) -> discord.ui.View | None:
    """The Share buttons of a private, shareable reply (one per card); None otherwise."""
    if not (reply.shareable and reply.private and reply.cards):
        return None
    view = discord.ui.View(timeout=None)
    for card in reply.cards[:5]:  # a row holds five buttons
        view.add_item(ShareButton(card.paper_id))
    return view
