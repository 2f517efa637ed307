"""The Slack fake follows Slack's documented rules where paperbot's correctness depends on them:
who may post and read where, the App Home Messages tab, conversations.join, cursor paging,
Tier 3/4 rate limits, response_url's five uses in 30 minutes, slash-command escaping, Socket
Mode's disconnect frames and slack_sdk's own Block Kit validation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from adapters.slack.render import render_reply
from bot.model import PaperCard, Reply
from tests.fakes.slack.block_kit_rules import sdk_problems, validate_message
from tests.fakes.slack.payloads import form_body, slash_command
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi
from tests.fakes.slack.workspace import MANIFEST, messages_tab_enabled

AUTH = {"Authorization": f"Bearer {BOT_TOKEN}"}


def call(fake: FakeSlackWebApi, method: str, **body: object) -> httpx.Response:
    return httpx.post(fake.api_url + method, json=body, headers=AUTH, timeout=5)


def test_the_repo_manifest_turns_the_messages_tab_on(tmp_path: Path) -> None:
    assert messages_tab_enabled(MANIFEST)
    bare = tmp_path / "manifest.yml"
    bare.write_text("features:\n  bot_user:\n    display_name: x\n")
    assert not messages_tab_enabled(bare) and not messages_tab_enabled(None)


def test_a_dm_needs_the_messages_tab() -> None:
    with FakeSlackWebApi(min_interval=0.0, manifest=None) as fake:
        fake.add_user("U1")
        dm = call(fake, "conversations.open", users="U1").json()["channel"]["id"]
        r = call(fake, "chat.postMessage", channel=dm, text="your alerts").json()
        assert r == {"ok": False, "error": "messages_tab_disabled"}
        assert call(fake, "chat.postMessage", channel="C1", text="channels still work").json()["ok"]


def test_membership_decides_posting_and_reading(fake: FakeSlackWebApi) -> None:
    fake.add_channel("CPUB", member=False)
    fake.add_channel("CPRIV", private=True, member=False)
    fake.add_channel("CARCH", archived=True)
    assert call(fake, "chat.postMessage", channel="CPUB", text="x").json()["ok"]  # .public
    assert call(fake, "conversations.history", channel="CPUB").json()["error"] == "not_in_channel"
    for method in ("chat.postMessage", "conversations.history"):
        r = call(fake, method, channel="CPRIV", text="x").json()
        assert r["error"] == "channel_not_found"
    assert (
        call(fake, "chat.postMessage", channel="CARCH", text="x").json()["error"] == "is_archived"
    )
    assert call(fake, "chat.postMessage", channel="C404", text="x").json()["ok"]  # undescribed


def test_join_a_public_channel_but_not_a_private_one(fake: FakeSlackWebApi) -> None:
    fake.add_channel("CPUB", member=False)
    fake.add_channel("CPRIV", private=True, member=False)
    fake.add_channel("CMINE", private=True)
    joined = call(fake, "conversations.join", channel="CPUB").json()
    assert joined["ok"] and joined["channel"]["is_member"] and "warning" not in joined
    assert call(fake, "conversations.history", channel="CPUB").json()["ok"]
    assert (
        call(fake, "conversations.join", channel="CPUB").json()["warning"] == "already_in_channel"
    )
    assert call(fake, "conversations.join", channel="CPRIV").json()["error"] == "channel_not_found"
    mine = call(fake, "conversations.join", channel="CMINE").json()
    assert mine["error"] == "method_not_supported_for_channel_type"


def test_reads_are_cursor_paged_and_may_return_less_than_asked(fake: FakeSlackWebApi) -> None:
    fake.page_cap = 2
    parent = call(fake, "chat.postMessage", channel="C1", text="p").json()["ts"]
    for n in range(4):
        call(fake, "chat.postMessage", channel="C1", text=f"r{n}", thread_ts=parent)
    seen, cursor = [], ""
    while True:
        page = call(
            fake, "conversations.replies", channel="C1", ts=parent, limit=200, cursor=cursor
        )
        body = page.json()
        assert len(body["messages"]) <= 2
        seen += [m["text"] for m in body["messages"]]
        cursor = body["response_metadata"]["next_cursor"]
        assert body["has_more"] == bool(cursor)
        if not cursor:
            break
    assert seen == ["p", "r0", "r1", "r2", "r3"]
    bad = call(fake, "conversations.history", channel="C1", cursor="not-a-cursor").json()
    assert bad["error"] == "invalid_cursor"


def test_tier_3_methods_are_limited_per_minute(fake: FakeSlackWebApi) -> None:
    now = [1000.0]
    fake.now = lambda: now[0]
    for _ in range(50):
        assert call(fake, "conversations.history", channel="C1").json()["ok"]
    limited = call(fake, "conversations.history", channel="C1")
    assert limited.status_code == 429 and limited.json()["error"] == "ratelimited"
    assert limited.headers["Retry-After"] == "60"
    assert call(fake, "users.info", user="U1").json()["ok"]  # another method, another budget
    now[0] += 60
    assert call(fake, "conversations.history", channel="C1").json()["ok"]


def test_a_response_url_takes_five_messages_within_30_minutes(fake: FakeSlackWebApi) -> None:
    now = [0.0]
    fake.now = lambda: now[0]
    url = fake.response_url("r")
    answers = [httpx.post(url, json={"text": f"{n}"}).status_code for n in range(6)]
    assert answers == [200] * 5 + [404]
    late = fake.response_url("late")
    now[0] += 30 * 60 + 1
    assert httpx.post(late, json={"text": "x"}).text == "expired_url"
    assert [p.body["text"] for p in fake.messages("response_url")] == ["0", "1", "2", "3", "4"]


def test_slash_command_text_arrives_escaped() -> None:
    payload = slash_command("search upvotes>=20 <b> & co", response_url="http://x")
    assert payload["text"] == "search upvotes&gt;=20 &lt;b&gt; &amp; co"
    assert parse_qs(form_body(payload))["text"] == [payload["text"]]


def test_blocks_are_validated_by_slack_sdk_too() -> None:
    too_long_id = {"type": "divider", "block_id": "b" * 256}
    assert sdk_problems([too_long_id]) == [
        "blocks[0]: slack_sdk: block_id cannot exceed 255 characters"
    ]
    assert sdk_problems([{"type": "no_such_block"}]) and sdk_problems(["not a block"])
    card = render_reply(
        Reply(text="t", title="T", cards=(PaperCard("1", "A paper", "https://x.org", "tl;dr"),))
    )
    assert sdk_problems(card[0]["blocks"]) == []
    assert validate_message({"text": "x", "blocks": [too_long_id]}).error == "invalid_blocks"


@pytest.fixture
def socket() -> Iterator[FakeSocketModeServer]:
    with FakeSocketModeServer(disconnect_grace=0.05) as s:
        yield s


async def test_socket_mode_sends_disconnect_frames_then_closes(
    socket: FakeSocketModeServer,
) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.ws_connect(socket.ws_url) as ws:
        assert (await ws.receive_json())["type"] == "hello"
        socket.send_disconnect("warning")
        frame = await ws.receive_json()
        assert frame["type"] == "disconnect" and frame["reason"] == "warning"
        closing = await ws.receive()
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert socket.disconnects_sent == ["warning"]


async def test_socket_mode_recycles_connections_periodically(socket: FakeSocketModeServer) -> None:
    import aiohttp

    socket.disconnect_every = 0.05
    async with aiohttp.ClientSession() as session, session.ws_connect(socket.ws_url) as ws:
        assert (await ws.receive_json())["type"] == "hello"
        frame = await asyncio.wait_for(ws.receive_json(), 5)
        assert json.dumps(frame) and frame["reason"] == "refresh_requested"
