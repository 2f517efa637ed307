"""Answering a slash command after its ack: through response_url, then the Web API.

Slack accepts at most five messages per response_url; a reply longer than that continues
with chat.postEphemeral (private) or chat.postMessage (public, paced per channel by the
poster). Private replies are `response_type: ephemeral`, visible only to the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from adapters.slack.errors import delivery_error
from adapters.slack.poster import SlackPoster
from adapters.slack.render import render_reply
from adapters.slack.web_client import CONNECTION_RETRIES, RATE_LIMIT_RETRIES, TIMEOUT_SECONDS
from bot.model import Reply

if TYPE_CHECKING:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

log = logging.getLogger(__name__)

RESPONSE_URL_USES = 5


def make_webhook_client(url: str) -> AsyncWebhookClient:
    """response_url gets the same retries as every Web API client."""
    from slack_sdk.http_retry.builtin_async_handlers import (
        AsyncConnectionErrorRetryHandler,
        AsyncRateLimitErrorRetryHandler,
    )
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    return AsyncWebhookClient(
        url=url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


class SlashReplies:
    """Sends one command's replies, in order, to where the command was typed."""

    def __init__(self, payload: Mapping[str, Any], poster: SlackPoster) -> None:
        self.channel = str(payload.get("channel_id") or "")
        self.user = str(payload.get("user_id") or "")
        self.response_url = str(payload.get("response_url") or "")
        self.poster = poster
        self.uses = 0

    async def send_all(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            for message in render_reply(reply):
                await self._send(message, private=reply.private)

    async def _send(self, message: dict[str, Any], *, private: bool) -> None:
        if self.response_url and self.uses < RESPONSE_URL_USES:
            self.uses += 1
            if await self._via_response_url(message, private=private):
                return
        await self._via_api(message, private=private)

    async def _via_response_url(self, message: dict[str, Any], *, private: bool) -> bool:
        body = {
            **message,
            "response_type": "ephemeral" if private else "in_channel",
            "unfurl_links": False,
            "unfurl_media": False,
        }
        try:
            resp = await make_webhook_client(self.response_url).send_dict(body)
        except Exception as e:  # network trouble: fall back to the Web API
            log.warning("slack: response_url failed (%s); using the Web API", e)
            return False
        if resp.status_code != 200:
            log.warning("slack: response_url answered %s %s", resp.status_code, resp.body)
            return False
        return True

    async def _via_api(self, message: dict[str, Any], *, private: bool) -> None:
        client = self.poster.client
        try:
            if private:
                await client.chat_postEphemeral(channel=self.channel, user=self.user, **message)
            else:
                async with self.poster.channel_turn(self.channel):
                    await client.chat_postMessage(
                        channel=self.channel, unfurl_links=False, unfurl_media=False, **message
                    )
        except Exception as e:
            log.warning("slack: could not deliver a command reply: %s", delivery_error(e, "reply"))
