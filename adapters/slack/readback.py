"""Reading back what paperbot already posted, by the `paperbot_item` metadata on each message.

Slack has no idempotency key: a message whose answer was lost (stored, then a 5xx, a timeout,
a dropped connection or a crash) can only be recognised by reading the channel or thread and
finding its metadata. These reads are idempotent, so the general client may retry them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from adapters.slack.render import METADATA_EVENT_TYPE

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.clock import Clock

Part = tuple[str, int]  # (idempotency key, part of a reply split over several messages)
Pace = Callable[[str], Awaitable[None]]  # waits for a turn at a Web API method

HISTORY_LIMIT = 100  # top-level posts are one per channel per day, DMs one per user per day
REPLIES_PAGE = 200

# conversations.history, .replies and .open are Tier 3: "50+ per minute", counted "per API
# method per app per workspace" (https://api.slack.com/apis/rate-limits,
# https://api.slack.com/methods/conversations.history, …/conversations.replies,
# …/conversations.open). Internal (self-hosted) apps keep Tier 3; the 1-a-minute limit of
# 2025 is for commercially distributed apps outside the Marketplace (same pages).
TIER_3_PER_MINUTE = 50
TIER_3_BURST = 10


class MethodBuckets:
    """A token bucket per Web API method on the injected clock. `burst` tokens at most, refilled
    at (per_minute - burst) a minute, so no 60-second window — the window Slack counts in —
    holds more than `per_minute` calls, while the few reads a resumed delivery makes go at
    once. A 429 still happens (another app on the token, a stricter workspace): the client
    then waits Slack's Retry-After (`web_client`)."""

    def __init__(
        self, clock: Clock, per_minute: int = TIER_3_PER_MINUTE, burst: int = TIER_3_BURST
    ) -> None:
        self.clock = clock
        self.burst = float(burst)
        self.rate = (per_minute - burst) / 60.0  # tokens a second
        self._state: dict[str, tuple[float, float]] = {}  # method → (tokens, when)
        self._locks: dict[str, asyncio.Lock] = {}

    async def take(self, method: str) -> None:
        """Wait for a token of `method`'s bucket, then spend it (callers queue in order)."""
        async with self._locks.setdefault(method, asyncio.Lock()):
            now = self.clock.monotonic()
            tokens, when = self._state.get(method, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            if tokens < 1.0:
                await self.clock.sleep((1.0 - tokens) / self.rate)
                tokens, now = 1.0, self.clock.monotonic()
            self._state[method] = (tokens - 1.0, now)


def item_part(message: Mapping[str, Any]) -> Part | None:
    """(key, part) of a message paperbot posted, from its metadata; None for anything else."""
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    if meta.get("event_type") != METADATA_EVENT_TYPE or not payload.get("key"):
        return None
    return str(payload["key"]), int(payload.get("part") or 0)


async def thread_messages(
    client: AsyncWebClient, channel: str, thread_ts: str, pace: Pace
) -> AsyncIterator[Mapping[str, Any]]:
    """Every message of a thread, its parent first, page by page (conversations.replies)."""
    cursor: str | None = None
    while True:
        await pace("conversations.replies")
        resp = await client.conversations_replies(
            channel=channel,
            ts=thread_ts,
            include_all_metadata=True,
            limit=REPLIES_PAGE,
            cursor=cursor,
        )
        for message in resp.get("messages", []):
            yield message
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return


async def thread_parts(
    client: AsyncWebClient, channel: str, thread_ts: str, pace: Pace
) -> dict[Part, str]:
    """(key, part) → ts of every paperbot message in a thread (its parent included)."""
    found: dict[Part, str] = {}
    async for message in thread_messages(client, channel, thread_ts, pace):
        part = item_part(message)
        if part is not None:
            found.setdefault(part, str(message["ts"]))
    return found


async def shared_file_id(
    client: AsyncWebClient, channel: str, thread_ts: str, filename: str, pace: Pace
) -> str | None:
    """The id of a file named `filename` already shared in the thread, if any. A shared file
    shows in conversations.replies as a message of subtype `file_share` with a `files` array
    (https://docs.slack.dev/reference/events/message/file_share); paperbot names each file
    for its thread (a roundup's chart: `roundup-2025-W40.png`), so the name is the marker."""
    async for message in thread_messages(client, channel, thread_ts, pace):
        if message.get("subtype") != "file_share":
            continue
        for f in message.get("files") or []:
            if f.get("name") == filename and f.get("id"):
                return str(f["id"])
    return None


async def top_level_ts(
    client: AsyncWebClient, channel: str, key: str, pace: Pace, limit: int = HISTORY_LIMIT
) -> str | None:
    """ts of the first message of `key` among the channel's latest `limit` top-level messages.

    Slack may answer with fewer messages than asked for and a cursor to the rest
    (https://api.slack.com/docs/pagination), so pages are followed until `limit` are seen.
    """
    seen = 0
    cursor: str | None = None
    while seen < limit:
        await pace("conversations.history")
        resp = await client.conversations_history(
            channel=channel, include_all_metadata=True, limit=limit - seen, cursor=cursor
        )
        messages = resp.get("messages", [])
        for message in messages:
            if item_part(message) == (key, 0):
                return str(message["ts"])
        seen += len(messages)
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor or not messages:
            return None
    return None
