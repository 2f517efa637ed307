"""What a Discord failure means for the daily thread: retry later, or stop — and stop what.

Pause only what is broken (codes: https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes):
- the configured channel cannot be used — 403 50001 Missing Access (the bot cannot see it),
  403 50013 (a permission is missing), 404 10003 on the channel itself, a forum that refuses
  messages (40058) or wants a tag we cannot give (40067) — pauses the channel (`scope="channel"`);
- the day's thread is gone — its parent message deleted (10008) or the thread deleted (10003 on
  the thread) — skips that day (`scope="day"`);
- Discord refused one body (400 50035 Invalid Form Body, or another 4xx about the message)
  skips that item (`scope="item"`);
- 429, 5xx, timeouts and network errors are transient: the engine retries.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import aiohttp
import discord

from bot.daily.posting import DeliveryError

Into = Literal["channel", "thread", "dm"]  # where a request goes: what a 10003 there means

THREAD_EXISTS = 160004  # "A thread has already been created for this message"
UNKNOWN_CHANNEL, UNKNOWN_MESSAGE = 10003, 10008
CANNOT_DM = 50007
CHANNEL_CODES = frozenset({50001, 50013, 40058, 40067, 50008})  # the channel, not the message
NEEDED = (
    "View Channel, Send Messages, Embed Links, Create Public Threads, "
    "Send Messages in Threads and Read Message History"
)
TRANSIENT = (
    discord.HTTPException,
    discord.RateLimited,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
)


def delivery_error(exc: BaseException, where: str, into: Into = "channel") -> DeliveryError:
    """Classify a failure of a request to `where` (a channel, the day's thread, or a DM)."""
    if isinstance(exc, discord.Forbidden):
        if exc.code == CANNOT_DM:
            why = "the user does not accept direct messages from the bot"
            return DeliveryError(f"{where}: {why}", permanent=True, scope="item")
        why = f"missing permission (Discord {exc.code} {exc.text}); the bot needs {NEEDED}"
        return DeliveryError(f"{where}: {why}", permanent=True)
    if isinstance(exc, discord.NotFound):
        return _not_found(exc, where, into)
    if isinstance(exc, discord.DiscordServerError | discord.RateLimited):
        return DeliveryError(f"{where}: Discord is unavailable ({exc})", permanent=False)
    if isinstance(exc, discord.HTTPException):
        why = f"Discord refused ({exc.status}, code {exc.code}: {' '.join(exc.text.split())})"
        if not 400 <= exc.status < 500 or exc.status == 429:
            return DeliveryError(f"{where}: {why}", permanent=False)
        scope = "channel" if exc.code in CHANNEL_CODES else "item"
        return DeliveryError(f"{where}: {why}", permanent=True, scope=scope)
    return DeliveryError(f"{where}: network error ({type(exc).__name__}: {exc})", permanent=False)


def _not_found(exc: discord.NotFound, where: str, into: Into) -> DeliveryError:
    if exc.code == UNKNOWN_MESSAGE:
        why = "the day's parent message was deleted"
        return DeliveryError(f"{where}: {why} (Discord 10008)", permanent=True, scope="day")
    if exc.code == UNKNOWN_CHANNEL and into == "thread":
        why = "the day's thread was deleted"
        return DeliveryError(f"{where}: {why} (Discord 10003)", permanent=True, scope="day")
    if into == "dm":
        return DeliveryError(f"{where}: not found ({exc.text})", permanent=True, scope="item")
    return DeliveryError(f"{where}: not found (Discord {exc.code} {exc.text})", permanent=True)
