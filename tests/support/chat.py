"""Talking to the memory adapter from a test: one command, exactly one reply."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from bot.model import Reply


async def one(bot: MemoryAdapter, text: str, **kw: object) -> Reply:
    """The single reply to `text`; a test fails when a command answers with more or none."""
    replies = await bot.push(text, **kw)  # type: ignore[arg-type]
    assert len(replies) == 1, replies
    return replies[0]
