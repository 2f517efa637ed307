"""Running paperbot on Discord: the discord.py client, command sync, and a clean stop.

discord.py takes its REST base from `discord.http.Route.BASE` (a class attribute, also used by
interaction webhooks), so the adapter sets it from `config.discord.api_base_url`; that is the
one way to point the SDK elsewhere, and how tests reach a loopback fake. The gateway URL then
comes from `GET /gateway/bot`, which discord.py asks for when the client is an
`AutoShardedClient` (a plain `Client` would always dial gateway.discord.gg).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from adapters.discord.commands import build_papers_group
from adapters.discord.poster import DiscordPoster
from bot.config import Config

if TYPE_CHECKING:
    from bot.core import Core
    from bot.daily.posting import Poster

log = logging.getLogger(__name__)

OnReady = Callable[["Poster"], None]
STOP_ATTEMPTS = 20
STOP_RETRY_SECONDS = 0.5


class MissingToken(RuntimeError):
    """No bot token in the configured environment variable."""


class PaperbotClient(discord.AutoShardedClient):
    """The bot: `/papers` commands answered by the core, posting for the scheduler."""

    def __init__(self, core: Core, config: Config, on_ready: OnReady | None = None):
        # paperbot never joins voice: discord.py's "PyNaCl/davey not installed" warnings
        # would only alarm whoever reads the log.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),  # pings only when a send says so
        )
        self.core = core
        self.config = config
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(build_papers_group(core))
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        self.poster = DiscordPoster(self)
        self._on_ready = on_ready

    async def setup_hook(self) -> None:
        """After login, before the gateway: sync commands, hand out the poster (REST works
        from here on, so a scheduler started now on this loop can already post)."""
        await sync_commands(self.tree, self.config.discord.guild_ids)
        if self._on_ready is not None:
            self._on_ready(self.poster)

    async def _on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error("command failed: %s", error, exc_info=error)
        text = "Sorry, something went wrong on our side; it has been logged."
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)


async def sync_commands(tree: app_commands.CommandTree, guild_ids: list[int]) -> None:
    """To the listed guilds (visible at once) or globally (Discord may take a while)."""
    if not guild_ids:
        synced = await tree.sync()
        log.info("synced %d global commands", len(synced))
        return
    for gid in guild_ids:
        guild = discord.Object(gid)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        log.info("synced %d commands to guild %s", len(synced), gid)


def configure_sdk(config: Config) -> None:
    """Point discord.py's REST (and webhook) requests at `config.discord.api_base_url`."""
    discord.http.Route.BASE = config.discord.api_base_url.rstrip("/")


async def run_discord(core: Core, config: Config, on_ready: OnReady | None = None) -> None:
    """Log in, connect, answer commands until cancelled; always close the client.

    `on_ready(poster)` is called from `setup_hook`, on this loop, once logged in — e.g. to
    register the poster with the scheduler (same contract as `run_slack`).
    """
    token = config.discord.token()
    if not token:
        raise MissingToken(f"set ${config.discord.token_env} to the bot token")
    configure_sdk(config)
    client = PaperbotClient(core, config, on_ready)
    runner = asyncio.create_task(_serve(client, token), name="paperbot discord")
    try:
        await asyncio.shield(runner)  # its own failure (bad token…) is raised here
    finally:
        await _stop(runner)
        if not client.is_closed():
            await client.close()


async def _serve(client: PaperbotClient, token: str) -> None:
    async with client:
        await client.start(token, reconnect=True)


async def _stop(runner: asyncio.Task[None]) -> None:
    """Cancel until it has stopped. discord.py connects under `asyncio.wait_for`, which on
    Python 3.11 can swallow a cancellation that lands just as the connection completes; a
    single `cancel()` then leaves the client running, so it is repeated."""
    for _ in range(STOP_ATTEMPTS):
        if runner.done():
            break
        runner.cancel()
        await asyncio.wait({runner}, timeout=STOP_RETRY_SECONDS)
    if runner.done() and not runner.cancelled() and runner.exception() is not None:
        log.debug("discord client ended while stopping", exc_info=runner.exception())
