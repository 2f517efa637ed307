"""Exactly once on Slack when answers are lost: the fake stores a message, then answers 500 or
drops the connection; the same key sent again (as the delivery engine does) must find the
message instead of posting it twice — parents, thread replies, DMs and replies split over
several messages alike, in the same process or a restarted one. Then the real scheduler and
delivery engine with 20% of answers lost and some 429s: every key arrives exactly once.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from adapters.slack.poster import SlackPoster
from adapters.slack.render import render_reply
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.config import SlackConfig
from bot.daily.posting import DeliveryError
from bot.daily.scheduler import Scheduler
from bot.model import Link, PaperCard, Place, Reply
from storage import users as user_store
from storage.ledger import Ledger
from tests.fakes.hf import FakeHF
from tests.fakes.server import Fault
from tests.fakes.slack.web_api import BOT_TOKEN, LOST_ANSWER_KINDS, TEAM_ID, FakeSlackWebApi
from tests.support.scheduling import DAY, NINE, make_core, set_clock
from tests.support.slack import metadata_keys, slack_channel

CHANNEL = Place("slack", "C1", TEAM_ID)
PARENT = Reply(text="3 papers today", title="Daily Papers — Wed 1 Oct 2025 · 3 papers")
KEY = "2025-10-01:2510.00001@C1"
Send = Callable[[SlackPoster], Awaitable[str]]


@pytest.fixture
def poster(fake: FakeSlackWebApi, clock: FakeClock) -> SlackPoster:
    return SlackPoster(make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN), clock)


def card(n: int) -> PaperCard:
    return PaperCard(
        paper_id=f"2510.{n:05d}",
        title=f"Paper {n}",
        url=f"https://huggingface.co/papers/2510.{n:05d}",
        tldr="A TL;DR.",
        upvotes=n,
        links=(Link("arXiv", f"https://arxiv.org/abs/2510.{n:05d}"),),
        rank=n,
    )


def long_reply() -> Reply:
    """A reply Slack cannot take in one message (more than 50 blocks): three or more."""
    reply = Reply(text="Many papers", title="Many papers", cards=tuple(map(card, range(40))))
    assert len(render_reply(reply)) >= 3
    return reply


async def sender_for(poster: SlackPoster, target: str, reply: Reply) -> Send:
    """Set the target up (a thread needs its parent); return how any poster sends the item."""
    if target == "thread reply":
        parent = await poster.post(CHANNEL, PARENT, key="2025-10-01:parent@C1")
        thread = await poster.open_thread(CHANNEL, parent, "Daily Papers")
        return lambda p: p.reply_in_thread(thread, reply, key=KEY)
    if target == "dm":
        return lambda p: p.send_dm(TEAM_ID, "U1", reply, key=KEY)
    return lambda p: p.post(CHANNEL, reply, key=KEY)


def parts_posted(fake: FakeSlackWebApi) -> Counter[tuple[str, int]]:
    return Counter(metadata_keys(fake))


@pytest.mark.parametrize("restarted", [False, True], ids=["same process", "restarted"])
@pytest.mark.parametrize("kind", LOST_ANSWER_KINDS)
@pytest.mark.parametrize("target", ["parent", "thread reply", "dm"])
async def test_a_message_whose_answer_was_lost_is_not_posted_again(
    poster: SlackPoster,
    fake: FakeSlackWebApi,
    clock: FakeClock,
    target: str,
    kind: str,
    restarted: bool,
) -> None:
    send = await sender_for(poster, target, Reply(text="1. Paper 1", cards=(card(1),)))
    fake.lose_answer(kind)
    with pytest.raises(DeliveryError) as err:
        await send(poster)
    assert not err.value.permanent  # so the engine sends the same key again
    [(lost_kind, stored_ts)] = fake.answers_lost
    assert lost_kind == kind
    assert len(fake.method_calls("chat.postMessage")) == 1 + (target == "thread reply")
    again = SlackPoster(poster.client, clock) if restarted else poster
    assert await send(again) == stored_ts
    assert parts_posted(fake)[(KEY, 0)] == 1
    assert set(parts_posted(fake).values()) == {1}
    read = "conversations.replies" if target == "thread reply" else "conversations.history"
    calls = fake.method_calls(read)
    assert calls and all(c.query["include_all_metadata"] in ("1", "true") for c in calls)


async def test_a_thread_is_read_again_after_a_failed_send_only(
    poster: SlackPoster, fake: FakeSlackWebApi
) -> None:
    parent = await poster.post(CHANNEL, PARENT, key="p")
    thread = await poster.open_thread(CHANNEL, parent, "Daily Papers")
    await poster.reply_in_thread(thread, Reply(text="one"), key="k1")
    assert fake.method_calls("conversations.replies") == []  # it posted the parent itself
    fake.lose_answer("drop")
    with pytest.raises(DeliveryError):
        await poster.reply_in_thread(thread, Reply(text="two"), key="k2")
    await poster.reply_in_thread(thread, Reply(text="two"), key="k2")
    await poster.reply_in_thread(thread, Reply(text="three"), key="k3")
    assert len(fake.method_calls("conversations.replies")) == 1
    assert [k for k, _ in metadata_keys(fake)] == ["p", "k1", "k2", "k3"]


@pytest.mark.parametrize("target", ["parent", "thread reply", "dm"])
async def test_a_split_reply_resumes_after_its_last_stored_part(
    poster: SlackPoster, fake: FakeSlackWebApi, clock: FakeClock, target: str
) -> None:
    reply = long_reply()
    send = await sender_for(poster, target, reply)
    fake.lose_answer("500", after=1)  # the first part answers, the second is stored unanswered
    with pytest.raises(DeliveryError):
        await send(poster)
    assert [k for k in metadata_keys(fake) if k[0] == KEY] == [(KEY, 0), (KEY, 1)]
    first = await send(SlackPoster(poster.client, clock))  # a restarted process
    n_parts = len(render_reply(reply))
    counts = parts_posted(fake)
    assert [counts[(KEY, n)] for n in range(n_parts)] == [1] * n_parts
    [head] = [p for p in fake.messages("chat.postMessage") if p.ts == first]
    assert head.body["metadata"]["event_payload"]["key"] == KEY
    tail = [
        p
        for p in fake.messages("chat.postMessage")
        if p.body["metadata"]["event_payload"].get("part")
    ]
    thread = head.thread_ts or head.ts  # continuation parts go to the item's thread
    assert {p.thread_ts for p in tail} == {thread}


async def test_a_channel_it_cannot_read_is_still_posted_to(
    poster: SlackPoster, fake: FakeSlackWebApi, caplog: pytest.LogCaptureFixture
) -> None:
    """chat:write.public lets the bot post to a public channel it is not in, where Slack
    refuses reads (not_in_channel); an install without a newer scope answers missing_scope.
    The send goes ahead unchecked, with one warning per channel."""
    fake.read_errors.update({"C1": "not_in_channel", "DU1": "missing_scope"})
    with caplog.at_level(logging.WARNING, "adapters.slack.poster"):
        parent = await poster.post(CHANNEL, PARENT, key="p")
        await poster.post(CHANNEL, PARENT, key="p2")
        await poster.send_dm(TEAM_ID, "U1", Reply(text="your alerts"), key="dm")
    assert parent and len(fake.messages("chat.postMessage")) == 3
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 2 and "not_in_channel" in warned[0] and "missing_scope" in warned[1]


async def test_a_failed_read_back_is_retried_not_skipped(
    poster: SlackPoster, fake: FakeSlackWebApi
) -> None:
    """Posting without knowing whether the message is there could duplicate it."""
    fake.inject("status", status=502, body="bad gateway", path_prefix="/api/conversations.history")
    with pytest.raises(DeliveryError) as err:
        await poster.post(CHANNEL, PARENT, key="p")
    assert not err.value.permanent and "conversations.history: http_502" in err.value.reason
    assert fake.method_calls("chat.postMessage") == []
    assert await poster.post(CHANNEL, PARENT, key="p")  # the engine's next try
    assert len(fake.messages("chat.postMessage")) == 1


# --- the delivery engine, with lost answers and 429s ------------------------------------
@dataclass
class LossySlack(FakeSlackWebApi):
    """chat.postMessage: `lost_rate` of stored messages lose their answer (500 or a dropped
    connection) and `limited_rate` of calls get a 429 first (never stored). Each channel's
    n-th call decides from (seed, channel, n), so concurrent channels stay deterministic."""

    seed: int = 0
    lost_rate: float = 0.0
    limited_rate: float = 0.0
    limited: list[str] = field(default_factory=list)
    _seen: Counter[str] = field(default_factory=Counter)

    def _dice(self, what: str, channel: str) -> float:
        self._seen[what + channel] += 1
        return random.Random(f"{self.seed}:{what}:{channel}:{self._seen[what + channel]}").random()

    def _take_fault(self, path: str) -> Fault | None:
        planned = super()._take_fault(path)
        if planned or path != "/api/chat.postMessage":
            return planned
        channel = self.calls[-1].json().get("channel", "") if self.calls[-1].body else ""
        if self._dice("429", channel) >= self.limited_rate:
            return None
        self.limited.append(channel)
        return Fault("429", retry_after=0)

    def _take_lost_answer(self, method: str) -> str | None:
        planned = super()._take_lost_answer(method)
        if planned or method != "chat.postMessage":
            return planned
        channel = self.posted[-1].channel
        if self._dice("lost", channel) >= self.lost_rate:
            return None
        return LOST_ANSWER_KINDS[len(self.answers_lost) % 2]  # both, once two are lost


@pytest.mark.parametrize("seed", [4, 8, 12])  # seeds that lose both parents, a DM, replies
async def test_with_a_fifth_of_answers_lost_every_key_arrives_once(hf: FakeHF, seed: int) -> None:
    with LossySlack(min_interval=0.0, seed=seed, lost_rate=0.2, limited_rate=0.08) as slack:
        slack.add_user("U1")
        core, clock = make_core(hf.url)
        user = user_store.UserKey("slack", TEAM_ID, "U1")
        user_store.add_topic(core.db, user, "agent")
        user_store.set_alerts(core.db, user, "dm")
        for cid in ("CA", "CB"):
            slack_channel(core, cid, max_papers=8)
        client = make_web_client(SlackConfig(api_base_url=slack.api_url), BOT_TOKEN)
        sched = Scheduler(core, {"slack": SlackPoster(client, clock)})
        set_clock(clock, NINE)
        await sched.run_due(NINE)
        await sched.fetch_and_alert(clock.now())
    keys = metadata_keys(slack)
    assert len(keys) == len(set(keys)) == 2 * 9 + 1, slack.answers_lost
    assert Ledger(core.db).pending_targets() == []
    ts_of = {
        key: p.ts for (key, _), p in zip(keys, slack.messages("chat.postMessage"), strict=True)
    }
    for cid in ("CA", "CB"):
        for row in Ledger(core.db).rows(f"slack:{TEAM_ID}:{cid}", DAY):
            item = "parent" if row.item == "thread" else row.item
            assert row.status == "sent" and row.message_id == ts_of[f"{DAY}:{item}@{cid}"]
    assert slack.answers_lost and slack.limited  # the faults did happen
    assert {kind for kind, _ in slack.answers_lost} == set(LOST_ANSWER_KINDS)
