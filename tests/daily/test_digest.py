from __future__ import annotations

from adapters.memory import MemoryAdapter
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.thread import build_digest
from bot.summaries.overview import headline_text


async def test_digest_ranks_by_upvotes_with_overview_and_links(core: Core) -> None:
    d = await build_digest(core, "2025-10-01", offline=True)
    assert d is not None
    assert d.title == "Daily Papers — Wed 1 Oct 2025"  # the count is the day's: in the headline
    assert d.parent.title == d.title and d.parent.text == ""  # each fact said once
    assert d.overview == headline_text(d.parent.headline)
    assert [link.url for link in d.parent.links] == [d.hf_url]
    assert all(i.text == "" and len(i.cards) == 1 for i in d.items)  # the card says it all
    ups = [i.cards[0].upvotes for i in d.items]
    assert ups == sorted(ups, reverse=True) and len(d.items) == 15
    assert all(not i.mention_user_ids for i in d.items)
    assert len(d.thread_name) <= 100


async def test_channel_settings_filter_the_digest(core: Core) -> None:
    ch = ChannelSettings(
        "memory", "W1", "C1", min_upvotes=20, max_papers=50, filter="agent OR agents"
    )
    d = await build_digest(core, "2025-10-01", ch, offline=True)
    assert d is not None
    assert all((i.cards[0].upvotes or 0) >= 20 for i in d.items)
    assert all(i.cards[0].matched for i in d.items)


async def test_thread_subscribers_are_the_only_mentions(core: Core, bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe agent", user_id="U7")
    await bot.push("/papers alerts thread", user_id="U7")
    await bot.push("/papers subscribe agent", user_id="U8")  # alerts off: never mentioned
    ch = ChannelSettings("memory", "W1", "C1", max_papers=50)
    d = await build_digest(core, "2025-10-01", ch, offline=True)
    mentioned = {u for i in d.items for u in i.mention_user_ids}
    assert mentioned == {"U7"}


async def test_empty_day_gives_no_digest(core: Core) -> None:
    assert await build_digest(core, "2025-10-04", offline=True) is None


async def test_with_an_llm_the_digest_uses_it_for_tldrs_and_overview(clock) -> None:
    from bot.core import Core
    from bot.ingest import import_paths
    from tests.fakes.llm import FakeLLM
    from tests.support.core import DAYS, offline_config

    with FakeLLM() as llm:
        cfg = offline_config(llm={"base_url": llm.url, "model": "m", "max_calls_per_day": 3})
        core = Core.open(cfg, ":memory:", clock=clock)
        import_paths(core.db, [DAYS])
        d = await build_digest(core, "2025-10-01")
        await core.aclose()
    sources = [i.cards[0].summary_source for i in d.items]
    # budget 3: the overview and two TL;DRs from the LLM, then the chain falls through
    assert sources[:2] == ["llm", "llm"] and set(sources[2:]) <= {"hf", "extractive"}
    assert "Overview of 2025-10-01" in d.overview
    assert len(llm.chat_calls()) == 3
