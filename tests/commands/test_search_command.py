"""`/papers search` from the user's side: an honest count, pages, orders, the relevance
blend (a golden case from the real archive) and a Hugging Face fallback that answers the
question asked (#12 item 3)."""

from __future__ import annotations

import json

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import import_paths
from bot.model import Paper
from bot.query import search as search_module
from storage.papers import upsert_day
from tests.fakes.hf import FakeHF
from tests.support.chat import one
from tests.support.core import DAYS, offline_config, shared_data


def _mamba_bot(clock: FakeClock, n: int = 25) -> MemoryAdapter:
    core = Core.open(offline_config(), ":memory:", clock=clock)
    papers = [
        Paper(
            id=f"2509.{i:05d}",
            title=f"Study {i} of mamba layers",
            abstract="We scale mamba layers.",
            upvotes=i,
            published_at=f"2025-09-{1 + i % 28:02d}T10:00:00.000Z",
        )
        for i in range(n)
    ]
    upsert_day(core.db, "2025-09-30", papers)
    return MemoryAdapter(core)


async def test_the_head_counts_every_match_and_pages_walk_them(clock: FakeClock) -> None:
    bot = _mamba_bot(clock)
    r = await one(bot, "/papers search mamba")
    assert r.text == "25 stored papers match mamba — the top 10 by relevance", r.text
    assert [c.rank for c in r.cards] == list(range(1, 11))
    seen = [c.paper_id for c in r.cards]
    r2 = await one(bot, "/papers search mamba page 2")
    assert r2.text == "25 stored papers match mamba — 11–20, by relevance"
    r3 = await one(bot, "/papers search page 3 mamba")
    assert r3.text.endswith("21–25, by relevance") and len(r3.cards) == 5
    assert [c.rank for c in r3.cards] == list(range(21, 26))
    seen += [c.paper_id for c in (*r2.cards, *r3.cards)]
    assert len(seen) == len(set(seen)) == 25  # the pages neither repeat nor skip a paper
    past = await one(bot, "/papers search mamba page 4")
    assert not past.cards and "page 4 is past the last (3)" in past.text


async def test_a_full_candidate_window_is_said_as_a_bound(clock: FakeClock, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 12)
    r = await one(_mamba_bot(clock), "/papers search mamba")
    assert r.text.startswith("12+ stored papers match mamba (the newest 12 are ranked)"), r.text


async def test_sort_by_upvotes_or_date(clock: FakeClock) -> None:
    bot = _mamba_bot(clock)
    r = await one(bot, "/papers search mamba sort:upvotes")
    assert [c.upvotes for c in r.cards] == list(range(24, 14, -1))
    assert r.text.endswith("— the top 10 most upvoted")
    r = await one(bot, "/papers search sort:date mamba")
    dates = [c.date for c in r.cards]
    assert dates == sorted(dates, reverse=True) and r.text.endswith("newest")
    bad = await one(bot, "/papers search mamba sort:stars")
    assert bad.is_error and "sort:relevance|upvotes|date" in bad.text


async def test_a_paper_named_for_the_query_ranks_first(core: Core, clock: FakeClock) -> None:
    """Named for the words beats mentioning them in the keywords, whatever the upvotes."""
    papers = [
        Paper("2501.00001", "Scaling agents", "abstract", ai_keywords=("zorblax",), upvotes=119),
        Paper("2501.00002", "Zorblax-R1: Incentivizing reasoning", "zorblax", upvotes=11),
        Paper("2501.00003", "Zorblax-Prover-V1.5: Proofs at scale", "x", upvotes=20),
    ]
    upsert_day(core.db, "2025-10-02", papers)
    r = await one(MemoryAdapter(core), "/papers search zorblax")
    assert [c.paper_id for c in r.cards] == ["2501.00002", "2501.00003", "2501.00001"]


def _days_mentioning(word: str) -> list:
    data = shared_data("hf-daily-papers")
    return [p for p in sorted(data.glob("*.json")) if word in p.read_text().lower()]


async def test_golden_deepseek_r1_leads_a_search_for_deepseek(clock: FakeClock) -> None:
    """Real archive: every recorded day that mentions DeepSeek (188 papers match). Before
    the blend DeepSeek-R1 (11 upvotes on its day) was 44th, under papers that only list
    DeepSeek among their keywords."""
    core = Core.open(offline_config(), ":memory:", clock=clock)
    import_paths(core.db, _days_mentioning("deepseek"))
    r = await one(MemoryAdapter(core), "/papers search deepseek")
    assert r.text.startswith("188 stored papers match deepseek — the top 10"), r.text
    assert r.cards[0].paper_id == "2501.12948" and r.cards[0].title.startswith("DeepSeek-R1:")
    assert all(c.title.lower().startswith("deepseek") for c in r.cards[:5])


async def test_the_fallback_sends_only_words_and_keeps_only_true_hits(clock: FakeClock) -> None:
    with FakeHF(data_dir=DAYS, clock=clock) as fake:
        core = Core.open(offline_config(sources={"hf_base_url": fake.url}), ":memory:", clock=clock)
        bot = MemoryAdapter(core)
        r = await one(bot, "/papers search MCPMark upvotes>=1")
        assert [c.paper_id for c in r.cards] == ["2509.24002"]
        assert "1 result from Hugging Face" in r.text
        # an exclusion the hit fails drops it; only the free-text word is sent
        r = await one(bot, "/papers search zebrafish OR MCPMark -benchmark")
        assert not r.cards and "Nothing matches" in r.text
        sent = [c.query["q"] for c in fake.calls_to("/api/papers/search")]
        assert sent == ["mcpmark", "zebrafish mcpmark"]
        # a filter the hit fails drops it too
        r = await one(bot, "/papers search MCPMark upvotes>=200")
        assert not r.cards and "Nothing matches" in r.text
        # a query of filters only never asks Hugging Face
        calls = len(fake.calls)
        r = await one(bot, "/papers search upvotes>=200")
        assert r.text.startswith("Nothing stored matches upvotes>=200") and len(fake.calls) == calls


async def test_fallback_hits_are_stored_papers_not_a_day(clock: FakeClock) -> None:
    with FakeHF(data_dir=DAYS, clock=clock) as fake:
        core = Core.open(offline_config(sources={"hf_base_url": fake.url}), ":memory:", clock=clock)
        bot = MemoryAdapter(core)
        assert (await one(bot, "/papers search MCPMark")).cards
    status = (await one(bot, "/papers status")).text
    assert "Papers stored: 0 papers over 0 days" in status and "1 more from searches" in status
    assert "No papers stored yet" in (await one(bot, "/papers today")).text


async def test_status_counts_listed_papers(bot: MemoryAdapter) -> None:
    status = (await one(bot, "/papers status")).text
    listed = json.dumps(status)
    assert "over 3 days" in listed and "more from searches" not in listed


async def test_pages_past_the_reranked_pool_still_cut_one_order(
    clock: FakeClock, monkeypatch
) -> None:
    """A named paper outside the pool stays where the coarse order puts it on every page."""
    monkeypatch.setattr(search_module, "POOL", 4)
    bot = _mamba_bot(clock)
    upsert_day(
        bot.core.db, "2025-09-29", [Paper("2509.09999", "Mamba: short name", "x", upvotes=0)]
    )
    seen = []
    for page in (1, 2, 3):
        seen += [c.paper_id for c in (await one(bot, f"/papers search mamba page {page}")).cards]
    assert len(seen) == len(set(seen)) == 26
