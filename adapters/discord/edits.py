"""Editing messages and attaching an image, for the Discord poster.

Edit Message (https://discord.com/developers/docs/resources/message#edit-message) takes
content, embeds, flags, allowed_mentions, components and attachments — no nonce — so an edit
sends exactly those fields of the body a post would send. Rate limits: discord.py honours
each route's bucket from the response headers, but it learns of the global limit, "50
requests per second" per bot (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit),
only from a 429. So every request of the poster — posts, reads, edits — starts at most
REQUESTS_PER_SECOND a second (`Pace`, on the poster's clock), and edits at most
EDITS_PER_SECOND of those: they share the budget with posts and can never take all of it.

An image goes as `multipart/form-data` (https://discord.com/developers/docs/reference#uploading-files):
`payload_json` with `attachments: [{id: "0", filename, description}]` (the id a string, as
the OpenAPI spec types it; the description is the alt text) and the file as part `files[0]`;
the first embed shows it with `attachment://<name>`.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
from discord.http import MultipartParameters
from discord.utils import _to_json

from bot.clock import Clock
from bot.daily.posting import Image

REQUESTS_PER_SECOND = 45  # under the global 50, for requests the poster does not make
EDITS_PER_SECOND = 20
REQUEST_INTERVAL = 1.0 / REQUESTS_PER_SECOND
EDIT_INTERVAL = 1.0 / EDITS_PER_SECOND
EDIT_FIELDS = ("content", "embeds", "flags", "allowed_mentions", "components", "attachments")
ALT_TEXT_MAX = 1024  # the attachment object's description


def edit_payload(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in EDIT_FIELDS if k in body}


class Pace:
    """Starts spaced by at least `interval` seconds on `clock`, whoever asks."""

    def __init__(self, clock: Clock, interval: float) -> None:
        self.clock = clock
        self.interval = interval
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait(self) -> None:
        """Claim the next start time and sleep until it."""
        async with self._lock:
            now = self.clock.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            await self.clock.sleep(start - now)


def image_params(body: dict[str, Any], image: Image) -> MultipartParameters:
    """A create-message body with `image` attached, as discord.py sends files."""
    payload = dict(body)
    payload["attachments"] = [
        {"id": "0", "filename": image.filename, "description": image.alt[:ALT_TEXT_MAX]}
    ]
    embeds = [dict(e) for e in payload.get("embeds") or []]
    if embeds:
        embeds[0]["image"] = {"url": f"attachment://{image.filename}"}
        payload["embeds"] = embeds
    file = discord.File(io.BytesIO(image.data), filename=image.filename)
    form = [
        {"name": "payload_json", "value": _to_json(payload)},
        {
            "name": "files[0]",
            "value": file.fp,
            "filename": image.filename,
            "content_type": "image/png",
        },
    ]
    return MultipartParameters(payload=None, multipart=form, files=[file])
