"""Editing and uploading for the Slack poster: chat.update's pace and refusals, and the
current file-upload flow.

chat.update is a Tier 3 method (https://api.slack.com/methods/chat.update): "50+ per minute",
per method per workspace (https://api.slack.com/apis/rate-limits). One poster serves one
workspace, so its edits are spaced by `EDIT_INTERVAL` (60 s / 50) on the injected clock,
under their own lock: a post never waits for an edit's turn (posts keep their per-channel
pace, chat.postMessage's own limit).

Refusals that no retry can change (the message was deleted, is not ours, the workspace's edit
window closed) are permanent for that item: the live thread stops editing that message.

Uploads follow https://api.slack.com/messaging/files#uploading_files: slack_sdk's
`files_upload_v2` calls files.getUploadURLExternal, POSTs the bytes to the URL it answers,
and calls files.completeUploadExternal with the channel and thread to share the file in,
with the image's alt text (`alt_txt`).

An upload has no idempotency key either: the roundup records it as its own ledger item, and
one that was attempted but not recorded is looked for in the thread (`shared_file_id`, by
the file's name) before it is uploaded again.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.errors import delivery_error, error_code
from bot.daily.posting import DeliveryError, Image

SlackPoster = Any  # adapters.slack.poster.SlackPoster, which imports this module

TIER_3_PER_MINUTE = 50
EDIT_INTERVAL = 60.0 / (TIER_3_PER_MINUTE - 2)  # a little under the limit: clocks drift
# https://api.slack.com/methods/chat.update#errors
CANNOT_EDIT = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


async def edit_turn(poster: SlackPoster) -> None:
    """Wait until the workspace's next chat.update is due, then claim it."""
    async with poster.edit_lock:
        clock = poster.clock
        if poster.last_edit is not None:
            wait = poster.edit_interval - (clock.monotonic() - poster.last_edit)
            if wait > 0:
                await clock.sleep(wait)
        poster.last_edit = clock.monotonic()


def edit_error(exc: Exception) -> DeliveryError:
    code, _ = error_code(exc)
    if code in CANNOT_EDIT:
        return DeliveryError(f"Slack chat.update: {code}", permanent=True, scope="item")
    return delivery_error(exc, "chat.update")


async def upload_image(poster: SlackPoster, channel: str, thread_ts: str, image: Image) -> str:
    """Share `image` in the thread of `thread_ts`, with its alt text; returns the file's id."""
    await edit_turn(poster)  # three calls; spaced like edits, never in a channel's turn
    try:
        resp = await poster.post_client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=image.data,
            filename=image.filename,
            title=image.alt[:250],
            alt_txt=image.alt,
        )
    except Exception as e:
        raise delivery_error(e, "file upload") from None
    files = resp.get("files") or [{}]  # completeUploadExternal's `files`: [{"id", "title"}]
    return str(files[0].get("id") or "")
