"""A channel's most-👍 papers of the week lead its roundup: 👍 reactions on the replies of that
channel's daily threads (recorded as the adapters' reaction handlers record them), most 👍
first, ties by upvotes; another channel's votes do not count, and the parent says so."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.memory import MemoryPoster
from bot.daily.delivery import deliver_thread
from bot.daily.periods import parse_period
from bot.daily.roundup import deliver_roundup
from bot.recommend.votes import record_reaction
from storage.users import UserKey
from tests.support.scheduling import core_at, save_channel

DAY = "2025-10-01"
WEEK = parse_period("2025-W40", date(2025, 10, 3))


def _user(uid: str) -> UserKey:
    return UserKey("memory", "W1", uid)


async def _daily(core, channel) -> dict[str, str]:  # noqa: ANN001
    """The day's thread in `channel`: paper id → the message id of its reply."""
    poster = MemoryPoster()
    await deliver_thread(core, poster, channel, DAY)
    return {s.reply.cards[0].paper_id: s.message_id for s in poster.sent if s.kind == "reply"}


async def _roundup(core, channel) -> tuple[str, list]:  # noqa: ANN001
    poster = MemoryPoster()
    assert await deliver_roundup(core, poster, channel, WEEK) == "sent"
    [parent] = [s.reply for s in poster.sent if s.kind == "image"]
    return parent.text, [s.reply.cards[0] for s in poster.sent if s.kind == "reply"]


async def test_the_channels_most_liked_papers_lead_its_roundup() -> None:
    core, _ = core_at(datetime(2025, 10, 3, 15, 0, tzinfo=UTC))
    c1 = save_channel(core, "C1", timezone="UTC", max_papers=10)
    c2 = save_channel(core, "C2", timezone="UTC", max_papers=10)
    _, plain = await _roundup(core, save_channel(core, "C3", timezone="UTC", max_papers=10))
    by_upvotes = [c.paper_id for c in plain]
    in_c1, in_c2 = await _daily(core, c1), await _daily(core, c2)
    top = next(pid for pid in by_upvotes if pid in in_c1)
    *_, two_votes, one_vote = in_c1  # the thread's least upvoted: not in a plain roundup
    assert one_vote not in by_upvotes and two_votes not in by_upvotes
    for uid in ("U1", "U2"):
        record_reaction(core.db, _user(uid), c1.target, in_c1[two_votes], "👍", added=True)
    record_reaction(core.db, _user("U3"), c1.target, in_c1[one_vote], "✅", added=True)
    record_reaction(core.db, _user("U4"), c1.target, in_c1[top], "👎", added=True)
    for uid in ("U5", "U6", "U7"):  # another channel's enthusiasm is its own
        record_reaction(core.db, _user(uid), c2.target, in_c2[one_vote], "👍", added=True)

    text, cards = await _roundup(core, c1)
    ids = [c.paper_id for c in cards]
    assert ids[:2] == [two_votes, one_vote]
    assert ids[2:] == [p for p in by_upvotes if p not in (two_votes, one_vote)][: len(ids) - 2]
    assert [c.rank for c in cards] == list(range(1, len(cards) + 1))
    assert "Led by the 2 papers this channel 👍'd most" in text

    text2, cards2 = await _roundup(core, c2)
    assert cards2[0].paper_id == one_vote and "Led by the 1 paper" in text2
    assert "Led by" not in (await _roundup(core, save_channel(core, "C4", timezone="UTC")))[0]


async def test_a_vote_taken_back_no_longer_leads() -> None:
    core, _ = core_at(datetime(2025, 10, 3, 15, 0, tzinfo=UTC))
    c1 = save_channel(core, "C1", timezone="UTC", max_papers=10)
    in_c1 = await _daily(core, c1)
    pid = sorted(in_c1)[0]
    user = _user("U1")
    record_reaction(core.db, user, c1.target, in_c1[pid], "👍", added=True)
    record_reaction(core.db, user, c1.target, in_c1[pid], "👍", added=False)
    text, _ = await _roundup(core, c1)
    assert "Led by" not in text
