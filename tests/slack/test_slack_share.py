"""Share to the channel on Slack (issue #12, item 8), end to end: the real Bolt app in HTTP mode
against the Web API fake — `/papers show <id> share` and the Share button on a private card
(a signed block_actions click) both post that one card, "Shared by" the display name as text."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from adapters.slack.app import SlackRuntime
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.payloads import (
    ephemeral_block_actions,
    form_body,
    signed_headers,
    slash_command,
)
from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.slack_app import (
    SECRET,
    http_runtime_for,
    post_raw,
    post_slash,
    wait_posts,
)

MCPMARK = "2509.24002"


pytestmark = pytest.mark.usefixtures("slack_env")


@pytest.fixture
def fake() -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0) as f:
        f.add_user("U1", display_name="Ada Lovelace")
        f.add_user("U2", display_name="<!channel> @here")
        f.add_channel("CPAPERS")
        yield f


@pytest.fixture
async def runtime(fake: FakeSlackWebApi) -> AsyncIterator[SlackRuntime]:
    async with http_runtime_for(fake) as rt:
        yield rt


async def _slash(rt: SlackRuntime, fake: FakeSlackWebApi, text: str, user: str = "U1") -> None:
    payload = slash_command(
        text, user_id=user, channel_id="CPAPERS", response_url=fake.response_url("slash")
    )
    assert (await post_slash(rt, payload))[0].status_code == 200


def _public(fake: FakeSlackWebApi) -> list:
    return fake.messages("chat.postMessage", channel="CPAPERS")


async def test_show_share_posts_the_card_shared_by_the_display_name(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    await _slash(runtime, fake, f"show {MCPMARK} share")
    [said] = await wait_posts(fake, 1, "response_url")
    assert said.body["response_type"] == "ephemeral" and "Shared" in said.body["text"]
    [post] = _public(fake)
    shown = json.dumps(post.body)
    assert post.body["text"].startswith("Shared by @Ada Lovelace")
    assert MCPMARK in shown and validate_message(post.body).ok
    assert "<@" not in shown and "<!" not in shown  # no mention of anyone


async def test_a_display_name_that_looks_like_a_broadcast_pings_nobody(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    await _slash(runtime, fake, f"show {MCPMARK} share", user="U2")
    await wait_posts(fake, 1, "response_url")
    [post] = _public(fake)
    shown = json.dumps(post.body)
    assert "Shared by @&lt;!channel&gt; @here" in post.body["text"]
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@" not in shown


async def test_a_private_card_has_a_share_button_that_shares_it(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    await _slash(runtime, fake, f"show {MCPMARK}")
    [card] = await wait_posts(fake, 1, "response_url")
    assert card.body["response_type"] == "ephemeral" and validate_message(card.body).ok
    buttons = [
        e for b in card.body["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]  # fmt: skip
    [share] = [b for b in buttons if b["action_id"].startswith("paperbot:share:")]
    assert share["action_id"] == f"paperbot:share:{MCPMARK}" and "url" not in share
    assert _public(fake) == []  # showing shares nothing
    click = ephemeral_block_actions(
        share["action_id"],
        response_url=fake.response_url("click"),
        user_id="U1",
        channel_id="CPAPERS",
        value=share["value"],
    )
    body = form_body(click)
    resp = await post_raw(runtime, body, signed_headers(SECRET, body, int(time.time())))
    assert resp.status_code == 200  # acked
    answers = await wait_posts(fake, 2, "response_url")
    confirm = answers[-1].body
    assert confirm["response_type"] == "ephemeral" and confirm["replace_original"] is False
    assert f"Shared {MCPMARK}" in confirm["text"]
    [post] = _public(fake)
    assert post.body["text"].startswith("Shared by @Ada Lovelace")
    # a second click the same day posts nothing more
    again = ephemeral_block_actions(
        share["action_id"], response_url=fake.response_url("again"), channel_id="CPAPERS"
    )
    body = form_body(again)
    await post_raw(runtime, body, signed_headers(SECRET, body, int(time.time())))
    answers = await wait_posts(fake, 3, "response_url")
    assert "already shared" in answers[-1].body["text"] and len(_public(fake)) == 1
