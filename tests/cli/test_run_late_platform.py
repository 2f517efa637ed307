"""A platform that is slow to connect must not hold back the others."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime

from adapters.memory import MemoryPoster
from bot.cli.run import run_bot
from bot.daily.scheduler import Scheduler
from bot.model import Place, Reply
from tests.support.scheduling import core_at, parents, save_channel


class SignallingPoster(MemoryPoster):
    """Sets `posted` once a thread's first reply is out."""

    def __init__(self) -> None:
        super().__init__()
        self.posted = asyncio.Event()

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        mid = await super().reply_in_thread(thread, reply, key=key, attempted=attempted)
        self.posted.set()
        return mid


async def test_a_platform_connecting_late_gets_its_missed_post() -> None:
    core, _ = core_at(datetime(2025, 10, 1, 9, 30, tzinfo=UTC))  # the 09:00 post was missed
    save_channel(core, timezone="UTC", time="09:00")
    sched = Scheduler(core)
    sched.start()  # nothing connected yet: the catch-up finds no poster and waits
    await sched.drain()
    poster = MemoryPoster()
    sched.add_poster(poster)  # connects now: the missed post goes out
    await sched.drain()
    await sched.stop()
    assert len(parents(poster)) == 1


async def test_run_starts_without_a_platform_that_never_connects() -> None:
    core, _ = core_at(datetime(2025, 10, 1, 9, 30, tzinfo=UTC))
    save_channel(core, timezone="UTC", time="09:00")
    poster = SignallingPoster()

    async def quick(core, config, on_ready) -> None:  # type: ignore[no-untyped-def]
        on_ready(poster)
        await asyncio.Event().wait()

    async def never(core, config, on_ready) -> None:  # type: ignore[no-untyped-def]
        await asyncio.Event().wait()

    async def stop_when_posted() -> None:
        await poster.posted.wait()
        os.kill(os.getpid(), signal.SIGTERM)  # handled by run_bot's loop signal handler

    stopper = asyncio.create_task(stop_when_posted())
    await asyncio.wait_for(
        run_bot(core, {"memory": quick, "late": never}, ready_timeout=0.2), timeout=60
    )
    await stopper
    assert len(parents(poster)) == 1
