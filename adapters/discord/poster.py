"""The scheduler's way into Discord: post, start a thread, reply in it, DM a user.

Bodies come from render.py unchanged (what `paperbot digest --format discord` prints is what
is sent) and go through discord.py's HTTP client, which handles per-route buckets, 429s and
5xx retries. Every message carries a nonce derived from the core's idempotency key with
`enforce_nonce`, so a send retried after a lost response returns the first message instead
of creating a second. Failures become `DeliveryError`, permanent when retrying cannot help.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord
from discord.http import MultipartParameters

from adapters.discord.render import Body, forum_post_body, reply_bodies, thread_body, with_nonce
from bot.daily.posting import DeliveryError
from bot.model import Place, Reply

log = logging.getLogger(__name__)

FORUM_TYPES = (discord.ChannelType.forum.value, discord.ChannelType.media.value)
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
NEEDED = (
    "View Channel, Send Messages, Embed Links, Create Public Threads, "
    "Send Messages in Threads and Read Message History"
)


def snowflake(value: str | None, what: str) -> int:
    """A Discord id from stored text; anything else can never be delivered."""
    if not value or not value.isdigit():
        raise DeliveryError(f"{what} {value!r} is not a Discord id", permanent=True)
    return int(value)


def _params(payload: Body) -> MultipartParameters:
    return MultipartParameters(payload=payload, multipart=None, files=None)


def delivery_error(exc: BaseException, where: str) -> DeliveryError:
    """Classify a failure: transient (retry later) or permanent (pause and tell the admin)."""
    if isinstance(exc, discord.Forbidden):
        if exc.code == 50007:
            why = "the user does not accept direct messages from the bot"
            return DeliveryError(f"{where}: {why}", permanent=True)
        why = f"missing permission (Discord {exc.code} {exc.text}); the bot needs {NEEDED}"
        return DeliveryError(f"{where}: {why}", permanent=True)
    if isinstance(exc, discord.NotFound):
        return DeliveryError(f"{where}: not found (Discord {exc.code} {exc.text})", permanent=True)
    if isinstance(exc, discord.DiscordServerError | discord.RateLimited):
        return DeliveryError(f"{where}: Discord is unavailable ({exc})", permanent=False)
    if isinstance(exc, discord.HTTPException):
        permanent = 400 <= exc.status < 500 and exc.status != 429
        why = f"Discord refused ({exc.status} {exc.text})"
        return DeliveryError(f"{where}: {why}", permanent=permanent)
    return DeliveryError(f"{where}: network error ({type(exc).__name__}: {exc})", permanent=False)


TRANSIENT = (
    discord.HTTPException,
    discord.RateLimited,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
)


class DiscordPoster:
    """`bot.daily.posting.Poster` for Discord. Needs a logged-in client (REST only; no gateway)."""

    platform = "discord"

    def __init__(self, client: discord.Client, *, concurrency: int = 4) -> None:
        self._client = client
        self._slots = asyncio.Semaphore(concurrency)  # SPEC §8: cap concurrent requests
        self._forums: dict[str, bool] = {}

    async def _call(self, where: str, fn: Any, *args: Any, **kw: Any) -> Any:
        async with self._slots:
            try:
                return await fn(*args, **kw)
            except TRANSIENT as e:
                raise delivery_error(e, where) from e

    async def _send(self, channel_id: str, payload: Body) -> str:
        http = self._client.http
        data = await self._call(
            f"channel {channel_id}",
            http.send_message,
            snowflake(channel_id, "channel"),
            params=_params(payload),
        )
        return str(data["id"])

    async def _send_all(self, channel_id: str, bodies: list[Body], key: str, start: int = 0) -> str:
        ids = []
        for i, body in enumerate(bodies):
            ids.append(await self._send(channel_id, with_nonce(body, key, start + i)))
        return ids[0]

    async def is_forum(self, channel_id: str) -> bool:
        if channel_id not in self._forums:
            data = await self._call(
                f"channel {channel_id}",
                self._client.http.get_channel,
                snowflake(channel_id, "channel"),
            )
            self._forums[channel_id] = data.get("type") in FORUM_TYPES
        return self._forums[channel_id]

    async def post(self, place: Place, reply: Reply, *, key: str) -> str:
        """A top-level message; in a forum channel, a new post (whose id is its thread's)."""
        bodies = reply_bodies(reply)
        if not await self.is_forum(place.channel_id):
            return await self._send_all(place.channel_id, bodies, key)
        name = reply.title or reply.text.strip().split("\n", 1)[0] or "Daily Papers"
        data = await self._call(
            f"forum {place.channel_id}",
            self._client.http.start_thread_in_forum,
            snowflake(place.channel_id, "channel"),
            params=_params(forum_post_body(name, bodies[0])),
        )
        thread_id = str(data["id"])
        if bodies[1:]:
            await self._send_all(thread_id, bodies[1:], key, start=1)
        return thread_id

    async def open_thread(self, place: Place, parent_message_id: str, name: str) -> Place:
        """A thread from the parent (archived after a day idle). Forum posts already are
        threads, and a thread started from a message shares its id, so a resumed run that
        finds the thread already there just uses it."""
        thread = Place(place.platform, place.channel_id, place.workspace_id, parent_message_id)
        if await self.is_forum(place.channel_id):
            return thread
        body = thread_body(name)
        try:
            data = await self._call(
                f"thread in {place.channel_id}",
                self._client.http.start_thread_with_message,
                snowflake(place.channel_id, "channel"),
                snowflake(parent_message_id, "parent message"),
                name=body["name"],
                auto_archive_duration=body["auto_archive_duration"],
            )
        except DeliveryError as e:
            cause = e.__cause__
            if isinstance(cause, discord.HTTPException) and cause.code == THREAD_EXISTS:
                return thread
            raise
        return Place(place.platform, place.channel_id, place.workspace_id, str(data["id"]))

    async def reply_in_thread(self, thread: Place, reply: Reply, *, key: str) -> str:
        snowflake(thread.thread_id, "thread")
        return await self._send_all(thread.thread_id or "", reply_bodies(reply), key)

    async def send_dm(self, workspace_id: str, user_id: str, reply: Reply, *, key: str) -> str:
        user = discord.Object(snowflake(user_id, "user"))
        dm = await self._call(f"DM to {user_id}", self._client.create_dm, user)
        return await self._send_all(str(dm.id), reply_bodies(reply), key)
