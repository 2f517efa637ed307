"""The scheduler's way into Slack: parent messages, thread replies and DMs (bot.posting.Poster).

Messages to one channel go out one at a time, at most one per `min_interval` seconds (Slack's
~1 message/s per channel), timed with the injected clock. Each message carries metadata
(`paperbot_item`: key, day, paper id) so that after a restart the first reply into a thread
reads the thread back and skips what is already there.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from adapters.slack.render import METADATA_EVENT_TYPE, item_metadata, post_body, render_reply
from adapters.slack.web_client import make_web_client
from bot.clock import Clock, SystemClock
from bot.model import Place, Reply
from bot.posting import DeliveryError

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import Config

log = logging.getLogger(__name__)

# Errors no retry can fix: the target is gone or the bot may not post there.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "no_permission",
        "team_access_not_granted",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "ekm_access_denied",
    }
)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def metadata_for(key: str, reply: Reply, part: int = 0) -> dict[str, Any]:
    """`paperbot_item` metadata: the ledger key, its day (when the key starts with one) and
    the paper id of a one-card reply."""
    head = key.split(":", 1)[0]
    day = head if _DAY.match(head) else ""
    paper_id = reply.cards[0].paper_id if len(reply.cards) == 1 else ""
    return item_metadata(key, day, paper_id, part)


def delivery_error(exc: Exception, what: str) -> DeliveryError:
    """Map an SDK/network failure to the scheduler's permanent-or-transient verdict."""
    from slack_sdk.errors import SlackApiError

    if isinstance(exc, SlackApiError):
        code = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        return DeliveryError(f"Slack {what}: {code}", permanent=code in PERMANENT_ERRORS)
    return DeliveryError(f"Slack {what}: {type(exc).__name__}: {exc}", permanent=False)


class SlackPoster:
    platform = "slack"

    def __init__(
        self, client: AsyncWebClient, clock: Clock | None = None, *, min_interval: float = 1.0
    ) -> None:
        self.client = client
        self.clock: Clock = clock or SystemClock()
        self.min_interval = min_interval
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_sent: dict[str, float] = {}
        self._dm_channels: dict[str, str] = {}
        self._thread_keys: dict[tuple[str, str], dict[str, str]] = {}

    @classmethod
    def from_config(cls, config: Config, clock: Clock | None = None) -> SlackPoster:
        token = config.slack.bot_token()
        if not token:
            raise ValueError(f"Slack needs a bot token in ${config.slack.bot_token_env}")
        return cls(make_web_client(config.slack, token), clock)

    # --- Poster -------------------------------------------------------------------------
    async def post(self, place: Place, reply: Reply, *, key: str) -> str:
        """Top-level message; parts after the first (a very long reply) go into its thread."""
        return await self._send(place.channel_id, reply, key, None, continue_in_thread=True)

    async def open_thread(self, place: Place, parent_message_id: str, name: str) -> Place:
        """Slack threads need no call: replies just carry the parent's ts."""
        return Place(place.platform, place.channel_id, place.workspace_id, parent_message_id)

    async def reply_in_thread(self, thread: Place, reply: Reply, *, key: str) -> str:
        if not thread.thread_id:
            raise DeliveryError("Slack thread reply without a parent ts", permanent=True)
        known = await self.posted_keys(thread.channel_id, thread.thread_id)
        if key in known:
            log.info("slack: %s already in thread %s, not posting again", key, thread.thread_id)
            return known[key]
        ts = await self._send(thread.channel_id, reply, key, thread.thread_id)
        known[key] = ts
        return ts

    async def send_dm(self, workspace_id: str, user_id: str, reply: Reply, *, key: str) -> str:
        channel = await self._dm_channel(user_id)
        return await self._send(channel, reply, key, None)

    # --- reading back what is there -------------------------------------------------------
    async def posted_keys(self, channel: str, thread_ts: str) -> dict[str, str]:
        """key → ts of paperbot messages already in a thread (read once per thread, then kept)."""
        cache_key = (channel, thread_ts)
        if cache_key not in self._thread_keys:
            self._thread_keys[cache_key] = await self._read_thread_keys(channel, thread_ts)
        return self._thread_keys[cache_key]

    async def _read_thread_keys(self, channel: str, thread_ts: str) -> dict[str, str]:
        found: dict[str, str] = {}
        cursor: str | None = None
        try:
            while True:
                resp = await self.client.conversations_replies(
                    channel=channel,
                    ts=thread_ts,
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
                for m in resp.get("messages", []):
                    meta = m.get("metadata") or {}
                    payload = meta.get("event_payload") or {}
                    ours = meta.get("event_type") == METADATA_EVENT_TYPE
                    if ours and payload.get("key") and not payload.get("part"):
                        found.setdefault(str(payload["key"]), m["ts"])
                cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return found
        except Exception as e:  # mapped to the scheduler's verdict
            raise delivery_error(e, "conversations.replies") from None

    async def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
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

    async def _send(
        self,
        channel: str,
        reply: Reply,
        key: str,
        thread_ts: str | None,
        *,
        continue_in_thread: bool = False,
    ) -> str:
        first_ts = ""
        for part, message in enumerate(render_reply(reply)):
            in_thread = thread_ts or (first_ts if continue_in_thread else None) or None
            body = post_body(
                channel, message, thread_ts=in_thread, metadata=metadata_for(key, reply, part)
            )
            async with self.channel_turn(channel):
                try:
                    resp = await self.client.chat_postMessage(**body)
                except Exception as e:
                    raise delivery_error(e, "chat.postMessage") from None
            first_ts = first_ts or str(resp["ts"])
        return first_ts
