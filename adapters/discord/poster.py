"""The scheduler's way into Discord: post, start a thread, reply in it, DM a user.

Bodies come from render.py unchanged (what `paperbot digest --format discord` prints is what
is sent) and go through discord.py's HTTP client, which handles per-route buckets, 429s and
5xx retries.

Exactly once, even across restarts. Every message carries a nonce derived from its ledger
key with `enforce_nonce`, so a send retried after a lost answer returns the first message —
but Discord remembers a nonce only "in the past few minutes"
(https://discord.com/developers/docs/resources/message#create-message). So every message also
shows a ref derived from the same key, and before the first send of an `attempted` key (an
earlier try may have reached Discord) into a channel, thread or DM this process has not written
to yet, the poster reads it back (`GET /channels/{id}/messages`) and skips each part already
there under our own author id; after a failed send it reads again. A key never tried is not
looked for: a fresh fan-out spends none of the global request budget on reads.
Messages the bot sends stay readable without the Message Content intent ("content in messages
that an app sends": https://discord.com/developers/docs/events/gateway#message-content-intent).
Forum posts take no nonce: an earlier post is found among the guild's active threads (owner
us, same name) before a new one is made.

Failures become `DeliveryError` (errors.py says which are permanent, and what they stop).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord.http import MultipartParameters, Route

from adapters.discord.edits import (
    EDIT_INTERVAL,
    REQUEST_INTERVAL,
    Pace,
    edit_payload,
    image_params,
)
from adapters.discord.errors import THREAD_EXISTS, TRANSIENT, Into, delivery_error
from adapters.discord.forum import forum_tags
from adapters.discord.render import (
    Body,
    forum_post_body,
    message_ref,
    reply_bodies,
    shown_refs,
    thread_body,
    thread_name,
    with_nonce,
)
from bot.clock import Clock, SystemClock
from bot.daily.posting import DeliveryError, Image
from bot.daily.thread import thread_name as day_thread_name
from bot.model import Place, Reply

log = logging.getLogger(__name__)

FORUM_TYPES = (discord.ChannelType.forum.value, discord.ChannelType.media.value)
HISTORY_PAGE = 100  # Get Channel Messages returns at most 100 a call
THREAD_PAGES = 10  # a day's thread is read back whole, up to 1,000 messages
Seen = dict[str, str]  # ref → message id


def snowflake(value: str | None, what: str) -> int:
    """A Discord id from stored text; anything else can never be delivered."""
    if not value or not value.isdigit():
        raise DeliveryError(f"{what} {value!r} is not a Discord id", permanent=True)
    return int(value)


def _params(payload: Body) -> MultipartParameters:
    return MultipartParameters(payload=payload, multipart=None, files=None)


class DiscordPoster:
    """`bot.daily.posting.Poster` for Discord. Needs a logged-in client (REST only; no gateway)."""

    platform = "discord"

    def __init__(
        self,
        client: discord.Client,
        *,
        concurrency: int = 4,
        forum_tag: str = "",
        clock: Clock | None = None,
        edit_interval: float = EDIT_INTERVAL,
        request_interval: float = REQUEST_INTERVAL,
    ) -> None:
        self._client = client
        self._slots = asyncio.Semaphore(concurrency)  # SPEC §8: cap concurrent requests
        clock = clock or SystemClock()
        self.request_pace = Pace(clock, request_interval)  # the global limit (edits.py)
        self.edit_pace = Pace(clock, edit_interval)
        self._channels: dict[str, dict[str, Any]] = {}
        self._seen: dict[str, Seen] = {}  # channel/thread/DM → our refs there
        self._forum_tag = forum_tag

    async def _call(self, where: str, into: Into, fn: Any, *args: Any, **kw: Any) -> Any:
        async with self._slots:
            await self.request_pace.wait()
            try:
                return await fn(*args, **kw)
            except TRANSIENT as e:
                raise delivery_error(e, where, into) from e

    @property
    def _me(self) -> str:
        user = self._client.user
        return str(user.id) if user else ""

    # --- reading back ---------------------------------------------------------------------
    async def _read_back(self, channel_id: str, into: Into) -> Seen:
        """Our refs in a channel, thread or DM: the newest page of a channel or DM (a parent or
        a DM is recent), a thread whole."""
        if channel_id in self._seen:
            return self._seen[channel_id]
        seen: Seen = {}
        before: int | None = None
        for _ in range(THREAD_PAGES if into == "thread" else 1):
            page = await self._call(
                f"reading {channel_id} back",
                into,
                self._client.http.logs_from,
                snowflake(channel_id, "channel"),
                HISTORY_PAGE,
                before=before,
            )
            for msg in page:
                if str((msg.get("author") or {}).get("id")) == self._me:
                    seen.update(dict.fromkeys(shown_refs(msg), str(msg["id"])))
            if len(page) < HISTORY_PAGE:
                break
            before = int(page[-1]["id"])
        self._seen[channel_id] = seen
        return seen

    # --- sending --------------------------------------------------------------------------
    async def _send(self, channel_id: str, payload: Body, into: Into) -> str:
        data = await self._call(
            f"channel {channel_id}",
            into,
            self._client.http.send_message,
            snowflake(channel_id, "channel"),
            params=_params(payload),
        )
        return str(data["id"])

    async def _send_all(
        self,
        channel_id: str,
        bodies: list[Body],
        key: str,
        into: Into,
        *,
        attempted: bool,
        start: int = 0,
    ) -> str:
        """Send the parts not already there; return the first part's id."""
        seen = await self._known(channel_id, into, attempted)
        ids = []
        for i, body in enumerate(bodies, start):
            ref = message_ref(key, i)
            if ref not in seen:
                try:
                    seen[ref] = await self._send(channel_id, with_nonce(body, key, i), into)
                except BaseException:  # stored or not? only reading back again can tell
                    self._seen.pop(channel_id, None)
                    raise
            ids.append(seen[ref])
        return ids[0]

    async def _known(self, channel_id: str, into: Into, attempted: bool) -> Seen:
        """Our refs in the channel: read back for an attempted key, else what this process
        already knows (a key never tried has nothing there to find)."""
        if attempted:
            return await self._read_back(channel_id, into)
        return self._seen.get(channel_id, {})

    async def _channel(self, channel_id: str) -> dict[str, Any]:
        if channel_id not in self._channels:
            self._channels[channel_id] = await self._call(
                f"channel {channel_id}",
                "channel",
                self._client.http.get_channel,
                snowflake(channel_id, "channel"),
            )
        return self._channels[channel_id]

    async def is_forum(self, channel_id: str) -> bool:
        return (await self._channel(channel_id)).get("type") in FORUM_TYPES

    # --- Poster ---------------------------------------------------------------------------
    async def post(self, place: Place, reply: Reply, *, key: str, attempted: bool = True) -> str:
        """A top-level message; in a forum channel, a new post (whose id is its thread's)."""
        bodies = reply_bodies(reply, key=key)
        if not await self.is_forum(place.channel_id):
            return await self._send_all(
                place.channel_id, bodies, key, "channel", attempted=attempted
            )
        name = reply.title or reply.text.strip().split("\n", 1)[0] or "Daily Papers"
        if reply.headline is not None:  # a day's parent: the name its thread gets elsewhere
            name = day_thread_name(reply.headline.day)
        name = thread_name(name)
        thread_id = await self._forum_post_named(place, name) if attempted else None
        if thread_id is None:
            thread_id = await self._new_forum_post(place, name, bodies[0], key)
        if bodies[1:]:
            await self._send_all(thread_id, bodies[1:], key, "thread", attempted=attempted, start=1)
        return thread_id

    async def _forum_post_named(self, place: Place, name: str) -> str | None:
        """Our earlier post of that name in this forum, if a crash left one behind."""
        data = await self._call(
            f"active threads of {place.workspace_id}",
            "channel",
            self._client.http.get_active_threads,
            snowflake(place.workspace_id, "guild"),
        )
        for t in data.get("threads", []):
            ours = str(t.get("owner_id")) == self._me and t.get("name") == name
            if ours and str(t.get("parent_id")) == place.channel_id:
                return str(t["id"])
        return None

    async def _new_forum_post(self, place: Place, name: str, first: Body, key: str) -> str:
        body = forum_post_body(name, first)
        forum = await self._channel(place.channel_id)
        tags = forum_tags(forum, self._forum_tag)
        if tags is None:
            why = (
                "the forum requires a tag and has none to use; add a tag named like "
                "'papers', or name one in discord.forum_tag"
            )
            raise DeliveryError(f"forum {place.channel_id}: {why}", permanent=True)
        if tags:
            body["applied_tags"] = tags
        data = await self._call(
            f"forum {place.channel_id}",
            "channel",
            self._client.http.start_thread_in_forum,
            snowflake(place.channel_id, "channel"),
            params=_params(body),
        )
        thread_id = str(data["id"])
        self._seen[thread_id] = {message_ref(key, 0): thread_id}  # the starter message
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
                "channel",
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
        self._seen[str(data["id"])] = {}  # a thread just started holds nothing of ours yet
        return Place(place.platform, place.channel_id, place.workspace_id, str(data["id"]))

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        snowflake(thread.thread_id, "thread")
        bodies = reply_bodies(reply, key=key)
        thread_id = thread.thread_id or ""
        return await self._send_all(thread_id, bodies, key, "thread", attempted=attempted)

    async def edit(self, place: Place, message_id: str, reply: Reply, *, key: str) -> None:
        """Edit Message with the reply's first body (its ref kept, so reading back still finds
        it). A forum post's parent is its thread's starter message, which has the thread's id."""
        channel_id = place.thread_id or place.channel_id
        if place.thread_id is None and await self.is_forum(place.channel_id):
            channel_id = message_id
        payload = edit_payload(reply_bodies(reply, key=key)[0])
        into: Into = "thread" if place.thread_id else "channel"
        await self.edit_pace.wait()
        await self._call(
            f"edit in {channel_id}",
            into,
            self._client.http.edit_message,
            snowflake(channel_id, "channel"),
            snowflake(message_id, "message"),
            params=_params(payload),
        )

    async def post_image(
        self, place: Place, reply: Reply, image: Image, *, key: str, attempted: bool = True
    ) -> str:
        """One message carrying the image as a multipart attachment (alt text in its
        `description`), shown in the first embed; found again by its ref after a crash."""
        body = reply_bodies(reply, key=key)[0]
        seen = await self._known(place.channel_id, "channel", attempted)
        ref = message_ref(key, 0)
        if ref not in seen:
            params = image_params(with_nonce(body, key, 0), image)
            try:
                data = await self._call(
                    f"channel {place.channel_id}",
                    "channel",
                    self._client.http.send_message,
                    snowflake(place.channel_id, "channel"),
                    params=params,
                )
            except BaseException:
                self._seen.pop(place.channel_id, None)
                raise
            seen[ref] = str(data["id"])
        return seen[ref]

    async def share_image(
        self, place: Place, parent_id: str, image: Image, *, key: str, attempted: bool
    ) -> str:
        """The image is the parent's own attachment (post_image): nothing more to send."""
        return parent_id

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        dm = await self._call(
            f"DM to {user_id}",
            "dm",
            self._client.http.request,
            Route("POST", "/users/@me/channels"),
            json={"recipient_id": str(snowflake(user_id, "user"))},  # a snowflake is a string
        )
        bodies = reply_bodies(reply, key=key)
        return await self._send_all(str(dm["id"]), bodies, key, "dm", attempted=attempted)
