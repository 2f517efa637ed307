"""The one way paperbot builds a Slack Web API client: configured base URL, timeouts, retries.

Every client retries 429s after Slack's Retry-After, transient connection errors and 5xx —
so a burst never loses a message — and reaches whatever `slack.api_base_url` names, which is
also how tests point the real SDK at a loopback fake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import SlackConfig

TIMEOUT_SECONDS = 30
RATE_LIMIT_RETRIES = 5
CONNECTION_RETRIES = 2
SERVER_ERROR_RETRIES = 2


def api_base_url(config: SlackConfig) -> str:
    """slack_sdk joins `base_url + method`, so the base must end with a slash."""
    base = config.api_base_url.strip()
    return base if base.endswith("/") else base + "/"


def make_web_client(config: SlackConfig, token: str | None) -> AsyncWebClient:
    from slack_sdk.http_retry.builtin_async_handlers import (
        AsyncConnectionErrorRetryHandler,
        AsyncRateLimitErrorRetryHandler,
        AsyncServerErrorRetryHandler,
    )
    from slack_sdk.web.async_client import AsyncWebClient

    return AsyncWebClient(
        token=token,
        base_url=api_base_url(config),
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )
