"""The delivery engine through the memory poster: threads, resume after a crash, failures."""

from __future__ import annotations

import contextlib

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.daily.channels import ChannelSettings, load_channel
from bot.daily.delivery import day_already_posted, deliver_thread
from bot.daily.posting import DeliveryError
from bot.model import Place, Reply
from storage import channels as channel_store
from storage.ledger import Ledger
from tests.support.scheduling import save_channel

DAY = "2025-10-01"


def channel(core: Core, cid: str = "C1", **kw) -> ChannelSettings:
    return save_channel(core, cid, **{"timezone": "UTC", "max_papers": 5, **kw})


class CrashingPoster(MemoryPoster):
    """Dies (like a killed process) after `crash_after` messages."""

    def __init__(self, crash_after: int) -> None:
        super().__init__()
        self.crash_after = crash_after

    def _maybe_crash(self) -> None:
        if len([s for s in self.sent if s.kind != "thread"]) >= self.crash_after:
            raise SystemExit("killed")

    async def post(self, place: Place, reply: Reply, *, key: str, attempted: bool = True) -> str:
        self._maybe_crash()
        return await super().post(place, reply, key=key, attempted=attempted)

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        self._maybe_crash()
        return await super().reply_in_thread(thread, reply, key=key, attempted=attempted)


class FailingPoster(MemoryPoster):
    def __init__(self, errors: list[DeliveryError]) -> None:
        super().__init__()
        self.errors = errors

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        if self.errors:
            raise self.errors.pop(0)
        return await super().reply_in_thread(thread, reply, key=key, attempted=attempted)


async def test_thread_is_parent_then_replies_in_rank_order(core: Core) -> None:
    ch = channel(core)
    poster = MemoryPoster()
    result = await deliver_thread(core, poster, ch, DAY)
    assert result.status == "sent" and result.sent == 6
    kinds = [s.kind for s in poster.sent]
    assert kinds == ["post", "thread", *["reply"] * 5]
    ups = [s.reply.cards[0].upvotes for s in poster.sent[2:]]
    assert ups == sorted(ups, reverse=True)
    assert all(s.place.thread_id == poster.sent[0].message_id for s in poster.sent[2:])
    assert day_already_posted(core, ch, DAY)
    again = await deliver_thread(core, poster, ch, DAY)
    assert again.sent == 0 and len(poster.sent) == 7  # never a day twice


async def test_no_paper_twice_in_a_channel_across_days(core: Core) -> None:
    ch = channel(core, max_papers=50)
    poster = MemoryPoster()
    await deliver_thread(core, poster, ch, "2025-09-30")
    await deliver_thread(core, poster, ch, DAY)
    ids = [s.reply.cards[0].paper_id for s in poster.sent if s.kind == "reply"]
    assert len(ids) == len(set(ids))


async def test_resume_after_a_crash_sends_each_message_exactly_once(core: Core) -> None:
    for crash_after in (0, 1, 3, 6):
        ch = channel(core, cid=f"K{crash_after}")
        first = CrashingPoster(crash_after)
        with contextlib.suppress(SystemExit):
            await deliver_thread(core, first, ch, DAY)
        second = MemoryPoster()
        await deliver_thread(core, second, ch, DAY)
        keys = [s.key for s in first.sent + second.sent if s.kind != "thread"]
        assert len(keys) == 6 and len(set(keys)) == 6, crash_after
        assert day_already_posted(core, ch, DAY)


async def test_transient_errors_are_retried_without_waiting_for_real(core: Core, clock) -> None:
    ch = channel(core)
    poster = FailingPoster(
        [DeliveryError("429", permanent=False), DeliveryError("500", permanent=False)]
    )
    result = await deliver_thread(core, poster, ch, DAY)
    assert result.status == "sent" and result.sent == 6
    assert clock.sleeps[:2] == [1.0, 2.0]


async def test_a_permanent_error_pauses_only_that_channel(core: Core, bot: MemoryAdapter) -> None:
    bad, good = channel(core, cid="BAD"), channel(core, cid="GOOD")
    result = await deliver_thread(
        core,
        FailingPoster(
            [DeliveryError("missing permission: Send Messages in Threads", permanent=True)]
        ),
        bad,
        DAY,
    )
    assert result.status == "paused"
    stored = channel_store.get_channel(core.db, "memory", "W1", "BAD")
    assert "missing permission" in stored["paused_reason"]
    paused = ChannelSettings.from_row(stored)
    assert (await deliver_thread(core, MemoryPoster(), paused, DAY)).status == "paused"
    assert (await deliver_thread(core, MemoryPoster(), good, DAY)).status == "sent"
    bot.place = Place("memory", "BAD", "W1")
    status = (await bot.push("/papers channel status")).pop()
    assert "Paused: missing permission" in status.text
    # re-enabling clears the pause and the thread resumes where it stopped
    await bot.push("/papers channel enable", is_admin=True)
    assert channel_store.get_channel(core.db, "memory", "W1", "BAD")["paused_reason"] is None
    resumed = load_channel(core, ("memory", "W1", "BAD"))
    assert resumed is not None and resumed.paused_reason is None
    poster = MemoryPoster()
    assert (await deliver_thread(core, poster, resumed, DAY)).status == "sent"
    rows = Ledger(core.db).rows(resumed.target, DAY)
    assert all(r.status == "sent" for r in rows)


async def test_filter_and_min_upvotes(core: Core) -> None:
    ch = channel(core, min_upvotes=20, max_papers=50, filter="agent OR agents -survey")
    poster = MemoryPoster()
    await deliver_thread(core, poster, ch, DAY)
    cards = [s.reply.cards[0] for s in poster.sent if s.kind == "reply"]
    assert cards and all(c.upvotes >= 20 and c.matched for c in cards)


async def test_an_empty_day_posts_nothing_or_one_line(core: Core) -> None:
    poster = MemoryPoster()
    assert (await deliver_thread(core, poster, channel(core), "2025-10-04")).status == "empty"
    assert poster.sent == []
    ch = channel(core, cid="C2", post_empty=1)
    await deliver_thread(core, poster, ch, "2025-10-04")
    await deliver_thread(core, poster, ch, "2025-10-04")
    assert [s.reply.text for s in poster.sent] == ["No new papers for 2025-10-04."]


async def test_thread_subscribers_are_mentioned_on_matching_replies(core, bot) -> None:
    await bot.push("/papers subscribe agent", user_id="U7")
    await bot.push("/papers alerts thread", user_id="U7")
    poster = MemoryPoster()
    await deliver_thread(core, poster, channel(core, max_papers=50), DAY)
    mentioned = [s for s in poster.sent if s.kind == "reply" and s.reply.mention_user_ids]
    assert mentioned and all(s.reply.mention_user_ids == ("U7",) for s in mentioned)
    assert not poster.sent[0].reply.mention_user_ids
