"""What the delivery engine tells a poster about each send (`attempted`): True only when an
earlier try of the same key may have reached the platform — an earlier run's, as the ledger's
attempts say (a crash, a lost answer), or a failed try of this run. That is what lets the
Slack and Discord posters skip reading back on a fresh fan-out and still read after a crash."""

from __future__ import annotations

import contextlib

from adapters.memory import MemoryPoster
from bot.core import Core
from bot.daily.alerts import deliver_dm_alerts
from bot.daily.delivery import deliver_thread
from bot.daily.posting import DeliveryError
from bot.model import Place, Reply
from storage import users as user_store
from tests.support.scheduling import save_channel

DAY = "2025-10-01"


class Tries(MemoryPoster):
    """Records (key, attempted) of every try; fails the tries listed in `fail` (by number),
    and raises SystemExit (a killed process) at try `die_at`."""

    def __init__(self, fail: tuple[int, ...] = (), die_at: int | None = None) -> None:
        super().__init__()
        self.tries: list[tuple[str, bool]] = []
        self.fail, self.die_at = fail, die_at

    def _try(self, key: str, attempted: bool) -> None:
        self.tries.append((key, attempted))
        n = len(self.tries)
        if n == self.die_at:
            raise SystemExit("killed")
        if n in self.fail:
            raise DeliveryError("answer lost", permanent=False)

    async def post(self, place: Place, reply: Reply, *, key: str, attempted: bool = True) -> str:
        self._try(key, attempted)
        return await super().post(place, reply, key=key, attempted=attempted)

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        self._try(key, attempted)
        return await super().reply_in_thread(thread, reply, key=key, attempted=attempted)

    async def send_dm(
        self, workspace_id: str, user_id: str, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        self._try(key, attempted)
        return await super().send_dm(workspace_id, user_id, reply, key=key, attempted=attempted)


async def test_a_fresh_thread_is_sent_with_nothing_attempted(core: Core) -> None:
    channel = save_channel(core, "C1", timezone="UTC", max_papers=5)
    poster = Tries()
    assert (await deliver_thread(core, poster, channel, DAY)).sent == 6
    assert len(poster.tries) == 6 and not any(was for _, was in poster.tries)


async def test_a_retry_in_the_same_run_is_attempted(core: Core) -> None:
    channel = save_channel(core, "C1", timezone="UTC", max_papers=3)
    poster = Tries(fail=(2,))  # the first reply's answer is lost
    assert (await deliver_thread(core, poster, channel, DAY)).sent == 4
    (k1, was1), (k2, was2), (k3, was3) = poster.tries[1:4]
    assert k1 == k2 and (was1, was2) == (False, True)
    assert k3 != k2 and not was3  # the next item was never tried


async def test_after_a_crash_only_the_item_that_was_being_sent_is_attempted(core: Core) -> None:
    channel = save_channel(core, "C1", timezone="UTC", max_papers=4)
    first = Tries(die_at=3)  # killed while sending the second reply: stored or not?
    with contextlib.suppress(SystemExit):
        await deliver_thread(core, first, channel, DAY)
    killed_key = first.tries[-1][0]
    second = Tries()
    assert (await deliver_thread(core, second, channel, DAY)).sent == 3
    assert second.tries[0] == (killed_key, True)
    assert [was for _, was in second.tries[1:]] == [False, False]


async def test_a_dm_alert_is_attempted_only_after_an_earlier_try(core: Core) -> None:
    user = user_store.UserKey("memory", "W1", "U1")
    user_store.add_topic(core.db, user, "agent")
    user_store.set_alerts(core.db, user, "dm")
    dying = Tries(die_at=1)
    with contextlib.suppress(SystemExit):
        await deliver_dm_alerts(core, {"memory": dying}, DAY)
    assert dying.tries and dying.tries[0][1] is False
    again = Tries()
    await deliver_dm_alerts(core, {"memory": again}, DAY)
    assert [was for _, was in again.tries] == [True]
