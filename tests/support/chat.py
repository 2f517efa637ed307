"""Talking to the memory adapter from a test: one command, exactly one reply."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from adapters.memory import MemoryAdapter
from bot.model import Reply


async def one(bot: MemoryAdapter, text: str, **kw: object) -> Reply:
    """The single reply to `text`; a test fails when a command answers with more or none."""
    replies = await bot.push(text, **kw)  # type: ignore[arg-type]
    assert len(replies) == 1, replies
    return replies[0]


async def until(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll `check` on this event loop until it holds (what a fake or the bot does happens on
    other tasks; an in-memory database belongs to this loop's thread)."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)
