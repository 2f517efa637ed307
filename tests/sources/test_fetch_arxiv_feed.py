"""arXiv's announcement feed end to end: `fetch_days` through the real core and httpx against
the loopback feed, HF and arXiv API fakes; one pacer for every arXiv request."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import fetch_days
from bot.model import Paper
from storage import papers as paper_store
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.arxiv_rss import FakeArxivRss
from tests.fakes.hf import FakeHF
from tests.support.chat import one
from tests.support.core import DAYS, FIXTURES, offline_config

DAY = "2025-10-01"
FEED_DAY = "Wed, 01 Oct 2025 00:00:00 -0400"
RECORDED = FIXTURES / "sources" / "arxiv-rss" / "cs.LG+cs.CL-2023-09-21.xml"
ONLY_ARXIV = Paper(
    id="2510.00001",
    version=1,
    title="Zebrafish locomotion transformers",
    abstract="We model zebrafish swimming with a transformer.",
    authors=("Ada Lovelace", "Alan Turing"),
    categories=("q-bio.NC", "cs.LG"),
)


def _hf_day() -> list:
    return json.loads((DAYS / f"{DAY}.json").read_text())


def _core(
    clock: FakeClock,
    rss: FakeArxivRss,
    *,
    hf: str | None = None,
    ax: str | None = None,
    enrich: bool = False,
    retries: int = 0,
) -> Core:
    sources: dict = {
        "arxiv_categories": ["cs.LG", "cs.CL"],
        "arxiv_rss_base_url": rss.url,
        "arxiv_enrich": enrich,
        "max_retries": retries,
    }
    if hf:
        sources["hf_base_url"] = hf
    if ax:
        sources["arxiv_base_url"] = ax
    return Core.open(offline_config(sources=sources), ":memory:", clock=clock)


async def test_one_request_for_all_categories_stores_arxiv_papers_beside_hf(
    clock: FakeClock,
) -> None:
    entries = _hf_day()
    hf_paper = entries[0]["paper"]
    overlap = Paper(
        id=hf_paper["id"],
        version=3,
        title="arXiv's own title for it",
        abstract="arXiv abstract",
        authors=("Someone",),
        categories=("cs.CL", "cs.AI"),
    )
    with (
        FakeHF(days={DAY: entries}, clock=clock) as hf,
        FakeArxivRss(clock=clock, pub_date=FEED_DAY) as rss,
    ):
        rss.announce("cs.LG", ONLY_ARXIV)
        rss.announce("cs.CL", overlap, "cross")
        core = _core(clock, rss, hf=hf.url)
        report = await fetch_days(core, [DAY])
    assert [c.path for c in rss.calls] == ["/rss/cs.LG+cs.CL"]
    assert (report.arxiv_day, report.announced, report.replaced) == (DAY, 2, 0)
    row = paper_store.get_paper_row(core.db, ONLY_ARXIV.id)
    assert row["source"] == "arxiv" and row["arxiv_announced"] == DAY
    assert row["categories"] == ["q-bio.NC", "cs.LG"] and row["primary_category"] == "q-bio.NC"
    assert row["authors"] == ["Ada Lovelace", "Alan Turing"]
    merged = paper_store.get_paper_row(core.db, overlap.id)
    assert merged["source"] == "hf"
    assert merged["title"] == " ".join(hf_paper["title"].split())  # HF's fields win
    assert merged["categories"] == ["cs.CL", "cs.AI"] and merged["version"] == 3  # arXiv's
    # The daily list stays Hugging Face's: arXiv-only papers are not an HF day's papers.
    listed = {r["id"] for r in paper_store.day_rows(core.db, DAY)}
    assert ONLY_ARXIV.id not in listed and len(listed) == len(entries)
    assert core.db["daily_entries"].count == len(entries)


async def test_arxiv_papers_are_searchable_with_cat_on_both_sources(clock: FakeClock) -> None:
    with FakeArxivRss(clock=clock, pub_date=FEED_DAY) as rss:
        rss.announce("cs.LG", ONLY_ARXIV)
        core = _core(clock, rss)
        await fetch_days(core, [])
    bot = MemoryAdapter(core)
    found = await one(bot, "/papers search zebrafish cat:q-bio.NC")
    assert [c.paper_id for c in found.cards] == [ONLY_ARXIV.id]
    today = await one(bot, f"/papers today {DAY}")
    assert ONLY_ARXIV.id not in {c.paper_id for c in today.cards}


async def test_a_replacement_updates_the_stored_version_and_is_not_announced_again(
    clock: FakeClock,
) -> None:
    with FakeArxivRss(clock=clock, pub_date=FEED_DAY) as rss:
        rss.announce("cs.LG", ONLY_ARXIV)
        core = _core(clock, rss)
        await fetch_days(core, [])
        rss.items.clear()
        rss.pub_date = "Thu, 02 Oct 2025 00:00:00 -0400"
        revised = replace(ONLY_ARXIV, version=2, title="Zebrafish locomotion transformers, revised")
        rss.announce("cs.LG", revised, "replace")
        report = await fetch_days(core, [])
    assert (report.announced, report.replaced) == (0, 1)
    row = paper_store.get_paper_row(core.db, ONLY_ARXIV.id)
    assert row["version"] == 2 and row["title"].endswith("revised")
    assert row["arxiv_announced"] == DAY  # still the day it was new, never the replacement's
    assert core.db["papers"].count == 1


async def test_a_replacement_of_an_unknown_paper_is_stored_but_never_dated(
    clock: FakeClock,
) -> None:
    with FakeArxivRss(clock=clock, pub_date=FEED_DAY) as rss:
        rss.announce("cs.CL", replace(ONLY_ARXIV, version=4), "replace-cross")
        core = _core(clock, rss)
        await fetch_days(core, [])
    row = paper_store.get_paper_row(core.db, ONLY_ARXIV.id)
    assert row["version"] == 4 and row["arxiv_announced"] is None and row["source"] == "arxiv"


async def test_a_weekend_feed_stores_nothing_and_warns_nothing(clock: FakeClock) -> None:
    with FakeArxivRss(clock=clock, pub_date="Sat, 04 Oct 2025 00:00:00 -0400") as rss:
        core = _core(clock, rss)
        report = await fetch_days(core, [])
    assert report.warnings == [] and report.announced == 0 and core.db["papers"].count == 0


async def test_the_recorded_format_feed_goes_in_whole_minus_its_malformed_item(
    clock: FakeClock,
) -> None:
    with FakeArxivRss(clock=clock, raw_body=RECORDED.read_text()) as rss:
        core = _core(clock, rss)
        report = await fetch_days(core, [])
    assert (report.arxiv_day, report.announced, report.replaced) == ("2023-09-21", 4, 2)
    assert core.db["papers"].count == 6
    assert len(report.warnings) == 1 and "no usable arXiv id" in report.warnings[0]


async def test_a_feed_outage_is_a_warning_and_the_hf_day_is_still_stored(clock: FakeClock) -> None:
    entries = _hf_day()
    with FakeHF(days={DAY: entries}, clock=clock) as hf, FakeArxivRss(clock=clock) as rss:
        rss.inject("503", times=10)
        core = _core(clock, rss, hf=hf.url)
        report = await fetch_days(core, [DAY])
    assert report.days == 1 and core.db["daily_entries"].count == len(entries)
    assert len(report.warnings) == 1 and "arXiv announcements unavailable" in report.warnings[0]


async def test_feed_and_api_requests_share_one_3_second_pacer(clock: FakeClock) -> None:
    entries = _hf_day()
    with (
        FakeHF(days={DAY: entries}, clock=clock) as hf,
        FakeArxivRss(clock=clock, pub_date=FEED_DAY) as rss,
        FakeArxiv(papers=[], clock=clock) as ax,
    ):
        rss.announce("cs.LG", ONLY_ARXIV)
        rss.inject("503", times=1)  # a retry is a request too
        core = _core(clock, rss, hf=hf.url, ax=ax.url, enrich=True, retries=2)
        core.arxiv.batch_size = 10  # several API batches for the day's papers
        await fetch_days(core, [DAY])
    times = sorted(rss.request_times + ax.request_times)
    assert len(rss.request_times) == 2 and len(ax.request_times) >= 2
    assert all(b - a >= 3.0 - 1e-9 for a, b in pairwise(times)), times
