"""The "More like this" button end to end: a card's button, clicked (a real block_actions
envelope over Socket Mode), answers the clicker alone with papers like that one."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack.app import run_slack
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.payloads import block_actions, slash_command
from tests.fakes.slack.socket_mode import ACK_DEADLINE, FakeSocketModeServer
from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.slack_app import make_config, make_core, wait_posts

BRORL = "2510.01180"


SOCKET_MODE = True  # `fake` answers apps.connections.open with `socket_fake`
pytestmark = pytest.mark.usefixtures("slack_env")


async def test_more_like_this_answers_the_clicker_privately(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer
) -> None:
    config = make_config(fake, "socket")
    core = make_core(config)
    task = asyncio.create_task(run_slack(core, config))
    try:
        assert await asyncio.to_thread(socket_fake.wait_connected)
        socket_fake.deliver_slash_command(
            slash_command(f"show {BRORL}", response_url=fake.response_url("show"))
        )
        [card] = await wait_posts(fake, 1, "response_url")
        buttons = [e for b in card.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
        [more] = [b for b in buttons if b["text"]["text"] == "More like this"]
        assert more["action_id"] == f"paperbot:similar:{BRORL}"

        click = block_actions(card.body, more["action_id"], response_url=fake.response_url("click"))
        envelope = socket_fake.deliver("interactive", click)
        ack = await asyncio.to_thread(socket_fake.wait_ack, envelope)
        assert ack is not None and ack.latency < ACK_DEADLINE
        answers = await wait_posts(fake, 2, "response_url")
        answer = answers[-1]
        assert answer.channel == "click" and validate_message(answer.body).ok
        assert answer.body["response_type"] == "ephemeral"
        assert answer.body["replace_original"] is False  # the card it was pressed on stays
        assert "BroRL" in answer.body["text"] and "Like" in answer.body["text"]
        assert f"papers/{BRORL}|" not in str(answer.body["blocks"])  # not the paper itself
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await core.aclose()
