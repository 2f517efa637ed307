"""The scheduler driving the real SlackPoster (slack_sdk) against the loopback Slack fake,
with Hugging Face served by FakeHF: the day re-fetched before posting, a permission error
pausing only its channel, channels delivered concurrently, fetch-then-DM jobs, and every
message exactly once with 10% of Slack calls failing. The clock is a FakeClock throughout
(the poster's 1 message/s pacing sleeps on it), so nothing waits for real pacing.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory import MemoryAdapter, MemoryPoster
from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.config import SlackConfig
from bot.daily.scheduler import Scheduler
from bot.model import Place
from storage import channels as channel_store
from storage import users as user_store
from storage.ledger import Ledger
from tests.fakes.hf import FakeHF
from tests.fakes.server import Fault
from tests.fakes.slack.web_api import BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.core import DAYS
from tests.support.scheduling import DAY, NINE, make_core, save_channel, set_clock
from tests.support.slack import metadata_keys, slack_channel


@dataclass
class FlakySlack(FakeSlackWebApi):
    """Answers a random `rate` of message/conversation calls with 429, 500 or a slow 504."""

    rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(5))
    injected: list[str] = field(default_factory=list)

    def _take_fault(self, path: str) -> Fault | None:
        planned = super()._take_fault(path)
        if planned or not path.startswith(("/api/chat.", "/api/conversations.")):
            return planned
        if self.rng.random() >= self.rate:
            return None
        kind = self.rng.choice(["429", "500", "timeout"])
        self.injected.append(kind)
        return Fault(kind, retry_after=0, delay=0.2)


@pytest.fixture
def slack() -> Iterator[FlakySlack]:
    with FlakySlack(min_interval=0.0) as fake:
        fake.add_user("U1")
        yield fake


def slack_poster(fake: FakeSlackWebApi, clock: FakeClock) -> SlackPoster:
    client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
    return SlackPoster(client, clock)


async def test_the_day_is_refetched_before_posting(hf: FakeHF, slack: FlakySlack) -> None:
    """A paper that arrived after the last fetch, and today's upvotes, make the thread."""
    core, clock = make_core(hf.url)
    late = json.loads((DAYS / "2025-10-02.json").read_text())[0]
    late["paper"]["upvotes"] = 999
    hf.days[DAY] = [*hf.days[DAY], late]
    assert core.db.execute(
        "SELECT COUNT(*) FROM daily_entries WHERE day = ? AND paper_id = ?",
        [DAY, late["paper"]["id"]],
    ).fetchone() == (0,)
    slack_channel(core, "CPAPERS", max_papers=3)
    sched = Scheduler(core, {"slack": slack_poster(slack, clock)})
    set_clock(clock, NINE)
    await sched.run_due(NINE)
    assert hf.calls_to("/api/daily_papers")[0].query["date"] == DAY
    replies = [p for p in slack.messages("chat.postMessage") if p.thread_ts]
    assert len(replies) == 3
    first = replies[0].body["metadata"]["event_payload"]
    assert first["paper_id"] == late["paper"]["id"] and "999" in json.dumps(replies[0].body)


async def test_a_permission_error_pauses_only_that_channel(hf: FakeHF, slack: FlakySlack) -> None:
    core, clock = make_core(hf.url)
    slack.channel_errors["CGONE"] = "not_in_channel"
    for cid in ("CA", "CGONE", "CB"):
        slack_channel(core, cid, max_papers=4)
    sched = Scheduler(core, {"slack": slack_poster(slack, clock)})
    set_clock(clock, NINE)
    await sched.run_due(NINE)
    gone = channel_store.get_channel(core.db, "slack", TEAM_ID, "CGONE")
    assert "not_in_channel" in gone["paused_reason"]
    assert sched.job_for(("slack", TEAM_ID, "CGONE")) is None  # not retried forever
    assert len(slack.method_calls("chat.postMessage")) == 2 * 5 + 1  # one try at CGONE
    posted = [p.channel for p in slack.messages("chat.postMessage")]
    assert posted.count("CA") == posted.count("CB") == 5
    first_b = posted.index("CB")
    assert first_b < len(posted) - posted[::-1].index("CA") - 1  # concurrently, interleaved
    for cid in ("CA", "CB"):  # each thread in order: parent, then replies in rank order
        ranks = [p.body["metadata"]["event_payload"]["key"] for p in slack.messages(None, cid)]
        assert ranks[0].startswith(f"{DAY}:parent")
    bot = MemoryAdapter(core)
    bot.place = Place("slack", "CX", TEAM_ID)
    status = "\n".join(r.text for r in await bot.push("/papers status"))
    assert "Paused: slack channel CGONE" in status and "not_in_channel" in status
    # the next day only the healthy channels post; re-enabling schedules CGONE again
    set_clock(clock, NINE + timedelta(days=1))
    await sched.run_due(clock.now())
    assert len(slack.method_calls("chat.postMessage")) > 11
    assert "CGONE" not in {
        c.json().get("channel") for c in slack.method_calls("chat.postMessage")[11:]
    }
    bot.place = Place("slack", "CGONE", TEAM_ID)
    await bot.push("/papers channel enable", is_admin=True)
    assert sched.job_for(("slack", TEAM_ID, "CGONE")) is not None


async def test_dms_go_at_the_digest_time_once_a_day(hf: FakeHF, slack: FlakySlack) -> None:
    core, clock = make_core(hf.url, datetime(2025, 10, 1, 5, 59, tzinfo=UTC))
    user = user_store.UserKey("slack", TEAM_ID, "U1")
    user_store.add_topic(core.db, user, "agent OR agents")
    user_store.set_alerts(core.db, user, "dm")
    with core.db.conn:  # only the fetch can bring the day back
        core.db.execute("DELETE FROM daily_entries WHERE day = ?", [DAY])
    sched = Scheduler(core, {"slack": slack_poster(slack, clock)})
    set_clock(clock, datetime(2025, 10, 1, 6, 0, tzinfo=UTC))
    assert await sched.run_due(clock.now()) == ["fetch:06:00"]
    assert slack.messages("chat.postMessage", "DU1") == []  # before the alert time (09:00)
    set_clock(clock, NINE)
    assert await sched.run_due(clock.now()) == ["alerts"]
    [dm] = slack.messages("chat.postMessage", "DU1")
    assert "Your paper alerts for Wed 1 Oct 2025" in dm.body["text"]
    assert "matched" in json.dumps(dm.body["blocks"]).lower()
    set_clock(clock, datetime(2025, 10, 1, 12, 0, tzinfo=UTC))
    assert await sched.run_due(clock.now()) == ["fetch:12:00"]
    assert len(slack.messages("chat.postMessage", "DU1")) == 1  # one DM per day
    # 06:00 fetch, the 09:00 re-fetch before the DMs, the 12:00 fetch
    assert [c.query["date"] for c in hf.calls_to("/api/daily_papers")] == [DAY, DAY, DAY]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_with_ten_percent_of_calls_failing_every_message_arrives_once(
    hf: FakeHF, slack: FlakySlack, seed: int
) -> None:
    slack.rate, slack.rng = 0.1, random.Random(seed)
    core, clock = make_core(hf.url)
    user = user_store.UserKey("slack", TEAM_ID, "U1")
    user_store.add_topic(core.db, user, "agent")
    user_store.set_alerts(core.db, user, "dm")
    for cid in ("CA", "CB"):
        slack_channel(core, cid, max_papers=8)
    sched = Scheduler(core, {"slack": slack_poster(slack, clock)})
    set_clock(clock, NINE)
    await sched.run_due(NINE)
    await sched.fetch_and_alert(clock.now())
    keys = metadata_keys(slack)
    assert len(keys) == len(set(keys)) == 2 * 9 + 1, slack.injected
    ledger_ids = {
        r.message_id
        for target in (f"slack:{TEAM_ID}:CA", f"slack:{TEAM_ID}:CB")
        for r in Ledger(core.db).rows(target, DAY)
    }
    assert ledger_ids <= {p.ts for p in slack.messages("chat.postMessage")}
    assert Ledger(core.db).pending_targets() == []
    assert slack.injected  # the faults did happen


async def test_memory_poster_is_enough_for_a_platform_without_a_connection(
    hf: FakeHF,
) -> None:
    """A channel whose platform is not connected waits; the others post."""
    core, clock = make_core(hf.url)
    slack_channel(core, "CWAIT")
    save_channel(core, "M1", timezone="UTC")
    memory = MemoryPoster()
    sched = Scheduler(core, {"memory": memory})
    set_clock(clock, NINE)
    await sched.run_due(NINE)
    assert [s.place.channel_id for s in memory.sent if s.kind == "post"] == ["M1"]
    assert Ledger(core.db).rows(f"slack:{TEAM_ID}:CWAIT", DAY) == []
