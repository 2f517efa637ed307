"""SlackPoster against the loopback Web API: threads in order with metadata, DMs, limits, resume."""

from __future__ import annotations

import pytest

from adapters.slack.poster import SlackPoster
from bot.clock import FakeClock
from bot.config import Config
from bot.daily.posting import DeliveryError
from bot.model import Link, PaperCard, Place, Reply
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.web_api import BOT_TOKEN, TEAM_ID, FakeSlackWebApi

TOKEN_ENV = "PAPERBOT_TEST_SLACK_BOT_TOKEN"
CHANNEL = Place("slack", "C1", TEAM_ID)


@pytest.fixture
def poster(fake: FakeSlackWebApi, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> SlackPoster:
    monkeypatch.setenv(TOKEN_ENV, BOT_TOKEN)
    config = Config.model_validate(
        {"slack": {"api_base_url": fake.api_url, "bot_token_env": TOKEN_ENV}}
    )
    return SlackPoster.from_config(config, clock)


def item(n: int, mentions: tuple[str, ...] = ()) -> Reply:
    card = PaperCard(
        paper_id=f"2510.0000{n}",
        title=f"Paper {n} <b>&",
        url=f"https://huggingface.co/papers/2510.0000{n}",
        tldr="A TL;DR.",
        upvotes=n,
        links=(Link("arXiv", f"https://arxiv.org/abs/2510.0000{n}"),),
        rank=n,
    )
    return Reply(text=f"{n}. Paper {n} <b>&", cards=(card,), mention_user_ids=mentions)


PARENT = Reply(text="3 papers today", title="Daily Papers — Wed 1 Oct 2025 · 3 papers")


async def post_thread(poster: SlackPoster, n: int = 3) -> tuple[str, list[str]]:
    parent_ts = await poster.post(CHANNEL, PARENT, key="2025-10-01:parent")
    thread = await poster.open_thread(CHANNEL, parent_ts, "Daily Papers")
    assert thread.thread_id == parent_ts and thread.channel_id == "C1"
    tss = []
    for i in range(1, n + 1):
        mentions = ("USUB1",) if i == 2 else ()
        tss.append(
            await poster.reply_in_thread(thread, item(i, mentions), key=f"2025-10-01:2510.0000{i}")
        )
    return parent_ts, tss


async def test_thread_parent_then_replies_in_order_with_metadata(
    poster: SlackPoster, fake: FakeSlackWebApi, clock: FakeClock
) -> None:
    parent_ts, tss = await post_thread(poster)
    posted = fake.messages("chat.postMessage", "C1")
    assert [p.ts for p in posted] == [parent_ts, *tss]
    assert posted[0].thread_ts is None
    assert [p.thread_ts for p in posted[1:]] == [parent_ts] * 3
    payloads = [p.body["metadata"]["event_payload"] for p in posted]
    assert [p["paper_id"] for p in payloads] == ["", "2510.00001", "2510.00002", "2510.00003"]
    assert {p["day"] for p in payloads} == {"2025-10-01"}
    assert all(p.body["metadata"]["event_type"] == "paperbot_item" for p in posted)
    assert "<@USUB1>" in str(posted[2].body) and "<@" not in str(posted[1].body)
    assert "&lt;b&gt;&amp;" in posted[1].body["blocks"][0]["text"]["text"]
    assert all(validate_message(p.body).ok for p in posted)
    # one message per second per channel, timed on the injected clock (no real waiting)
    assert clock.sleeps == [1.0, 1.0, 1.0]


async def test_resumed_delivery_skips_what_the_thread_already_has(
    poster: SlackPoster, fake: FakeSlackWebApi, clock: FakeClock
) -> None:
    parent_ts, tss = await post_thread(poster, 2)
    restarted = SlackPoster(poster.client, clock)  # a new process: nothing cached
    thread = await restarted.open_thread(CHANNEL, parent_ts, "Daily Papers")
    again = await restarted.reply_in_thread(thread, item(2), key="2025-10-01:2510.00002")
    new = await restarted.reply_in_thread(thread, item(3), key="2025-10-01:2510.00003")
    assert again == tss[1]
    posted = fake.messages("chat.postMessage", "C1")
    assert len(posted) == 4 and posted[-1].ts == new
    # the first poster posted the parent, so it knew the thread was empty; the restarted one
    # reads the thread once, then keeps it up to date with its own sends
    assert len(fake.method_calls("conversations.replies")) == 1


async def test_dm_to_a_subscriber(poster: SlackPoster, fake: FakeSlackWebApi) -> None:
    reply = Reply(text="2 new papers match your topics", cards=(item(1).cards[0],))
    ts = await poster.send_dm(TEAM_ID, "U1", reply, key="2025-10-01:dm")
    [dm] = fake.messages("chat.postMessage", "DU1")
    assert dm.ts == ts and dm.body["metadata"]["event_payload"]["key"] == "2025-10-01:dm"
    assert fake.method_calls("conversations.open")


async def test_rate_limited_post_is_retried_after_retry_after(
    poster: SlackPoster, fake: FakeSlackWebApi
) -> None:
    fake.inject("429", retry_after=0, path_prefix="/api/chat.postMessage")
    ts = await poster.post(CHANNEL, PARENT, key="2025-10-01:parent")
    assert [p.ts for p in fake.messages("chat.postMessage")] == [ts]
    assert len(fake.method_calls("chat.postMessage")) == 2


async def test_fake_rate_limit_reaches_the_sdk_retry(
    poster: SlackPoster, fake: FakeSlackWebApi
) -> None:
    fake.min_interval, fake.retry_after = 0.05, 0  # tiny window; Retry-After: 0
    poster.min_interval = 0.0  # pretend the adapter forgot to pace: Slack's 429 still saves us
    await poster.post(CHANNEL, PARENT, key="a")
    await poster.post(CHANNEL, PARENT, key="b")
    keys = [p.body["metadata"]["event_payload"]["key"] for p in fake.messages("chat.postMessage")]
    assert keys == ["a", "b"]


async def test_missing_channel_is_a_permanent_failure(
    poster: SlackPoster, fake: FakeSlackWebApi
) -> None:
    fake.channel_errors["C404"] = "channel_not_found"
    with pytest.raises(DeliveryError) as err:
        await poster.post(Place("slack", "C404", TEAM_ID), PARENT, key="k")
    assert err.value.permanent and "channel_not_found" in err.value.reason


async def test_server_errors_are_transient_and_not_resent_by_the_sdk(
    poster: SlackPoster, fake: FakeSlackWebApi
) -> None:
    """A 5xx may come after Slack stored the message: the poster reports it instead of
    letting the SDK resend blindly; the delivery engine retries through the poster."""
    fake.inject("500", path_prefix="/api/chat.postMessage")
    with pytest.raises(DeliveryError) as err:
        await poster.post(CHANNEL, PARENT, key="k")
    assert not err.value.permanent
    assert len(fake.method_calls("chat.postMessage")) == 1
