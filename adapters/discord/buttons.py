"""Card buttons as discord.py views, for answers sent through an interaction.

Bodies the poster sends carry their `components` as JSON; an interaction answer goes through
discord.py, which takes buttons only as a `View`, so `view_for` rebuilds the same rows. The
view is stopped before it is sent: discord.py then does not keep it in memory waiting for
presses (one per reply, forever). Presses are answered statelessly by `save.on_component`.
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.cards import LINK_STYLE


def view_for(rows: list[dict[str, Any]]) -> discord.ui.View:
    """The rendered action rows as a (stopped) view with the same buttons, row by row."""
    view = discord.ui.View(timeout=None)
    for r, row in enumerate(rows):
        for b in row.get("components", []):
            if b.get("style") == LINK_STYLE:
                item = discord.ui.Button(
                    style=discord.ButtonStyle.link, label=b.get("label"), url=b["url"], row=r
                )
            else:
                item = discord.ui.Button(
                    style=discord.ButtonStyle(b.get("style", 2)),
                    label=b.get("label"),
                    custom_id=b["custom_id"],
                    row=r,
                )
            view.add_item(item)
    view.stop()  # presses are answered by `save.on_component`, not by this object
    return view
