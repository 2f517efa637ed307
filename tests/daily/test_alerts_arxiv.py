"""Alerts over the whole day: HF's list and arXiv's announcements, each user's scope, the DM
HF first. arXiv papers arrive the way they do in production: a fetch from the loopback feed."""

from __future__ import annotations

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.clock import FakeClock
from bot.core import Core
from bot.daily.alerts import day_papers, deliver_dm_alerts, match_topics
from bot.ingest import fetch_days
from bot.model import Paper
from tests.fakes.arxiv_rss import FakeArxivRss
from tests.support.chat import one
from tests.support.core import offline_config

DAY = "2025-10-01"
ARXIV = [
    Paper(
        id=f"2510.0000{i}",
        version=1,
        title=f"Agent planning with world models, part {i}",
        abstract="An agent that plans.",
        authors=("Ada Lovelace",),
        categories=("cs.AI", "cs.LG"),
    )
    for i in range(1, 4)
]


async def _with_arxiv_day(core: Core, clock: FakeClock, *, configured: bool = True) -> None:
    with FakeArxivRss(clock=clock, pub_date="Wed, 01 Oct 2025 00:00:00 -0400") as rss:
        for p in ARXIV:
            rss.announce("cs.AI", p)
        core.config = offline_config(
            sources={"arxiv_categories": ["cs.AI"], "arxiv_rss_base_url": rss.url}
        )
        await fetch_days(core, [])
    if not configured:
        core.config = offline_config()


def _ids(found: dict, user: str) -> list[str]:
    return [m.paper.id for m in found.get(("memory", "W1", user), [])]


async def test_topics_match_both_sources_and_each_scope_keeps_its_part(
    core: Core, bot: MemoryAdapter, clock: FakeClock
) -> None:
    await _with_arxiv_day(core, clock)
    for user in ("U1", "U2", "U3"):
        await bot.push("/papers subscribe agent", user_id=user)
    await bot.push("/papers alerts scope hf", user_id="U2")
    await bot.push("/papers alerts scope arxiv", user_id="U3")
    hf, arxiv = day_papers(core, DAY)
    assert {p.id for p in arxiv} == {p.id for p in ARXIV}
    assert not {p.id for p in arxiv} & {p.id for p in hf}
    found = match_topics(core, hf, arxiv_papers=arxiv)
    arxiv_ids = {p.id for p in ARXIV}
    everyone = _ids(found, "U1")  # never chose: all, since categories are configured
    assert arxiv_ids <= set(everyone) and set(everyone) - arxiv_ids
    assert set(_ids(found, "U2")) == set(everyone) - arxiv_ids
    assert set(_ids(found, "U3")) == arxiv_ids


async def test_without_arxiv_categories_the_default_scope_is_hf(
    core: Core, bot: MemoryAdapter, clock: FakeClock
) -> None:
    await _with_arxiv_day(core, clock, configured=False)  # papers stored, feed since turned off
    await bot.push("/papers subscribe agent", user_id="U1")
    found = match_topics(core, *day_papers(core, DAY)[:1], arxiv_papers=day_papers(core, DAY)[1])
    assert _ids(found, "U1") and not set(_ids(found, "U1")) & {p.id for p in ARXIV}


async def test_the_dm_shows_hf_papers_first_then_arxiv_each_explained(
    core: Core, bot: MemoryAdapter, clock: FakeClock
) -> None:
    await _with_arxiv_day(core, clock)
    await bot.push("/papers subscribe agent", user_id="U1")
    await bot.push("/papers alerts dm", user_id="U1")
    poster = MemoryPoster()
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 1
    [dm] = poster.sent
    ids = [c.paper_id for c in dm.reply.cards]
    arxiv_ids = {p.id for p in ARXIV}
    first_arxiv = next(i for i, pid in enumerate(ids) if pid in arxiv_ids)
    assert first_arxiv > 0 and all(pid in arxiv_ids for pid in ids[first_arxiv:])
    assert set(ids[first_arxiv:]) == arxiv_ids  # arXiv keeps room even when HF has many
    assert all(c.matched == ("agent",) for c in dm.reply.cards)
    assert "announced on arXiv" in dm.reply.text
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 0  # once a day


async def test_a_paper_hf_lists_later_is_no_longer_an_arxiv_paper_of_its_day(
    core: Core, clock: FakeClock
) -> None:
    await _with_arxiv_day(core, clock)
    from storage import papers as paper_store

    paper_store.upsert_day(core.db, "2025-10-02", [ARXIV[0]])
    _, arxiv = day_papers(core, DAY)
    assert ARXIV[0].id not in {p.id for p in arxiv}  # it is alerted on its HF day instead


async def test_alerts_scope_command(core: Core, bot: MemoryAdapter) -> None:
    shown = await one(bot, "/papers alerts", user_id="U1")
    assert "Hugging Face's daily list only" in shown.text  # no categories: the default is hf
    done = await one(bot, "/papers alerts scope all", user_id="U1")
    assert "daily list and arXiv's announcements" in done.text and "arxiv_categories" in done.text
    both = await one(bot, "/papers alerts dm scope arxiv", user_id="U1")
    assert "Alerts set to dm" in both.text and "arXiv's announcements only" in both.text
    bad = await one(bot, "/papers alerts scope everything", user_id="U1")
    assert bad.is_error and "not an alert scope" in bad.text
