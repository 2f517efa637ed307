"""`/papers channel test` end to end on Slack (issue #12, item 7): a signed slash command to the
real Bolt app in HTTP mode, answered in its handler, the thread posted through the same
`SlackPoster` the scheduler uses, against the loopback Web API fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from adapters.slack.app import SlackRuntime
from bot.daily.channels import load_channel
from bot.daily.delivery import day_already_posted
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.payloads import slash_command
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.slack_app import http_runtime_for, post_slash, wait_posts

DAY = "2025-10-01"  # the latest stored day at the fake clock's start


pytestmark = pytest.mark.usefixtures("slack_env")


@pytest.fixture
def fake() -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0) as f:
        f.add_user("U1")
        f.add_user("UADMIN", admin=True)
        f.add_channel("CPAPERS")
        yield f


@pytest.fixture
async def runtime(fake: FakeSlackWebApi) -> AsyncIterator[SlackRuntime]:
    async with http_runtime_for(fake) as rt:
        yield rt


async def _slash(rt: SlackRuntime, fake: FakeSlackWebApi, text: str, user: str, n: int) -> str:
    """Send `/papers <text>`; the text of the `n`-th response_url answer so far."""
    payload = slash_command(
        text, user_id=user, channel_id="CPAPERS", response_url=fake.response_url(f"r{n}")
    )
    assert (await post_slash(rt, payload))[0].status_code == 200
    answers = await wait_posts(fake, n, "response_url")
    assert answers[n - 1].body["response_type"] == "ephemeral"
    return str(answers[n - 1].body["text"])


async def test_an_admin_posts_a_marked_test_thread_to_the_channel_once(
    runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    assert "enabled" in await _slash(runtime, fake, "channel enable max 3", "UADMIN", 1)
    said = await _slash(runtime, fake, "channel test", "UADMIN", 2)
    assert "Posted a test thread" in said, said
    posts = fake.messages("chat.postMessage", channel="CPAPERS")
    assert len(posts) == 4  # the parent and three papers
    parent, *replies = posts
    assert parent.thread_ts is None and "[test] Daily Papers" in parent.body["text"]
    assert all(r.thread_ts == parent.ts for r in replies)
    assert all(validate_message(p.body).ok for p in posts)
    assert all("<@" not in p.body["text"] and "<!" not in p.body["text"] for p in posts)
    # a second test right away is refused, privately, and posts nothing
    said = await _slash(runtime, fake, "channel test", "UADMIN", 3)
    assert "one test per channel every 10 minutes" in said
    assert len(fake.messages("chat.postMessage")) == 4
    # and the day's real thread is still to come
    settings = load_channel(runtime.core, ("slack", TEAM_ID, "CPAPERS"))
    assert settings is not None and not day_already_posted(runtime.core, settings, DAY)


async def test_a_member_cannot_post_a_test(runtime: SlackRuntime, fake: FakeSlackWebApi) -> None:
    said = await _slash(runtime, fake, "channel test", "U1", 1)
    assert "only channel admins" in said.lower()
    assert fake.messages("chat.postMessage") == []
