"""The live thread through the real DiscordPoster (discord.py) against the loopback fake:
the parent edited with PATCH (never a new parent, body checked like a post and against the
OpenAPI spec), late papers appended in the thread, the edited counts shown; a 50-channel run
under the fake's per-route and global limits (Discord's 50 requests a second) edits without a
single 429."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.daily.scheduler import Scheduler
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.harness import running_bot
from tests.fakes.hf import FakeHF
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


async def _run_day(fake: FakeDiscord, channels: list[str], monkeypatch) -> tuple[int, int]:  # noqa: ANN001
    """The morning thread and two later fetches; (429s in the morning, 429s after it)."""
    with FakeHF(days={DAY: morning()}) as hf:
        core, clock = live_core(hf.url, MORNING - timedelta(minutes=1))
        for cid in channels:
            kw = {"platform": "discord", "workspace_id": fake.guild_id, "timezone": "UTC"}
            save_channel(core, cid, max_papers=3, **kw)
        async with running_bot(fake, core, monkeypatch) as bot:
            sched = Scheduler(core, {"discord": bot.poster})
            set_clock(clock, MORNING)
            await sched.run_due(MORNING)
            morning_hits = len(fake.limiter.hits)
            hf.days[DAY] = noon()
            set_clock(clock, NOON)
            await sched.run_due(NOON)
            hf.days[DAY] = evening()
            set_clock(clock, EVENING)
            await sched.run_due(EVENING)
            await sched.stop()
    return morning_hits, len(fake.limiter.hits) - morning_hits


def _paper(msg_body: dict) -> str:
    embeds = msg_body.get("embeds") or [{}]
    return str(embeds[0].get("url") or "")


async def test_the_parent_is_edited_in_place_and_late_papers_join_the_thread(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _run_day(fake, [fake.text_channel_id], monkeypatch)
    (parent,) = fake.posted_in(fake.text_channel_id)
    replies = fake.posted_in(parent.message_id)
    urls = [_paper(r.body) for r in replies]
    assert len(replies) == 5
    assert sum(LATE_NOON in u for u in urls) == 1 and sum(LATE_EVENING in u for u in urls) == 1
    parent_edits = [e for e in fake.edits if e[1] == parent.message_id]
    assert len(parent_edits) == 2 and all(e[0] == fake.text_channel_id for e in parent_edits)
    assert len(fake.edits) == 4 and not fake.rejected and not fake.take_schema_violations()
    (stored,) = [m for m in fake.messages[fake.text_channel_id] if m["id"] == parent.message_id]
    # the parent's facts (count, themes, top 3) are its headline embed: that is what changed
    shows = (stored.get("content"), stored.get("embeds"))
    assert stored["edited_timestamp"] and shows != (
        parent.body.get("content"),
        parent.body.get("embeds"),
    )
    edited = [m for m in fake.messages[parent.message_id] if m["edited_timestamp"]]
    assert len(edited) == 2 and "New since this morning" in str(edited[-1])


async def test_fifty_channels_edit_within_discords_limits() -> None:
    with FakeDiscord(limits=RateLimits(per_route=5, per_route_window=1.0)) as fake:
        channels = [fake.add_channel(f"papers-{n}") for n in range(50)]
        with pytest.MonkeyPatch.context() as mp:
            before, after = await _run_day(fake, channels, mp)
        assert len(fake.edits) == 50 * 4
        assert before == after == 0, fake.limiter.hits
