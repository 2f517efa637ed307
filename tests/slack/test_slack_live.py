"""The live thread through the real SlackPoster (slack_sdk) against the loopback fake: the
parent and replies edited with chat.update (validated like posts), late papers appended in
the thread, chat.update paced within Tier 3 — no 429 in a 50-channel run."""

from __future__ import annotations

from datetime import timedelta

from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.config import SlackConfig
from bot.daily.scheduler import Scheduler
from tests.fakes.hf import FakeHF
from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi
from tests.support.live import (
    DAY,
    EVENING,
    LATE_EVENING,
    LATE_NOON,
    MORNING,
    NOON,
    evening,
    live_core,
    morning,
    noon,
)
from tests.support.scheduling import save_channel, set_clock


def _channel(core, cid: str):  # noqa: ANN001, ANN202
    return save_channel(
        core, cid, platform="slack", workspace_id="T0FAKE", timezone="UTC", max_papers=3
    )


async def _run_day(channels: int) -> tuple[FakeSlackWebApi, object]:
    with FakeHF(days={DAY: morning()}) as hf:
        core, clock = live_core(hf.url, MORNING - timedelta(minutes=1))
        fake = FakeSlackWebApi(min_interval=0.0, now=clock.monotonic)
        with fake:
            for n in range(channels):
                fake.add_channel(f"C{n}")
                _channel(core, f"C{n}")
            client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
            sched = Scheduler(core, {"slack": SlackPoster(client, clock, min_interval=0.0)})
            set_clock(clock, MORNING)
            await sched.run_due(MORNING)
            hf.days[DAY] = noon()
            set_clock(clock, NOON)
            await sched.run_due(NOON)
            hf.days[DAY] = evening()
            set_clock(clock, EVENING)
            await sched.run_due(EVENING)
            await sched.stop()
        return fake, core


def _paper_in(p) -> str:  # noqa: ANN001
    return (p.body.get("metadata") or {}).get("event_payload", {}).get("paper_id", "")


async def test_the_thread_is_edited_in_place_and_grows_on_slack() -> None:
    fake, _ = await _run_day(1)
    posted = fake.messages("chat.postMessage", "C0")
    parents = [p for p in posted if not p.thread_ts]
    assert len(parents) == 1
    papers = [_paper_in(p) for p in posted if p.thread_ts]
    assert papers.count(LATE_NOON) == 1 and papers.count(LATE_EVENING) == 1 and len(papers) == 5
    updates = fake.edits.updates
    parent_ts = parents[0].ts
    assert [u["ts"] for u in updates].count(parent_ts) == 2
    assert len(updates) == 4 and not fake.rejected
    # the stored parent shows the evening's thread: five papers, the late ones among them
    assert "200" in str(parents[0].body["blocks"]) or "200" in parents[0].body.get("text", "")


async def test_fifty_channels_edit_without_a_single_429() -> None:
    fake, _ = await _run_day(50)
    assert len(fake.edits.updates) == 50 * 4
    assert fake.rate_limited == [] and not fake.rejected
