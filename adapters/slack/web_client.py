"""The one way paperbot builds a Slack Web API client: configured base URL, timeouts, retries.

The general client (reads, Bolt, command replies) retries 429s after Slack's Retry-After,
transient connection errors and 5xx, and reaches whatever `slack.api_base_url` names, which
is also how tests point the real SDK at a loopback fake. The poster's `posting_client` retries
only 429s: a 5xx, a timeout or a dropped connection can come after Slack stored the message,
so resending blindly could post it twice (see `adapters.slack.poster`).
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


def posting_client(client: AsyncWebClient) -> AsyncWebClient:
    """A twin of `client` (same token, URL, timeout, session) that retries only 429s.

    Slack answers 429 before storing anything, so that resend is safe; every other failure
    reaches the caller, which first looks for the message and only then sends it again.
    """
    from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
    from slack_sdk.web.async_client import AsyncWebClient

    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        session=client.session,
        trust_env_in_session=client.trust_env_in_session,
        headers={k: v for k, v in client.headers.items() if k != "User-Agent"},
        team_id=client.default_params.get("team_id"),
        logger=client.logger,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)],
    )
