"""Reading back costs Tier 3 calls (conversations.history/.replies: ~50 a minute per workspace,
https://api.slack.com/apis/rate-limits), so the poster reads only when an earlier try of the
key may have left the message there, and paces those reads on the injected clock. Exactly
once must hold all the same: a resumed item whose answer was lost is read back, not resent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from adapters.slack.poster import SlackPoster
from adapters.slack.readback import TIER_3_BURST, TIER_3_PER_MINUTE
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.config import SlackConfig
from bot.daily.delivery import deliver_thread
from bot.daily.scheduler import Scheduler
from bot.model import Place, Reply
from storage.ledger import Ledger
from tests.fakes.hf import FakeHF
from tests.fakes.slack.rate_tiers import WINDOW_SECONDS, TierLimiter
from tests.fakes.slack.web_api import BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.scheduling import DAY, NINE, make_core, set_clock
from tests.support.slack import metadata_keys, slack_channel

READS = ("conversations.history", "conversations.replies")


@dataclass
class TimedTiers(TierLimiter):
    """The fake's tier limiter, noting when (on the fake's clock) each call came."""

    seen: list[tuple[str, float]] = field(default_factory=list)

    def hit(self, method: str, now: float) -> int | None:
        self.seen.append((method, now))
        return super().hit(method, now)


@pytest.fixture
def slack() -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0) as fake:
        yield fake


def poster_for(fake: FakeSlackWebApi, clock: FakeClock) -> SlackPoster:
    client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
    return SlackPoster(client, clock)


class DiesBeforeLooking(SlackPoster):
    """A process killed right after a reply's answer was lost, before it could read back."""

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        if attempted:
            raise SystemExit("killed")
        return await super().reply_in_thread(thread, reply, key=key, attempted=attempted)


async def test_a_fresh_fan_out_reads_nothing_back(slack: FakeSlackWebApi, hf: FakeHF) -> None:
    core, clock = make_core(hf.url)
    channels = [f"C{n:02d}" for n in range(12)]
    for cid in channels:
        slack_channel(core, cid, max_papers=3)
    sched = Scheduler(core, {"slack": poster_for(slack, clock)})
    set_clock(clock, NINE)
    await sched.run_due(NINE)
    keys = metadata_keys(slack)
    assert len(keys) == len(set(keys)) == len(channels) * 4
    assert [slack.method_calls(m) for m in READS] == [[], []]


async def test_a_resumed_item_after_a_lost_answer_is_read_back_not_repeated(
    slack: FakeSlackWebApi, hf: FakeHF
) -> None:
    core, clock = make_core(hf.url)
    channel = slack_channel(core, "C1", max_papers=3)
    client = make_web_client(SlackConfig(api_base_url=slack.api_url), BOT_TOKEN)
    set_clock(clock, NINE)
    slack.lose_answer("drop", after=1)  # the parent answers; the first reply is stored unanswered
    with pytest.raises(SystemExit):
        await deliver_thread(core, DiesBeforeLooking(client, clock), channel, DAY)
    [row] = [r for r in Ledger(core.db).rows(channel.target, DAY) if r.attempts and r.position > 1]
    assert row.status == "pending"
    result = await deliver_thread(core, SlackPoster(client, clock), channel, DAY)  # restarted
    assert result.status == "sent"
    keys = metadata_keys(slack)
    assert len(keys) == len(set(keys)) == 4
    assert len(slack.method_calls("conversations.replies")) == 1  # for that item only
    assert slack.method_calls("conversations.history") == []  # the parent was recorded sent


async def test_reads_over_the_bucket_wait_on_the_clock_instead_of_bursting() -> None:
    clock = FakeClock()
    tiers = TimedTiers()
    n = 70
    with FakeSlackWebApi(min_interval=0.0, now=clock.monotonic, tiers=tiers) as fake:
        poster = poster_for(fake, clock)
        start = clock.monotonic()
        for i in range(n):  # one after another, so the fake sees each read when it is made
            place = Place("slack", f"C{i:02d}", TEAM_ID)  # attempted (the default): look first
            await poster.post(place, Reply(text="hello"), key=f"k{i}")
        assert len(fake.messages("chat.postMessage")) == n
    reads = [t for m, t in tiers.seen if m == "conversations.history"]
    assert len(reads) == n and "conversations.history" not in fake.rate_limited
    assert reads[:TIER_3_BURST] == [start] * TIER_3_BURST  # a few at once
    assert max(sum(t <= r < t + WINDOW_SECONDS for r in reads) for t in reads) <= TIER_3_PER_MINUTE
    rate = (TIER_3_PER_MINUTE - TIER_3_BURST) / WINDOW_SECONDS
    assert reads[-1] - start == pytest.approx((n - TIER_3_BURST) / rate)
    assert sum(clock.sleeps) == pytest.approx(reads[-1] - start)  # waited on the clock
