"""`/papers recommend` and `/papers similar` through the memory adapter, on the fixture days
(2025-09-30 … 2025-10-02, all inside the clock's last 7 days)."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from tests.support.chat import one

RL = ("2509.25454", "2509.25849", "2510.01180")  # DeepSearch, Knapsack RL, BroRL: RL for LLMs


async def test_recommend_with_nothing_saved_says_how_to_start(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers recommend")
    assert r.private and not r.cards and "/papers save" in r.text and "👍" in r.text


async def test_recommend_ranks_unsaved_recent_papers_and_says_why(bot: MemoryAdapter) -> None:
    for pid in RL:
        await one(bot, f"/papers save {pid}")
    r = await one(bot, "/papers recommend 5")
    assert r.private and not r.is_error and len(r.cards) == 5
    assert "linear SVM" in (r.title or "") and "3 papers you saved" in (r.title or "")
    assert not {c.paper_id for c in r.cards} & set(RL)
    saved_titles = {(await one(bot, f"/papers show {pid}")).cards[0].title for pid in RL}
    assert all(c.like in saved_titles for c in r.cards)
    assert [c.rank for c in r.cards] == [1, 2, 3, 4, 5]
    text = " ".join(c.title + " " + c.tldr for c in r.cards[:3]).lower()
    assert "reinforcement" in text or "rl" in text.split()


async def test_one_saved_paper_uses_closeness(bot: MemoryAdapter) -> None:
    await one(bot, f"/papers save {RL[0]}")
    r = await one(bot, "/papers recommend 3")
    assert "closeness" in (r.title or "") and len(r.cards) == 3
    assert RL[0] not in {c.paper_id for c in r.cards}


async def test_recommend_is_per_user(bot: MemoryAdapter) -> None:
    await one(bot, f"/papers save {RL[0]}")
    other = await one(bot, "/papers recommend", user_id="U2")
    assert not other.cards and "/papers save" in other.text


async def test_papers_older_than_a_week_are_not_offered(
    bot: MemoryAdapter, clock: FakeClock
) -> None:
    await one(bot, f"/papers save {RL[0]}")
    clock.advance(10 * 86400)
    r = await one(bot, "/papers recommend")
    assert not r.cards and "last 7 days" in r.text


async def test_similar_lists_papers_like_one_and_not_itself(bot: MemoryAdapter) -> None:
    r = await one(bot, f"/papers similar https://arxiv.org/abs/{RL[2]}")
    assert r.private and 1 <= len(r.cards) <= 5 and "BroRL" in (r.title or "")
    assert RL[2] not in {c.paper_id for c in r.cards}
    assert not any(c.like for c in r.cards)


async def test_bad_arguments_get_the_usage(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers recommend lots")
    assert r.is_error and "Usage: /papers recommend" in r.text
    r = await one(bot, "/papers similar")
    assert r.is_error and "Usage: /papers similar" in r.text
    r = await one(bot, "/papers similar not-an-id")
    assert r.is_error and "not an arXiv id" in r.text


async def test_a_thumbs_down_changes_the_next_recommend_and_forget_me_deletes_it(
    bot: MemoryAdapter,
) -> None:
    from storage import recommend as rec_store
    from storage.users import UserKey

    for pid in RL:
        await one(bot, f"/papers save {pid}")
    first = (await one(bot, "/papers recommend 3")).cards[0].paper_id
    user = UserKey("memory", "W1", "U1")
    rec_store.add_vote(bot.core.db, user, first, "-1", -1)  # as a 👎 reaction records it
    again = await one(bot, "/papers recommend 3")
    assert first not in {c.paper_id for c in again.cards}
    asked = await one(bot, "/papers forget-me")
    assert "1 reaction on papers" in asked.text
    await one(bot, "/papers forget-me confirm")
    assert rec_store.user_votes(bot.core.db, user) == {}
