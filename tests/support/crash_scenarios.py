"""What a crash-harness child runs: each real writer, on a database file, as the product runs it.

Every scenario takes one JSON-able dict and opens its own connection (so the kill switch of
tests/support/crash.py traces it). Imported by the zygote before it forks, so children start
warm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import deliver_thread
from bot.daily.live import update_live_thread
from bot.daily.periods import parse_period
from bot.daily.roundup import deliver_roundup
from bot.ingest import FetchReport, fetch_day, import_paths
from storage import channels as channel_store
from storage import open_db
from storage import users as user_store
from storage.ledger import Ledger
from tests.fakes.slack.web_api import BOT_TOKEN
from tests.support.core import offline_config


def migrate(p: dict[str, Any]) -> None:
    """`open_db` on a file: every pending migration."""
    open_db(p["db"]).close()


def plan(p: dict[str, Any]) -> None:
    db = open_db(p["db"])
    Ledger(db).plan(p["target"], p["day"], p["items"])
    db.close()


def import_files(p: dict[str, Any]) -> None:
    """`paperbot import` of the given paths; a rejected file must not be half stored."""
    db = open_db(p["db"])
    import_paths(db, p["paths"])
    db.close()


def forget(p: dict[str, Any]) -> None:
    db = open_db(p["db"])
    user_store.forget_user(db, user_store.UserKey(*p["user"]))
    db.close()


def fetch(p: dict[str, Any]) -> None:
    """The scheduler's fetch of one day from (a fake) Hugging Face."""
    config = offline_config(sources={"hf_base_url": p["hf_url"], "arxiv_enrich": False})

    async def go() -> None:
        core = Core.open(config, p["db"])
        try:
            await fetch_day(core, p["day"], FetchReport())
        finally:
            await core.aclose()

    asyncio.run(go())


def deliver(p: dict[str, Any]) -> None:
    """One channel's daily thread through the real Slack poster (slack_sdk) to the fake:
    planning, then sending; run again without a kill, it is the restart."""
    config = offline_config(
        slack={"api_base_url": p["slack_url"]}, summaries={"order": ["hf", "extractive"]}
    )

    async def go() -> None:
        core = Core.open(config, p["db"])
        poster = SlackPoster(make_web_client(config.slack, BOT_TOKEN), min_interval=0.0)
        try:
            row = channel_store.get_channel(core.db, "slack", p["workspace"], p["channel"])
            assert row is not None
            await deliver_thread(core, poster, ChannelSettings.from_row(row), p["day"])
        finally:
            await core.aclose()

    asyncio.run(go())


def live(p: dict[str, Any]) -> None:
    """A later fetch's update of the channel's posted thread (bot/daily/live.py) through the
    real Slack poster, at noon of the thread's day; run again without a kill, the restart."""
    config = offline_config(
        slack={"api_base_url": p["slack_url"]}, summaries={"order": ["hf", "extractive"]}
    )

    async def go() -> None:
        clock = FakeClock(datetime.fromisoformat(p["now"]))
        core = Core.open(config, p["db"], clock=clock)
        client = make_web_client(config.slack, BOT_TOKEN)
        poster = SlackPoster(client, clock, min_interval=0.0)
        try:
            row = channel_store.get_channel(core.db, "slack", p["workspace"], p["channel"])
            assert row is not None
            channel = ChannelSettings.from_row(row)
            await update_live_thread(core, poster, channel, p["day"])
        finally:
            await core.aclose()

    asyncio.run(go())


def roundup(p: dict[str, Any]) -> None:
    """A channel's roundup of `period` through the real poster of `platform` (slack_sdk, or
    discord.py's REST client logged in to the fake), at `now`; run again, the restart."""
    overrides: dict[str, Any] = {"summaries": {"order": ["hf", "extractive"]}}
    if p["platform"] == "slack":
        overrides["slack"] = {"api_base_url": p["slack_url"]}
    else:
        overrides["discord"] = {"api_base_url": p["discord_url"]}
    config = offline_config(**overrides)

    async def go() -> None:
        clock = FakeClock(datetime.fromisoformat(p["now"]))
        core = Core.open(config, p["db"], clock=clock)
        period = parse_period(p["period"], clock.now().date())
        assert period is not None
        try:
            row = channel_store.get_channel(core.db, p["platform"], p["workspace"], p["channel"])
            assert row is not None
            channel = ChannelSettings.from_row(row)
            if p["platform"] == "slack":
                client = make_web_client(config.slack, BOT_TOKEN)
                poster = SlackPoster(client, clock, min_interval=0.0)
                assert await deliver_roundup(core, poster, channel, period) == "sent"
            else:
                await _discord_roundup(core, config, p["discord_token"], channel, period)
        finally:
            await core.aclose()

    asyncio.run(go())


async def _discord_roundup(core: Core, config: Any, token: str, channel: Any, period: Any) -> None:
    import discord

    from adapters.discord.client import configure_sdk
    from adapters.discord.poster import DiscordPoster

    configure_sdk(config)
    client = discord.Client(intents=discord.Intents.none())
    async with client:
        await client.login(token)  # REST only: the poster needs no gateway
        assert await deliver_roundup(core, DiscordPoster(client), channel, period) == "sent"


SCENARIOS: dict[str, Callable[[dict[str, Any]], None]] = {
    "live": live,
    "migrate": migrate,
    "plan": plan,
    "import": import_files,
    "forget": forget,
    "fetch": fetch,
    "deliver": deliver,
    "roundup": roundup,
}
