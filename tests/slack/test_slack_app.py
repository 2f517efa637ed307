"""End to end: the real Bolt app and slack_sdk, in HTTP mode and Socket Mode, against the fakes
(the runtime, its config and signed requests come from `tests.support.slack_app`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import pytest

from adapters.slack.app import SlackRuntime, SlackStartError, run_slack
from adapters.slack.poster import SlackPoster
from storage import channels as channel_store
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.payloads import slash_command
from tests.fakes.slack.socket_mode import ACK_DEADLINE, FakeSocketModeServer
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.slack_app import (
    SECRET,
    http_runtime_for,
    make_config,
    make_core,
    post_slash,
    wait_posts,
)

pytestmark = pytest.mark.usefixtures("slack_env")


@pytest.fixture
def fake(socket_fake: FakeSocketModeServer) -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0, socket_url=socket_fake.ws_url) as f:
        f.add_user("U1")
        f.add_user("UADMIN", admin=True)
        f.add_user("UOWNER", owner=True)
        yield f


@pytest.fixture
async def http_runtime(fake: FakeSlackWebApi) -> AsyncIterator[SlackRuntime]:
    async with http_runtime_for(fake, admins=["ULISTED"]) as runtime:
        yield runtime


# --- HTTP mode --------------------------------------------------------------------------
async def test_http_signed_search_is_acked_fast_and_answered(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    payload = slash_command("search diffusion", response_url=fake.response_url("search"))
    resp, took = await post_slash(http_runtime, payload)
    assert resp.status_code == 200 and took < 3.0
    [answer] = await wait_posts(fake, 1, "response_url")
    assert answer.channel == "search" and validate_message(answer.body).ok
    assert answer.body["response_type"] in ("ephemeral", "in_channel")
    text = json.dumps(answer.body).lower()
    assert "diffusion" in text and "huggingface.co/papers/" in text
    assert not fake.rejected


async def test_a_query_with_operators_survives_slacks_escaping(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    """Slack sends `upvotes>=20` as `upvotes&gt;=20`; it must still be a threshold."""
    payload = slash_command("search upvotes>=20", response_url=fake.response_url("search"))
    assert "&gt;" in payload["text"]
    assert (await post_slash(http_runtime, payload))[0].status_code == 200
    [answer] = await wait_posts(fake, 1, "response_url")
    assert "stored papers match upvotes&gt;=20" in answer.body["text"]  # escaped again on output
    assert json.dumps(answer.body).count("huggingface.co/papers/") >= 10


@pytest.mark.parametrize(("secret", "age"), [("wrong-secret", 0), (SECRET, 6 * 60)])
async def test_http_bad_signature_or_stale_timestamp_is_refused(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi, secret: str, age: int
) -> None:
    payload = slash_command("channel enable", user_id="UADMIN", response_url=fake.response_url())
    resp, _ = await post_slash(http_runtime, payload, secret=secret, age=age)
    assert resp.status_code == 401
    # a good request afterwards is answered, so nothing from the refused one was pending
    good = slash_command("help", response_url=fake.response_url("help"))
    assert (await post_slash(http_runtime, good))[0].status_code == 200
    [answer] = await wait_posts(fake, 1, "response_url")
    assert answer.channel == "help"
    assert channel_store.enabled_channels(http_runtime.core.db) == []
    assert not fake.method_calls("users.info") and not fake.method_calls("chat.postMessage")


async def test_non_admin_channel_enable_gets_an_ephemeral_refusal(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    payload = slash_command("channel enable", user_id="U1", response_url=fake.response_url())
    assert (await post_slash(http_runtime, payload))[0].status_code == 200
    [answer] = await wait_posts(fake, 1, "response_url")
    assert answer.body["response_type"] == "ephemeral"
    assert "only channel admins" in answer.body["text"].lower()
    assert channel_store.enabled_channels(http_runtime.core.db) == []
    assert len(fake.method_calls("users.info")) == 1


@pytest.mark.parametrize("user", ["UADMIN", "UOWNER", "ULISTED"])
async def test_admin_channel_enable_is_stored_for_team_and_channel(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi, user: str
) -> None:
    text = "channel enable time 08:30 tz Europe/Berlin"
    payload = slash_command(
        text, user_id=user, channel_id="CPAPERS", response_url=fake.response_url()
    )
    assert (await post_slash(http_runtime, payload))[0].status_code == 200
    [answer] = await wait_posts(fake, 1, "response_url")
    assert answer.body["response_type"] == "ephemeral"
    [row] = channel_store.enabled_channels(http_runtime.core.db)
    assert (row["platform"], row["workspace_id"], row["channel_id"]) == (
        "slack",
        TEAM_ID,
        "CPAPERS",
    )
    assert (row["time"], row["timezone"]) == ("08:30", "Europe/Berlin")


async def enable_in(runtime: SlackRuntime, fake: FakeSlackWebApi, channel: str):
    payload = slash_command(
        "channel enable", user_id="UADMIN", channel_id=channel, response_url=fake.response_url()
    )
    assert (await post_slash(runtime, payload))[0].status_code == 200
    [answer] = await wait_posts(fake, 1, "response_url")
    return answer


async def test_enabling_a_public_channel_joins_it_so_it_can_read_back(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    fake.add_channel("CPUB", member=False)  # posting would work (chat:write.public), reads not
    answer = await enable_in(http_runtime, fake, "CPUB")
    assert "enabled" in answer.body["text"].lower()
    assert fake.workspace.conversations["CPUB"].bot_member
    assert [c.query.get("channel") for c in fake.method_calls("conversations.join")] == ["CPUB"]
    assert [r["channel_id"] for r in channel_store.enabled_channels(http_runtime.core.db)] == [
        "CPUB"
    ]


async def test_a_private_channel_without_the_bot_is_refused_with_what_to_do(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    fake.add_channel("CPRIV", private=True, member=False)
    answer = await enable_in(http_runtime, fake, "CPRIV")
    assert answer.body["response_type"] == "ephemeral"
    assert "invite @paperbot first" in answer.body["text"].lower()
    assert channel_store.enabled_channels(http_runtime.core.db) == []


async def test_a_private_channel_the_bot_is_in_is_enabled(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    fake.add_channel("CMINE", private=True)
    answer = await enable_in(http_runtime, fake, "CMINE")
    assert "enabled" in answer.body["text"].lower()
    assert len(channel_store.enabled_channels(http_runtime.core.db)) == 1


async def test_http_mode_refuses_to_start_without_signing_secret(
    fake: FakeSlackWebApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAPERBOT_TEST_SLACK_SECRET")
    config = make_config(fake, "http")
    runtime = SlackRuntime(make_core(config), config, host="127.0.0.1")
    with pytest.raises(SlackStartError, match="PAPERBOT_TEST_SLACK_SECRET"):
        await runtime.start()
    await runtime.stop()


# --- Socket Mode ------------------------------------------------------------------------
async def test_socket_mode_slash_command_is_acked_and_answered(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer
) -> None:
    config = make_config(fake, "socket")
    core = make_core(config)
    ready: list[SlackPoster] = []
    task = asyncio.create_task(run_slack(core, config, on_ready=ready.append))
    try:
        assert await asyncio.to_thread(socket_fake.wait_connected)
        payload = slash_command("today 3", response_url=fake.response_url("today"))
        envelope_id = socket_fake.deliver_slash_command(payload)
        ack = await asyncio.to_thread(socket_fake.wait_ack, envelope_id)
        assert ack is not None and ack.latency < ACK_DEADLINE
        assert len(ready) == 1 and ready[0].platform == "slack"
        [answer] = await wait_posts(fake, 1, "response_url")
        assert answer.channel == "today" and validate_message(answer.body).ok
        assert "Daily Papers" in answer.body["text"]
        assert not socket_fake.bad_acks
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await core.aclose()
    assert fake.method_calls("apps.connections.open")


async def test_socket_mode_reconnects_when_slack_recycles_the_connection(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer
) -> None:
    """Slack sends `disconnect` (refresh_requested) and closes the socket: the app opens a new
    connection (apps.connections.open again) and commands keep being acked and answered."""
    config = make_config(fake, "socket")
    core = make_core(config)
    task = asyncio.create_task(run_slack(core, config))
    try:
        assert await asyncio.to_thread(socket_fake.wait_connected)
        socket_fake.send_disconnect("refresh_requested")
        assert await asyncio.to_thread(socket_fake.wait_connections, 2)
        payload = slash_command("today 3", response_url=fake.response_url("after"))
        envelope_id = socket_fake.deliver_slash_command(payload)
        ack = await asyncio.to_thread(socket_fake.wait_ack, envelope_id)
        assert ack is not None and ack.latency < ACK_DEADLINE
        [answer] = await wait_posts(fake, 1, "response_url")
        assert answer.channel == "after"
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await core.aclose()
    assert len(fake.method_calls("apps.connections.open")) >= 2
    assert socket_fake.disconnects_sent == ["refresh_requested"]


async def test_socket_mode_keeps_answering_while_slack_recycles_it_periodically(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer
) -> None:
    socket_fake.disconnect_every = 0.4
    config = make_config(fake, "socket")
    core = make_core(config)
    task = asyncio.create_task(run_slack(core, config))
    try:
        for n in range(1, 4):
            assert await asyncio.to_thread(socket_fake.wait_connections, n)
            payload = slash_command("help", response_url=fake.response_url(f"c{n}"))
            envelope_id = socket_fake.deliver_slash_command(payload)
            assert await asyncio.to_thread(socket_fake.wait_ack, envelope_id)
            await wait_posts(fake, n, "response_url")
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await core.aclose()
    assert [p.channel for p in fake.messages("response_url")] == ["c1", "c2", "c3"]
    assert socket_fake.disconnects_sent and not socket_fake.bad_acks


async def test_socket_mode_bad_app_token_is_a_clear_error(
    fake: FakeSlackWebApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERBOT_TEST_SLACK_APP", "xapp-wrong")
    config = make_config(fake, "socket")
    with pytest.raises(SlackStartError, match="invalid_auth"):
        await run_slack(make_core(config), config)


async def test_an_install_without_channels_join_still_enables_and_says_what_to_do(
    http_runtime: SlackRuntime, fake: FakeSlackWebApi
) -> None:
    """An app installed before channels:join was in the manifest: Slack answers missing_scope."""
    fake.add_channel("CPUB", member=False)
    fake.channel_errors["CPUB"] = "missing_scope"  # what conversations.join answers there
    payload = slash_command(
        "channel enable", user_id="UADMIN", channel_id="CPUB", response_url=fake.response_url()
    )
    assert (await post_slash(http_runtime, payload))[0].status_code == 200
    [answer] = await wait_posts(fake, 1, "response_url")
    text = json.dumps(answer.body)
    assert "enabled" in text.lower() and "channels:join" in text and "reinstall" in text
    assert len(channel_store.enabled_channels(http_runtime.core.db)) == 1
