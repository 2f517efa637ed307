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
import hashlib
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from adapters.discord.commands import build_papers_group
from adapters.discord.discover import on_component as on_similar
from adapters.discord.interactions import answer
from adapters.discord.invite import GATEWAY_INTENTS
from adapters.discord.paper_card import PAPER_CARD, paper_card_menu
from adapters.discord.poster import DiscordPoster
from adapters.discord.save import on_component as on_save
from adapters.discord.share_button import ShareButton
from adapters.discord.votes import reaction_vote
from bot.commands.share import SHARE_WORD
from bot.commands.spec import APOLOGY
from bot.config import Config
from storage import app_state

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
            # GUILD_MESSAGE_REACTIONS (not privileged): 👍/👎 on papers are votes (votes.py)
            intents=discord.Intents(**dict.fromkeys(GATEWAY_INTENTS, True)),
            allowed_mentions=discord.AllowedMentions.none(),  # pings only when a send says so
        )
        self.core = core
        self.config = config
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(build_papers_group(core))
        self.tree.add_command(paper_card_menu(core))  # right-click a message → Paper card
        self.tree.on_error = self._on_command_error  # type: ignore[method-assign]
        self.poster = DiscordPoster(self, forum_tag=config.discord.forum_tag)
        self._on_ready = on_ready
        self.add_dynamic_items(ShareButton)  # Share buttons, clicked even after a restart

    async def on_share_click(self, interaction: discord.Interaction, paper_id: str) -> None:
        """A Share button's click, answered as `/papers show <id> share`."""
        await answer(self.core, interaction, "show", f"{paper_id} {SHARE_WORD}")

    async def setup_hook(self) -> None:
        """After login, before the gateway: sync commands, hand out the poster (REST works
        from here on, so a scheduler started now on this loop can already post)."""
        await sync_commands(self, self.config)
        if self._on_ready is not None:
            self._on_ready(self.poster)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button presses (slash commands go through the command tree instead): Save, then
        More like this; each answers only its own buttons."""
        if not await on_save(self.core, interaction):
            await on_similar(self.core, interaction)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        reaction_vote(self.core, payload, added=True)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        reaction_vote(self.core, payload, added=False)

    async def _on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error("command failed: %s", error, exc_info=error)
        text = APOLOGY
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)


async def sync_commands(client: PaperbotClient, config: Config) -> None:
    """To the listed guilds (visible at once) or globally (Discord may take a while).

    Never stops start-up: a guild that refuses (403 50001 when the bot is not in it or was
    invited without `applications.commands`, a 5xx) is logged and skipped. A scope whose
    payload is the one last synced there is not sent again: Discord allows 200 command
    creates a day per guild (https://discord.com/developers/docs/interactions/application-commands).
    """
    tree = client.tree
    guild_ids = config.discord.guild_ids
    for gid in guild_ids or [None]:
        guild = discord.Object(gid) if gid is not None else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        await _sync_scope(client, guild)
    if guild_ids:
        await offer_global_cleanup(client, clear=config.discord.clear_global_commands)


async def _sync_scope(client: PaperbotClient, guild: discord.Object | None) -> None:
    scope = "global" if guild is None else f"guild {guild.id}"
    payload = [c.to_dict(client.tree) for c in client.tree.get_commands(guild=guild)]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    key = f"discord.commands:{client.application_id}:{scope}"
    if app_state.get(client.core.db, key) == digest:
        log.info("commands for %s unchanged since the last sync; not sent again", scope)
        return
    try:
        synced = await client.tree.sync(guild=guild)
    except discord.HTTPException as e:
        log.warning("could not sync /papers to %s (%s); skipped, the bot runs on", scope, e)
        return
    app_state.put(client.core.db, key, digest)
    log.info("synced %d commands to %s", len(synced), scope)


async def offer_global_cleanup(client: PaperbotClient, *, clear: bool) -> None:
    """In guild mode, a global /papers from an earlier run would show every member /papers
    twice: say so, and delete it when `discord.clear_global_commands` is set."""
    app_id = client.application_id
    try:
        ours = ("papers", PAPER_CARD)
        found = [c for c in await client.http.get_global_commands(app_id) if c["name"] in ours]
        if found and clear:
            for command in found:
                await client.http.delete_global_command(app_id, command["id"])
            log.info("deleted the global /papers left by an earlier run without guild_ids")
        elif found:
            log.warning(
                "a global /papers from an earlier run without guild_ids is still registered, "
                "so members see /papers twice; set discord.clear_global_commands = true to "
                "delete it"
            )
    except discord.HTTPException as e:
        log.warning("could not check for a global /papers (%s)", e)


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
