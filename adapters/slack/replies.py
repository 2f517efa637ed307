"""Answering a slash command after its ack: through response_url, then the Web API.

A response_url takes at most five messages within 30 minutes of the command
(https://api.slack.com/interactivity/handling#message_responses), so a command's replies are
packed into as few messages as Slack's limits allow (50 blocks each, consecutive replies of
the same visibility together) — a `channel preview` of 15 papers fits in two. Should an answer
still need more than five, the first four go through response_url and the rest through
chat.postEphemeral (private, visible only to the caller) or chat.postMessage (public, paced per
channel by the poster); the fifth use is kept for a visible "preview truncated" line in case
that fallback is refused (a private channel without the bot, for one).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from adapters.slack import blocks as bk
from adapters.slack.errors import delivery_error
from adapters.slack.mrkdwn import escape
from adapters.slack.poster import SlackPoster
from adapters.slack.render import render_replies
from adapters.slack.web_client import CONNECTION_RETRIES, RATE_LIMIT_RETRIES, TIMEOUT_SECONDS
from bot.model import Reply
from bot.text import plural

if TYPE_CHECKING:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

log = logging.getLogger(__name__)

RESPONSE_URL_USES = 5
Message = tuple[dict[str, Any], bool]  # a message body, and whether only the caller sees it


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


def pack(replies: Sequence[Reply]) -> list[Message]:
    """The messages of a command's answer: runs of replies with the same visibility, each run
    rendered together so it takes as few messages as possible."""
    runs: list[list[Reply]] = []
    for reply in replies:
        if runs and runs[-1][0].private == reply.private:
            runs[-1].append(reply)
        else:
            runs.append([reply])
    return [(body, run[0].private) for run in runs for body in render_replies(run)]


class SlashReplies:
    """Sends one command's replies, in order, to where the command was typed."""

    def __init__(self, payload: Mapping[str, Any], poster: SlackPoster) -> None:
        self.channel = str(payload.get("channel_id") or "")
        self.user = str(payload.get("user_id") or "")
        self.response_url = str(payload.get("response_url") or "")
        self.poster = poster
        self.uses = 0

    async def send_all(self, replies: Sequence[Reply]) -> None:
        messages = pack(replies)
        # Everything fits: all through response_url. Otherwise keep its last use in reserve.
        budget = RESPONSE_URL_USES if len(messages) <= RESPONSE_URL_USES else RESPONSE_URL_USES - 1
        for n, (message, private) in enumerate(messages):
            if await self._send(message, private=private, via_url=self.uses < budget):
                continue
            await self._truncated(len(messages) - n)
            return

    async def _send(self, message: dict[str, Any], *, private: bool, via_url: bool) -> bool:
        if self.response_url and via_url:
            self.uses += 1
            if await self._via_response_url(message, private=private):
                return True
        return await self._via_api(message, private=private)

    async def _truncated(self, missing: int) -> None:
        """The answer could not be delivered whole: tell the caller (only them), visibly."""
        text = (
            f"Preview truncated: {plural(missing, 'more message')} could not be delivered"
            " here. Invite @paperbot to this channel to see everything."
        )
        note = {"text": text, "blocks": [bk.section(escape(text))]}
        if self.response_url and self.uses < RESPONSE_URL_USES:
            self.uses += 1
            if await self._via_response_url(note, private=True):
                return
        log.warning("slack: %s", text)

    async def _via_response_url(self, message: dict[str, Any], *, private: bool) -> bool:
        body = {
            **message,
            "response_type": "ephemeral" if private else "in_channel",
            # A button's response_url would otherwise replace the card it was pressed on.
            "replace_original": False,
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

    async def _via_api(self, message: dict[str, Any], *, private: bool) -> bool:
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
            return False
        return True
