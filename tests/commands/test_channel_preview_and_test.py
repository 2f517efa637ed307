"""A preview that explains, and a test send (issue #12, item 7), from the admin's side through
the memory adapter with a memory poster; the Slack and Discord runs are in their own folders."""

from __future__ import annotations

import re

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.daily.channels import load_channel
from bot.daily.delivery import channel_test_target, day_already_posted, deliver_thread
from bot.daily.posting import DeliveryError
from bot.model import Place, Reply
from storage import papers as paper_store
from storage import users as user_store
from storage.ledger import Ledger
from tests.support.chat import one

DAY = "2025-10-02"  # the latest stored day at the fixture clock (Thu 2 Oct 2025 09:00 UTC)
KEY = ("memory", "W1", "C1")


def _counts(line: str) -> dict[str, int]:
    """`25 papers · 18 below min-upvotes 10 · 5 fail the filter · 2 kept` as {reason: n}."""
    found = re.findall(r"(\d+) ([a-z][^·:\n]*?)(?= ·|:|$)", line, re.M)
    return {why.strip(): int(n) for n, why in found}


async def test_the_preview_says_which_setting_removed_which_papers(bot: MemoryAdapter) -> None:
    await bot.push("/papers channel enable min-upvotes 10 max 2 filter -survey", is_admin=True)
    replies = await bot.push("/papers channel preview", is_admin=True)
    head = replies[0].text.splitlines()[0]
    assert head.startswith("Preview (only you can see this) — 25 papers · "), head
    counts = _counts(head)
    assert counts["papers"] == 25 and counts["below min-upvotes 10"] == 18
    assert counts["kept"] == len(replies) - 1 == 2  # exactly the cards shown
    assert counts["over the max of 2"] == 25 - 18 - counts.get("fail the filter", 0) - 2
    assert sum(n for why, n in counts.items() if why != "papers") == 25


async def test_a_preview_that_keeps_nothing_still_says_why(bot: MemoryAdapter) -> None:
    await bot.push("/papers channel enable min-upvotes 10 filter diffusion", is_admin=True)
    r = await one(bot, "/papers channel preview", is_admin=True)
    assert "No papers for Thu 2 Oct 2025 pass" in r.text
    assert "25 papers · 18 below min-upvotes 10 · 7 fail the filter · 0 kept" in r.text


async def test_papers_posted_on_an_earlier_day_are_counted_apart(bot: MemoryAdapter) -> None:
    """A paper listed again on a later day is not posted twice in a channel; the preview
    counts it apart (here two of the day's papers were in yesterday's thread)."""
    await bot.push("/papers channel enable max 50", is_admin=True)
    settings = load_channel(bot.core, KEY)
    assert settings is not None
    ids = [r["id"] for r in paper_store.day_rows(bot.core.db, DAY)[:2]]
    assert len(ids) == 2
    ledger = Ledger(bot.core.db)
    ledger.plan(settings.target, "2025-10-01", ids)
    for pid in ids:
        ledger.sent(settings.target, "2025-10-01", pid, "m1")
    replies = await bot.push("/papers channel preview", is_admin=True)
    head = replies[0].text.splitlines()[0]
    assert "25 papers · 2 already posted here on an earlier day · 23 kept" in head
    assert len(replies) - 1 == 23 and not {r.cards[0].paper_id for r in replies[1:]} & set(ids)


# --- channel test -----------------------------------------------------------------------
def _tested(core: Core) -> tuple[MemoryAdapter, MemoryPoster]:
    poster = MemoryPoster()
    return MemoryAdapter(core, poster=poster), poster


async def test_channel_test_posts_a_marked_thread_now_outside_the_days_rule(core: Core) -> None:
    bot, poster = _tested(core)
    await bot.push("/papers channel enable max 3", is_admin=True)
    user_store.add_topic(core.db, user_store.UserKey("memory", "W1", "U9"), "reinforcement")
    user_store.set_alerts(core.db, user_store.UserKey("memory", "W1", "U9"), "thread")
    r = await one(bot, "/papers channel test", is_admin=True)
    assert r.private and not r.is_error and "Posted a test thread of Thu 2 Oct 2025" in r.text
    [parent] = [s for s in poster.sent if s.kind == "post"]
    assert parent.reply is not None and (parent.reply.title or "").startswith("[test] Daily Papers")
    assert parent.place == Place("memory", "C1", "W1")
    [thread] = [s for s in poster.sent if s.kind == "thread"]
    assert thread.key.startswith("[test] ")  # the thread's name says so too
    replies = [s for s in poster.sent if s.kind == "reply"]
    assert len(replies) == 3 and all(s.place.thread_id == parent.message_id for s in replies)
    assert all(s.reply and not s.reply.mention_user_ids for s in poster.sent if s.reply)
    # the real thread is neither marked nor blocked: it still goes out, untouched by the test
    settings = load_channel(core, KEY)
    assert settings is not None and not day_already_posted(core, settings, DAY)
    assert Ledger(core.db).rows(settings.target, DAY) == []
    real = MemoryPoster()
    assert (await deliver_thread(core, real, settings, DAY)).sent == 4
    [real_parent] = [s for s in real.sent if s.kind == "post"]
    assert real_parent.reply and not (real_parent.reply.title or "").startswith("[test]")
    assert {s.key for s in real.sent}.isdisjoint(s.key for s in poster.sent)


async def test_channel_test_is_for_admins_and_needs_a_platform(core: Core) -> None:
    bot, poster = _tested(core)
    r = await one(bot, "/papers channel test")
    assert r.is_error and "Only channel admins" in r.text and not poster.sent
    r = await one(MemoryAdapter(core), "/papers channel test", is_admin=True)  # like the shell
    assert "posts to a Discord or Slack channel" in r.text


async def test_one_test_per_channel_every_ten_minutes(core: Core) -> None:
    bot, poster = _tested(core)
    await bot.push("/papers channel enable max 2 tz berlin", is_admin=True)
    assert not (await one(bot, "/papers channel test", is_admin=True)).is_error
    sent = len(poster.sent)
    r = await one(bot, "/papers channel test", is_admin=True)
    assert r.is_error and "one test per channel every 10 minutes" in r.text
    assert "the next can go at Thu 2 Oct 2025 11:10 Europe/Berlin" in r.text
    assert len(poster.sent) == sent  # no spam
    core.clock.advance(9 * 60)  # type: ignore[attr-defined]
    assert (await one(bot, "/papers channel test", is_admin=True)).is_error
    core.clock.advance(60)  # type: ignore[attr-defined]
    assert not (await one(bot, "/papers channel test", is_admin=True)).is_error
    assert len([s for s in poster.sent if s.kind == "post"]) == 2


class FlakyPoster(MemoryPoster):
    """Every reply after the first `ok` is refused for now (a platform outage)."""

    def __init__(self, ok: int) -> None:
        super().__init__()
        self.ok = ok

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        if len([s for s in self.sent if s.kind == "reply"]) >= self.ok:
            raise DeliveryError("503 from the platform", permanent=False)
        return await super().reply_in_thread(thread, reply, key=key, attempted=attempted)


async def test_an_interrupted_test_is_resumed_and_nothing_is_sent_twice(core: Core) -> None:
    poster = FlakyPoster(ok=1)
    bot = MemoryAdapter(core, poster=poster)
    await bot.push("/papers channel enable max 3", is_admin=True)
    r = await one(bot, "/papers channel test", is_admin=True)
    assert r.is_error and "could not be posted" in r.text and "again finishes it" in r.text
    poster.ok = 99  # the platform is back; the rate limit does not hold a resume back
    r = await one(bot, "/papers channel test", is_admin=True)
    assert not r.is_error, r.text
    keys = [s.key for s in poster.sent if s.kind in ("post", "reply")]
    assert len(keys) == len(set(keys)) == 4  # parent + 3 papers, each once
    assert len([s for s in poster.sent if s.kind == "thread"]) == 1
    settings = load_channel(core, KEY)
    assert settings is not None
    runs = {r.day for r in _all_rows(core, channel_test_target(settings))}
    assert len(runs) == 1 and all(
        r.status == "sent" for r in _all_rows(core, channel_test_target(settings))
    )


def _all_rows(core: Core, target: str) -> list:
    ledger = Ledger(core.db)
    last = ledger.latest_day(target)
    return ledger.rows(target, last) if last else []
