"""The scheduler driving the real discord.py client (run_discord) against the loopback Discord
fake: threads and a DM on schedule, a missing permission pausing only that channel, and every
message exactly once while 10% of calls fail — including answers lost after the message was
created (the nonce makes the retry return the first message).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from bot.core import Core
from bot.daily.scheduler import Scheduler
from storage import channels as channel_store
from storage import users as user_store
from storage.ledger import Ledger
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.harness import running_bot
from tests.fakes.server import Fault
from tests.support.core import NOWHERE
from tests.support.scheduling import DAY, NINE, make_core, save_channel, set_clock

DELIVERY_PATHS = ("/api/v10/channels/", "/api/v10/users/@me/channels")


@dataclass
class FlakyDiscord(FakeDiscord):
    """Fails a random `rate` of delivery calls: 429, 500, a slow 504, or (for creates) a
    500 sent after the message was stored, as if the answer were lost."""

    rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(5))
    injected: list[str] = field(default_factory=list)

    def _roll(self, path: str, kinds: list[str]) -> str | None:
        if not path.startswith(DELIVERY_PATHS) or self.rng.random() >= self.rate:
            return None
        kind = self.rng.choice(kinds)
        self.injected.append(kind)
        return kind

    def _take_fault(self, path: str) -> Fault | None:
        planned = super()._take_fault(path)
        kind = planned or self._roll(path, ["429", "500", "timeout"])
        if isinstance(kind, str):
            return Fault(kind, retry_after=0.01, delay=0.2)
        return kind

    def _commit_fault(self, path: str) -> int | None:
        return super()._commit_fault(path) or (500 if self._roll(path, ["lost"]) else None)


@pytest.fixture
def fake() -> Iterator[FlakyDiscord]:
    with FlakyDiscord(limits=RateLimits(per_route=1000), heartbeat_interval_ms=500) as f:
        yield f  # type: ignore[misc]


def discord_channel(core: Core, fake: FakeDiscord, cid: str, **kw) -> dict:
    return save_channel(
        core, cid, platform="discord", workspace_id=fake.guild_id, timezone="UTC", **kw
    )


def subscribe_dm(core: Core, fake: FakeDiscord, query: str) -> str:
    uid = fake.add_user("alice")
    user = user_store.UserKey("discord", fake.guild_id, uid)
    user_store.add_topic(core.db, user, query)
    user_store.set_alerts(core.db, user, "dm")
    return uid


async def test_thread_and_dm_on_schedule_and_a_forbidden_channel_is_paused(
    fake: FlakyDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    core, clock = make_core(NOWHERE)
    locked = fake.add_channel("locked")
    fake.deny(locked, "SEND_MESSAGES")
    discord_channel(core, fake, fake.text_channel_id, max_papers=3)
    discord_channel(core, fake, locked, max_papers=3)
    uid = subscribe_dm(core, fake, "agent")
    async with running_bot(fake, core, monkeypatch) as bot:
        sched = Scheduler(core, {"discord": bot.poster})
        set_clock(clock, NINE)
        await sched.run_due(NINE)
        await sched.fetch_and_alert(NINE)
    text = fake.posted_in(fake.text_channel_id)
    assert len(text) == 1 and "Daily Papers — Wed 1 Oct 2025" in text[0].body["content"]
    thread_id = text[0].message_id
    assert fake.channels[thread_id]["parent_id"] == fake.text_channel_id
    assert len(fake.posted_in(thread_id)) == 3
    assert fake.posted_in(locked) == []
    paused = channel_store.get_channel(core.db, "discord", fake.guild_id, locked)
    assert "missing permission" in paused["paused_reason"]
    assert sched.job_for(("discord", fake.guild_id, locked)) is None
    dms = [p for p in fake.posted if fake.channels[p.channel_id]["type"] == 1]
    assert {fake.channels[p.channel_id]["recipients"][0]["id"] for p in dms} == {uid}
    assert len(dms) == _alert_messages(dms)  # one alert, in as few messages as fit


def _alert_messages(dms: list) -> int:
    """How many messages one DM alert takes: each card brings a row of buttons, and a message
    holds at most five rows (https://discord.com/developers/docs/components/reference#action-row)."""
    cards = sum(len(p.body.get("components", [])) for p in dms)
    return max(1, -(-cards // 5))


@pytest.mark.parametrize("seed", [11, 12])
async def test_with_ten_percent_of_calls_failing_every_message_arrives_once(
    fake: FlakyDiscord, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    core, clock = make_core(NOWHERE)
    second = fake.add_channel("papers-2")
    for cid in (fake.text_channel_id, second):
        discord_channel(core, fake, cid, max_papers=6)
    subscribe_dm(core, fake, "agent")
    async with running_bot(fake, core, monkeypatch) as bot:
        fake.rate, fake.rng = 0.1, random.Random(seed)
        sched = Scheduler(core, {"discord": bot.poster})
        set_clock(clock, NINE)
        await sched.run_due(NINE)
        await sched.fetch_and_alert(NINE)
        fake.rate = 0.0
    nonces = Counter(p.body.get("nonce") for p in fake.posted)
    assert nonces and max(nonces.values()) == 1, fake.injected  # nothing twice
    dms = [p for p in fake.posted if fake.channels[p.channel_id]["type"] == 1]
    assert len(fake.posted) == 2 * 7 + len(dms) and len(dms) == _alert_messages(dms)
    stored_ids = {p.message_id for p in fake.posted}
    for cid in (fake.text_channel_id, second):
        rows = Ledger(core.db).rows(f"discord:{fake.guild_id}:{cid}", DAY)
        assert rows and all(
            r.status == "sent" and r.message_id in stored_ids | {None} for r in rows
        )
    assert "lost" in fake.injected and len(set(fake.injected)) >= 2  # the faults did happen
