"""The one interface the scheduler and delivery engine use to reach a platform, its error,
the one retry helper every send goes through, and the one key every message carries.

Each adapter implements `Poster`. `key` is a stable idempotency key for the message
(`message_key`, e.g. "2025-10-01:2509.24002@C1"): Discord sends it as the message nonce,
Slack as message metadata, so a retried or resumed send can be recognised and not
duplicated. `paperbot digest --format slack|discord` prints the same keys.

Reading back costs: Slack's conversations.history/.replies are Tier 3 (~50 a minute per
workspace), Discord's reads share the 50/s global limit. So each send is told `attempted`:
whether an earlier try of the same key (an earlier run's, as the ledger's attempts say, or a
failed try of this run) may have reached the platform. A poster reads back only then; a key
never tried before cannot be there. Callers that cannot tell leave the default (True): read.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.clock import Clock
from bot.model import Place, Reply

log = logging.getLogger(__name__)

RETRIES = 4

# The items of a day's thread besides its papers (a paper's item is its arXiv id), and of a DM.
PARENT, THREAD, EMPTY, DM = "parent", "thread", "empty", "dm"
IMAGE = "image"  # a roundup's chart (bot/daily/roundup.py)


def message_key(day: str, item: str, where: str) -> str:
    """The idempotency key of `item` on `day` sent to `where` (a channel id; a user id for a
    DM). The day comes first because Slack metadata reads it back from the key; `where`
    keeps the same item in two channels apart."""
    return f"{day}:{item}@{where}"


class DeliveryError(Exception):
    """A send failed. `permanent` ones are not retried; their `scope` says what they stop:
    "channel" (gone, bot removed, missing permission) pauses the target, "day" (the day's
    thread or its parent was deleted) gives up that day only, "item" (the platform refused
    this one message) skips that item and goes on with the rest."""

    def __init__(self, reason: str, *, permanent: bool, scope: str = "channel") -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.scope = scope


class ThreadGone(DeliveryError):
    """The thread a reply belongs to can take no more (its parent was deleted, or it was
    locked): permanent for that day's thread only — the channel itself is fine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=True, scope="day")


@dataclass(frozen=True, slots=True)
class Image:
    """A picture sent with a message (the roundup's chart): PNG bytes, a file name and the
    alt text screen readers say."""

    data: bytes
    filename: str
    alt: str


class Poster(Protocol):
    platform: str

    async def post(self, place: Place, reply: Reply, *, key: str, attempted: bool = True) -> str:
        """Post a top-level message; return its platform message id."""
        ...

    async def open_thread(self, place: Place, parent_message_id: str, name: str) -> Place:
        """Start a thread from a posted message; return the Place replies go to."""
        ...

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        """Reply inside a thread; return the reply's message id."""
        ...

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        """Send a direct message to a user; return its message id."""
        ...

    async def edit(self, place: Place, message_id: str, reply: Reply, *, key: str) -> None:
        """Show `reply` in a message this poster sent under `key` (its first part), in place:
        a top-level message when `place.thread_id` is None, else a reply in that thread.
        Edits are paced within the platform's limits and never hold up a post."""
        ...

    async def post_image(
        self, place: Place, reply: Reply, image: Image, *, key: str, attempted: bool = True
    ) -> str:
        """Post a top-level message that will show `image`; return its message id (a thread
        is opened from it as from any post). A platform that can attach the image to the
        message sends both at once (Discord); one that shares files apart (Slack) posts the
        message alone here and the image in `share_image`."""
        ...

    async def share_image(
        self, place: Place, parent_id: str, image: Image, *, key: str, attempted: bool
    ) -> str:
        """Make sure `image` is shown with the parent `parent_id`; return its id (the file's,
        or the parent's where the image travelled inside it). `attempted`: an earlier run
        may have shared it without recording so, so the platform is read before sharing."""
        ...


async def send_keyed(
    clock: Clock, what: str, attempted: bool, send: Callable[[bool], Awaitable[str]]
) -> str:
    """`send_with_retry` for a keyed message: each try is told whether an earlier one may have
    reached the platform — `attempted` (the ledger's) for the first, True for every retry."""
    tried = [attempted]

    def once() -> Awaitable[str]:
        was, tried[0] = tried[0], True
        return send(was)

    return await send_with_retry(clock, what, once)


async def send_with_retry(clock: Clock, what: str, send: Callable[[], Awaitable[str]]) -> str:
    """Transient failures are retried with backoff on `clock`; permanent ones raise."""
    last: DeliveryError | None = None
    for attempt in range(RETRIES):
        try:
            return await send()
        except DeliveryError as e:
            if e.permanent:
                raise
            last = e
        except (TimeoutError, OSError) as e:
            last = DeliveryError(f"{what}: {e or type(e).__name__}", permanent=False)
        log.info("retrying %s after: %s", what, last.reason)
        await clock.sleep(min(60.0, 2.0**attempt))
    assert last is not None
    raise last
