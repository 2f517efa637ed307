"""Running the real adapter (`run_discord`) against the fake, for tests.

The product is configured only through its config: the fake's base URL and a token in an
environment variable. Nothing in the product is patched.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.discord.client import run_discord
from bot.config import Config
from bot.core import Core
from tests.fakes.discord.rest import FakeDiscord

TOKEN_ENV = "PAPERBOT_TEST_DISCORD_TOKEN"


def discord_config(
    fake: FakeDiscord, base: Config, *, guild: bool = True, **discord: Any
) -> Config:
    """`base` with a [discord] section pointing at the fake; `discord` overrides its keys."""
    data = base.model_dump()
    data["discord"] = {
        "token_env": TOKEN_ENV,
        "api_base_url": fake.api_base,
        "guild_ids": [int(fake.guild_id)] if guild else [],
        **discord,
    }
    return Config.model_validate(data)


@dataclass
class RunningBot:
    fake: FakeDiscord
    core: Core
    poster: Any
    task: asyncio.Task[None]

    async def connected(self) -> None:
        """Wait until the client has identified on the fake gateway."""
        await self.fake.until(lambda: any(s.identify for s in self.fake.hub.sessions))


async def _interactions_settled() -> None:
    """Let answers already in flight finish (discord.py runs each in a task of this name), so
    stopping the client does not cut a follow-up off mid-request."""
    pending = [t for t in asyncio.all_tasks() if t.get_name() == "CommandTree-invoker"]
    if pending:
        await asyncio.wait(pending, timeout=10)


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    *,
    guild: bool = True,
    **discord: Any,
) -> AsyncIterator[RunningBot]:
    """`run_discord` in a task; yields once logged in (the poster is usable), then cancels it
    and checks it stopped cleanly. Each run is a new client: a new process, as far as the
    poster's memory goes."""
    monkeypatch.setenv(TOKEN_ENV, fake.token)
    config = discord_config(fake, core.config, guild=guild, **discord)
    got_poster: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(run_discord(core, config, on_ready=got_poster.set_result))
    done, _ = await asyncio.wait({task, got_poster}, timeout=20, return_when="FIRST_COMPLETED")
    if got_poster not in done:
        task.cancel()
        raise AssertionError(
            f"bot did not log in: {task.exception() if task.done() else 'timeout'}"
        )
    bot = RunningBot(fake, core, got_poster.result(), task)
    try:
        yield bot
        await _interactions_settled()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await fake.until(lambda: not fake.hub.sessions)
