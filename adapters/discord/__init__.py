"""The Discord adapter (discord.py 2.x).

Pure seams — `render` (neutral replies → Discord message bodies), `escape`, `limits`,
`invite` — import no SDK, so `paperbot digest --format discord` works without discord.py.
`client`, `commands`, `interactions` and `poster` import discord.py.
"""
