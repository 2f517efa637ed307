"""HTTP mode faces the internet: what reaches the core must be a signed, fresh, form-encoded
Slack request, and each command runs once.

Slack signs every request (`v0:{timestamp}:{body}`, HMAC-SHA256 with the signing secret) and
asks apps to refuse timestamps more than five minutes old
(https://api.slack.com/authentication/verifying-requests-from-slack); within those five
minutes a captured request stays valid, so a replay must be recognised. Slack itself may send
a request again, marked `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`, when the first answer
was slow (https://api.slack.com/apis/connections/events-api#retries). A slash command arrives
`application/x-www-form-urlencoded` (https://api.slack.com/interactivity/slash-commands).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest

from adapters.slack.app import SlackRuntime
from storage import users as user_store
from tests.fakes.slack.payloads import form_body, signed_headers, slash_command
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.slack_app import (
    SECRET,
    http_runtime_for,
    post_raw,
    post_slash,
    wait_posts,
)

pytestmark = pytest.mark.usefixtures("slack_env")


@pytest.fixture
async def runtime(fake: FakeSlackWebApi) -> AsyncIterator[SlackRuntime]:
    async with http_runtime_for(fake) as r:
        yield r


def topics_of(runtime: SlackRuntime) -> list[str]:
    user = user_store.UserKey("slack", TEAM_ID, "U1")
    return [t["query"] for t in user_store.list_topics(runtime.core.db, user)]


async def answered_after(runtime: SlackRuntime, fake: FakeSlackWebApi) -> list[str]:
    """Send one more good command and wait for its answer: whatever a refused or duplicate
    request would have done has happened by then (commands are answered in order)."""
    marker = slash_command("help", response_url=fake.response_url("marker"))
    assert (await post_slash(runtime, marker))[0].status_code == 200
    assert await wait_until_answered(fake, "marker")
    return [p.channel for p in fake.messages("response_url")]


async def wait_until_answered(fake: FakeSlackWebApi, name: str) -> bool:
    for count in range(1, 20):
        posted = await wait_posts(fake, count, "response_url")
        if any(p.channel == name for p in posted):
            return True
    return False


async def test_a_replayed_request_is_processed_once(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    body = form_body(slash_command("subscribe diffusion", response_url=fake.response_url("sub")))
    headers = signed_headers(SECRET, body, int(time.time()))
    first = await post_raw(runtime, body, headers)
    replay = await post_raw(runtime, body, headers)  # the very same bytes, within 5 minutes
    assert first.status_code == replay.status_code == 200  # acknowledged, not run
    assert runtime.guard is not None and runtime.guard.counts["replay"] == 1
    assert sorted(await answered_after(runtime, fake)) == ["marker", "sub"]
    assert topics_of(runtime) == ["diffusion"]


async def test_slacks_retry_of_a_handled_command_is_acked_not_run_again(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    body = form_body(slash_command("subscribe video", response_url=fake.response_url("sub")))
    assert (
        await post_raw(runtime, body, signed_headers(SECRET, body, int(time.time())))
    ).is_success
    retry = signed_headers(SECRET, body, int(time.time()) + 1)  # Slack signs the retry anew
    retry |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await post_raw(runtime, body, retry)).status_code == 200
    assert runtime.guard is not None and runtime.guard.counts["retry"] == 1
    assert sorted(await answered_after(runtime, fake)) == ["marker", "sub"]
    assert topics_of(runtime) == ["video"]


async def test_a_retry_of_a_command_never_seen_is_run(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    body = form_body(slash_command("subscribe robots", response_url=fake.response_url("sub")))
    headers = signed_headers(SECRET, body, int(time.time())) | {"X-Slack-Retry-Num": "1"}
    assert (await post_raw(runtime, body, headers)).status_code == 200
    assert await wait_until_answered(fake, "sub")
    assert topics_of(runtime) == ["robots"]


@pytest.mark.parametrize("timestamp", ["abc", "", "12.5", "-1", "9" * 40])
async def test_a_bad_timestamp_header_is_401_without_a_traceback(
    runtime: SlackRuntime, fake: FakeSlackWebApi, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    body = form_body(slash_command("subscribe x", response_url=fake.response_url("bad")))
    headers = signed_headers(SECRET, body, int(time.time()))
    headers["X-Slack-Request-Timestamp"] = timestamp
    with caplog.at_level(logging.DEBUG):
        resp = await post_raw(runtime, body.encode(), headers)
    assert resp.status_code == 401
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert sorted(await answered_after(runtime, fake)) == ["marker"]


def _signed(body: bytes | str, content_type: str) -> dict[str, str]:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    headers = signed_headers(SECRET, text, int(time.time()))
    return headers | {"Content-Type": content_type}


BAD_BODIES = {
    "json event": (json.dumps({"type": "event_callback", "event": {}}), "application/json"),
    "form without a command": (urlencode({"text": "today"}), "application/x-www-form-urlencoded"),
    "not a form": ("%%%=&&&=%zz", "application/x-www-form-urlencoded"),
    "payload not json": (urlencode({"payload": "{nope"}), "application/x-www-form-urlencoded"),
    "plain text": ("command=/papers&text=today", "text/plain"),
}


@pytest.mark.parametrize("kind", list(BAD_BODIES))
async def test_a_signed_body_that_is_not_a_slash_command_is_400(
    runtime: SlackRuntime, fake: FakeSlackWebApi, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    body, content_type = BAD_BODIES[kind]
    with caplog.at_level(logging.DEBUG):
        resp = await post_raw(runtime, body, _signed(body, content_type))
    assert resp.status_code == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_bytes_that_are_not_utf8_are_400(
    runtime: SlackRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    import hashlib
    import hmac

    body = b"command=/papers&text=\xff\xfe"
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    headers = {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    with caplog.at_level(logging.DEBUG):
        resp = await post_raw(runtime, body, headers)
    assert resp.status_code == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_link_button_clicks_and_ssl_checks_still_pass(runtime: SlackRuntime) -> None:
    click = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": TEAM_ID},
        "actions": [{"action_id": "paperbot_link_0_0", "type": "button"}],
    }
    body = urlencode({"payload": json.dumps(click)})
    form = "application/x-www-form-urlencoded"
    assert (await post_raw(runtime, body, _signed(body, form))).status_code == 200
    ssl_check = urlencode({"ssl_check": "1", "token": "deprecated"})
    assert (await post_raw(runtime, ssl_check, _signed(ssl_check, form))).status_code == 200
