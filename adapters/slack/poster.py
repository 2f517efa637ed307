"""The scheduler's way into Slack: parent messages, thread replies and DMs (the `Poster` port).

Messages to one channel go out one at a time, at most one per `min_interval` seconds (Slack's
~1 message/s per channel), timed with the injected clock. Each message carries metadata
(`paperbot_item`: key, day, paper id, part) because Slack has no idempotency key of its own.

Exactly once, even when answers are lost: chat.postMessage goes through a client that
resends only after a 429 (never stored); any other failure surfaces as a transient
DeliveryError and the delivery engine sends again with the same key, `attempted`. Only an
attempted key can already be there, so only then is the platform read: the channel's recent
history for a top-level message or DM, the thread for a reply (once per thread, and again
after any failed send). A fresh fan-out reads nothing. Reads (Tier 3) are paced per method
on the injected clock (`MethodBuckets`), so a resumed fan-out to many channels does not burst.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from adapters.slack.edits import EDIT_INTERVAL, edit_error, edit_turn, upload_image
from adapters.slack.errors import delivery_error, readback_verdict
from adapters.slack.readback import (
    HISTORY_LIMIT,
    MethodBuckets,
    Part,
    shared_file_id,
    thread_parts,
    top_level_ts,
)
from adapters.slack.render import Body, item_metadata, post_body, render_reply
from adapters.slack.web_client import make_web_client, posting_client
from bot.clock import Clock, SystemClock
from bot.daily.posting import DeliveryError, Image
from bot.model import Place, Reply

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import Config

log = logging.getLogger(__name__)
T = TypeVar("T")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def metadata_for(key: str, reply: Reply, part: int = 0) -> dict[str, Any]:
    """`paperbot_item` metadata: the ledger key, its day (when the key starts with one) and
    the paper id of a one-card reply."""
    head = key.split(":", 1)[0]
    day = head if _DAY.match(head) else ""
    paper_id = reply.cards[0].paper_id if len(reply.cards) == 1 else ""
    return item_metadata(key, day, paper_id, part)


class SlackPoster:
    platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        clock: Clock | None = None,
        *,
        min_interval: float = 1.0,
        history_limit: int = HISTORY_LIMIT,
        edit_interval: float = EDIT_INTERVAL,
    ) -> None:
        self.client = client  # reads, Bolt and command replies: retries 5xx and reconnects
        self.post_client = posting_client(client)  # chat.postMessage: retries 429s only
        self.clock: Clock = clock or SystemClock()
        self.min_interval = min_interval
        self.history_limit = history_limit
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_sent: dict[str, float] = {}
        self._dm_channels: dict[str, str] = {}
        self._threads: dict[tuple[str, str], dict[Part, str]] = {}
        self._top_level: dict[tuple[str, str], str] = {}  # (channel, key) → ts, this process
        self._unreadable: set[str] = set()
        self.reads = MethodBuckets(self.clock)  # Tier 3 reads, per method, this workspace
        self.edit_interval = edit_interval
        self.edit_lock = asyncio.Lock()
        self.last_edit: float | None = None

    @classmethod
    def from_config(cls, config: Config, clock: Clock | None = None) -> SlackPoster:
        token = config.slack.bot_token()
        if not token:
            raise ValueError(f"Slack needs a bot token in ${config.slack.bot_token_env}")
        return cls(make_web_client(config.slack, token), clock)

    # --- Poster -------------------------------------------------------------------------
    async def post(self, place: Place, reply: Reply, *, key: str, attempted: bool = True) -> str:
        """Top-level message; parts after the first (a very long reply) go into its thread."""
        return await self._send_top_level(place.channel_id, reply, key, attempted)

    async def open_thread(self, place: Place, parent_message_id: str, name: str) -> Place:
        """Slack threads need no call: replies just carry the parent's ts."""
        return Place(place.platform, place.channel_id, place.workspace_id, parent_message_id)

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        if not thread.thread_id:
            raise DeliveryError("Slack thread reply without a parent ts", permanent=True)
        parts = list(enumerate(render_reply(reply)))
        channel, ts = thread.channel_id, thread.thread_id
        return await self._send_in_thread(channel, ts, reply, key, parts, attempted)

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        channel = await self._dm_channel(user_id)
        return await self._send_top_level(channel, reply, key, attempted)

    async def edit(self, place: Place, message_id: str, reply: Reply, *, key: str) -> None:
        """chat.update of the message's first part, under the same metadata. Edits are spaced
        by `edit_interval` across the workspace (Tier 3) and never take a channel's turn, so
        posts are not held up by them."""
        message = render_reply(reply)[0]
        body = {"channel": place.channel_id, "ts": message_id, **message, "link_names": False}
        body["metadata"] = metadata_for(key, reply)
        await edit_turn(self)
        try:
            await self.post_client.chat_update(**body)
        except Exception as e:
            raise edit_error(e) from None

    async def post_image(
        self, place: Place, reply: Reply, image: Image, *, key: str, attempted: bool = True
    ) -> str:
        """The message alone (exactly once, like any post): Slack shares a file apart, into
        the message's thread (`share_image`)."""
        return await self._send_top_level(place.channel_id, reply, key, attempted)

    async def share_image(
        self, place: Place, parent_id: str, image: Image, *, key: str, attempted: bool
    ) -> str:
        """The image shared into the parent's thread with the upload flow
        (files.getUploadURLExternal, the bytes, completeUploadExternal), unless an attempt
        whose outcome is unknown already shared it: the thread is read for it first."""
        channel = place.channel_id
        if attempted:
            read = shared_file_id(self.client, channel, parent_id, image.filename, self.reads.take)
            found = await self._read_back(channel, "conversations.replies", read)
            if found:
                return found
        return await upload_image(self, channel, parent_id, image)

    # --- reading back what is there -------------------------------------------------------
    async def posted_parts(self, channel: str, thread_ts: str) -> dict[Part, str]:
        """(key, part) → ts of paperbot messages in a thread: read at the first send into it
        and after any failed one, otherwise kept up to date by this poster's own sends."""
        cache_key = (channel, thread_ts)
        if cache_key not in self._threads:
            read = thread_parts(self.client, channel, thread_ts, self.reads.take)
            found = await self._read_back(channel, "conversations.replies", read)
            self._threads[cache_key] = found or {}
        return self._threads[cache_key]

    async def find_top_level(self, channel: str, key: str) -> str | None:
        """ts of a top-level message (or DM) already posted under `key`, if any."""
        known = self._top_level.get((channel, key))
        if known:
            return known
        read = top_level_ts(self.client, channel, key, self.reads.take, self.history_limit)
        return await self._read_back(channel, "conversations.history", read)

    async def _read_back(self, channel: str, what: str, read: Awaitable[T]) -> T | None:
        """A transient failure (no answer, 429, 5xx) must not lead to a blind send, so it is
        raised and the engine retries. A thread whose parent is gone ends (ThreadGone). Any
        other refusal (not a member of a public channel it posts to, a scope the install
        lacks, …) is logged once and the send goes ahead unchecked: the post decides."""
        try:
            return await read
        except Exception as e:
            verdict, err = readback_verdict(e), delivery_error(e, what)
        if verdict == "transient":
            raise DeliveryError(err.reason, permanent=False)
        if verdict == "thread_gone":
            raise err
        if channel not in self._unreadable:
            self._unreadable.add(channel)
            log.warning(
                "slack: cannot read %s back (%s); a resent message may repeat", channel, err
            )
        return None

    async def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            await self.reads.take("conversations.open")  # Tier 3 too
            try:
                resp = await self.client.conversations_open(users=user_id)
            except Exception as e:
                raise delivery_error(e, "conversations.open") from None
            self._dm_channels[user_id] = resp["channel"]["id"]
        return self._dm_channels[user_id]

    # --- sending --------------------------------------------------------------------------
    @asynccontextmanager
    async def channel_turn(self, channel: str) -> AsyncIterator[None]:
        """One message at a time per channel, spaced by `min_interval` on the injected clock."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            last = self._last_sent.get(channel)
            if last is not None:
                wait = self.min_interval - (self.clock.monotonic() - last)
                if wait > 0:
                    await self.clock.sleep(wait)
            try:
                yield
            finally:
                self._last_sent[channel] = self.clock.monotonic()

    async def _send_top_level(self, channel: str, reply: Reply, key: str, attempted: bool) -> str:
        messages = render_reply(reply)
        ts = self._top_level.get((channel, key))
        if ts is None and attempted:  # never tried before: it cannot be there to find
            ts = await self.find_top_level(channel, key)
        if ts is None:
            ts = await self._post(channel, messages[0], metadata_for(key, reply), None)
            self._threads[(channel, ts)] = {}  # a message just posted has no replies yet
        self._top_level[(channel, key)] = ts
        rest = list(enumerate(messages))[1:]
        if rest:
            await self._send_in_thread(channel, ts, reply, key, rest, attempted)
        return ts

    async def _send_in_thread(
        self,
        channel: str,
        thread_ts: str,
        reply: Reply,
        key: str,
        parts: list[tuple[int, Body]],
        attempted: bool,
    ) -> str:
        """Send the parts the thread does not hold yet; return the first part's ts. A key never
        attempted has no part there: the thread is not read for it (what is known is kept)."""
        first = ""
        for part, message in parts:
            if attempted:
                there = await self.posted_parts(channel, thread_ts)
            else:
                there = self._threads.get((channel, thread_ts), {})
            ts = there.get((key, part))
            if ts is None:
                try:
                    ts = await self._post(
                        channel, message, metadata_for(key, reply, part), thread_ts
                    )
                except BaseException:  # stored or not? only reading the thread again can tell
                    self._threads.pop((channel, thread_ts), None)
                    raise
                there[(key, part)] = ts
            first = first or ts
        return first

    async def _post(
        self, channel: str, message: Body, metadata: dict[str, Any], thread_ts: str | None
    ) -> str:
        body = post_body(channel, message, thread_ts=thread_ts, metadata=metadata)
        async with self.channel_turn(channel):
            try:
                resp = await self.post_client.chat_postMessage(**body)
            except Exception as e:
                raise delivery_error(e, "chat.postMessage") from None
        return str(resp["ts"])
