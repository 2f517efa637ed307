"""The Save button on a card, end to end: the real Bolt app on Socket Mode receives the
`block_actions` press Slack would send for the rendered card, acks it within 3 seconds, stores
the library row, and answers the presser alone through the payload's response_url."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlencode

import pytest

from adapters.slack.app import run_slack
from adapters.slack.render import render_reply
from bot.cards import card_for
from bot.core import Core
from bot.model import Reply, paper_from_row
from storage import papers as paper_store
from storage import users as user_store
from tests.fakes.slack.payloads import block_actions, signed_headers
from tests.fakes.slack.socket_mode import ACK_DEADLINE, FakeSocketModeServer
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.slack_app import (
    SECRET,
    http_runtime_for,
    make_config,
    make_core,
    post_raw,
    wait_posts,
)

SOCKET_MODE = True  # `fake` answers apps.connections.open with `socket_fake`
pytestmark = pytest.mark.usefixtures("slack_env")


async def _card_message(core: Core) -> tuple[dict, str]:
    """A thread reply as paperbot renders it for a stored paper, and that paper's id."""
    day = core.latest_day()
    assert day is not None
    paper = paper_from_row(paper_store.day_rows(core.db, day)[0])
    card = await card_for(core, paper, rank=1, offline=True)
    [message] = render_reply(Reply(text="", cards=(card,)))
    return message, paper.id


def _save_action(message: dict, paper_id: str) -> str:
    [action_id] = [
        e["action_id"]
        for b in message["blocks"]
        for e in b.get("elements", [])
        if e.get("value") == paper_id
    ]
    return action_id


async def _press(socket_fake: FakeSocketModeServer, payload: dict) -> None:
    envelope_id = socket_fake.deliver("interactive", payload)
    ack = await asyncio.to_thread(socket_fake.wait_ack, envelope_id)
    assert ack is not None and ack.latency < ACK_DEADLINE


async def test_save_button_saves_for_the_presser_and_answers_only_them(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer
) -> None:
    config = make_config(fake, "socket")
    core = make_core(config)
    task = asyncio.create_task(run_slack(core, config))
    try:
        assert await asyncio.to_thread(socket_fake.wait_connected)
        message, paper_id = await _card_message(core)
        save_id = _save_action(message, paper_id)
        await _press(
            socket_fake, block_actions(message, save_id, response_url=fake.response_url("p1"))
        )
        [first] = await wait_posts(fake, 1, "response_url")
        user = user_store.UserKey("slack", TEAM_ID, "U1")
        assert [r["id"] for r in user_store.library_rows(core.db, user)] == [paper_id]
        assert first.channel == "p1" and first.body["text"].startswith(f"Saved {paper_id}")
        assert first.body["response_type"] == "ephemeral"
        assert first.body["replace_original"] is False  # the card stays for everyone else

        await _press(
            socket_fake, block_actions(message, save_id, response_url=fake.response_url("p2"))
        )
        posts = await wait_posts(fake, 2, "response_url")
        second = posts[1]
        assert second.channel == "p2" and "already saved" in second.body["text"]
        assert second.body["response_type"] == "ephemeral"
        assert len(user_store.library_rows(core.db, user)) == 1
        assert not fake.messages("chat.postMessage")  # nothing said in the channel
        assert not socket_fake.bad_acks and not fake.rejected
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await core.aclose()


async def test_http_mode_save_press_is_acked_in_time_and_answered(fake: FakeSlackWebApi) -> None:
    """In HTTP mode Slack POSTs the press as a signed form with one `payload` field holding
    the JSON (https://api.slack.com/interactivity/handling#payloads)."""
    async with http_runtime_for(fake) as runtime:
        message, paper_id = await _card_message(runtime.core)
        payload = block_actions(
            message, _save_action(message, paper_id), response_url=fake.response_url("h1")
        )
        body = urlencode({"payload": json.dumps(payload)})
        started = time.monotonic()
        resp = await post_raw(runtime, body, signed_headers(SECRET, body, int(time.time())))
        assert resp.status_code == 200 and time.monotonic() - started < ACK_DEADLINE
        [answer] = await wait_posts(fake, 1, "response_url")
        assert answer.body["text"].startswith(f"Saved {paper_id}")
        assert answer.body["response_type"] == "ephemeral"
