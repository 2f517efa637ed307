"""The real Slack runtime (Bolt + slack_sdk) against the loopback fakes: its config, a core
with the recorded days, the HTTP server started and stopped, and signed slash commands.

Only base URLs and environment variables point the product at the fakes. Request signatures
carry the current Unix time because Bolt checks them against its own clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from adapters.slack.app import SlackRuntime
from bot.clock import FakeClock
from bot.config import Config
from bot.core import Core
from bot.ingest import import_paths
from tests.fakes.slack.payloads import form_body, signed_headers
from tests.fakes.slack.web_api import APP_TOKEN, BOT_TOKEN, FakeSlackWebApi
from tests.support.core import DAYS

SECRET = "fake-signing-secret"
ENV = {
    "PAPERBOT_TEST_SLACK_BOT": BOT_TOKEN,
    "PAPERBOT_TEST_SLACK_APP": APP_TOKEN,
    "PAPERBOT_TEST_SLACK_SECRET": SECRET,
}
NOWHERE = "http://127.0.0.1:9"


def set_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)


def make_config(fake: FakeSlackWebApi, mode: str, **slack: Any) -> Config:
    return Config.model_validate(
        {
            "sources": {"hf_base_url": NOWHERE, "arxiv_base_url": NOWHERE, "max_retries": 0},
            "slack": {
                "mode": mode,
                "api_base_url": fake.api_url,
                "bot_token_env": "PAPERBOT_TEST_SLACK_BOT",
                "app_token_env": "PAPERBOT_TEST_SLACK_APP",
                "signing_secret_env": "PAPERBOT_TEST_SLACK_SECRET",
                "port": 0,
                **slack,
            },
        }
    )


def make_core(config: Config) -> Core:
    core = Core.open(config, ":memory:", clock=FakeClock())
    assert import_paths(core.db, [DAYS]).files == 3
    return core


@asynccontextmanager
async def http_runtime_for(fake: FakeSlackWebApi, **slack: Any) -> AsyncIterator[SlackRuntime]:
    config = make_config(fake, "http", **slack)
    core = make_core(config)
    runtime = SlackRuntime(core, config, host="127.0.0.1")
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
        await core.aclose()


async def post_raw(
    runtime: SlackRuntime, body: str | bytes, headers: dict[str, str]
) -> httpx.Response:
    assert runtime.http_url
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(runtime.http_url, content=body, headers=headers)


async def post_slash(
    runtime: SlackRuntime, payload: dict[str, str], *, secret: str = SECRET, age: int = 0
) -> tuple[httpx.Response, float]:
    body = form_body(payload)
    headers = signed_headers(secret, body, int(time.time()) - age)
    started = time.monotonic()
    resp = await post_raw(runtime, body, headers)
    return resp, time.monotonic() - started


async def wait_posts(fake: FakeSlackWebApi, count: int, api: str) -> list:
    assert await asyncio.to_thread(fake.wait_for_posts, count, api), fake.rejected
    return fake.messages(api)
