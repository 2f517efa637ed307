"""ArxivClient against the loopback arXiv fake: batching, 3 s spacing, errors, search, merge."""

from __future__ import annotations

import random
import re
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.model import Paper
from bot.sources.arxiv import ArxivClient, arxiv_search_query
from bot.sources.errors import MalformedResponse
from bot.sources.hf import HFClient
from bot.sources.http import RetryingClient
from bot.sources.merge import merge_arxiv
from tests.fakes.arxiv import FakeArxiv, error_feed
from tests.fakes.hf import FakeHF

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sources"
FEEDS = sorted((FIXTURES / "arxiv").glob("*.xml"))


def made_up(i: int) -> Paper:
    return Paper(
        id=f"2501.{i:05d}",
        title=f"Paper number {i}",
        abstract="An abstract.",
        authors=("A. Author", "B. Author"),
        categories=("stat.ML", "cs.LG"),
        primary_category="cs.LG",
        version=2,
        comment="9 pages",
    )


def arxiv_client(url: str, http: httpx.AsyncClient, clock: FakeClock) -> ArxivClient:
    retrying = RetryingClient(http, clock, source_name="arXiv", rng=random.Random(3))
    return ArxivClient(url, retrying, clock)


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in pairwise(times)]


async def test_250_ids_go_in_3_batches_spaced_3_seconds_apart(clock, http) -> None:
    papers = [made_up(i) for i in range(250)]
    with FakeArxiv(papers=papers, clock=clock) as fake:
        found = await arxiv_client(fake.url, http, clock).lookup([p.id for p in papers])
    assert set(found) == {p.id for p in papers}
    assert found["2501.00007"].categories == ("cs.LG", "stat.ML")  # primary first
    assert found["2501.00007"].version == 2
    batches = [c.query["id_list"].split(",") for c in fake.calls]
    assert [len(b) for b in batches] == [100, 100, 50]
    assert [c.query["max_results"] for c in fake.calls] == ["100", "100", "50"]
    assert sum(batches, []) == [p.id for p in papers]
    assert all(gap >= 3.0 for gap in gaps(fake.request_times))
    assert clock.sleeps == [3.0, 3.0]


async def test_retries_are_spaced_too(clock, http) -> None:
    papers = [made_up(i) for i in range(150)]
    with FakeArxiv(papers=papers, clock=clock) as fake:
        fake.inject("503")
        found = await arxiv_client(fake.url, http, clock).lookup([p.id for p in papers])
    assert len(found) == 150
    assert len(fake.request_times) == 3  # failed, retried, second batch
    assert all(gap >= 3.0 for gap in gaps(fake.request_times))


async def test_spacing_holds_across_calls(clock, http) -> None:
    with FakeArxiv(feed_files=FEEDS, clock=clock) as fake:
        client = arxiv_client(fake.url, http, clock)
        await client.lookup(["1605.08386"])
        await client.search("testing")
        clock.advance(10)  # time passes between commands: no wait needed
        await client.lookup(["1707.08567"])
    assert gaps(fake.request_times)[0] >= 3.0
    assert clock.sleeps == [3.0]


async def test_versions_old_style_ids_and_unknown_ids(clock, http) -> None:
    with FakeArxiv(feed_files=FEEDS, clock=clock) as fake:
        found = await arxiv_client(fake.url, http, clock).lookup(
            ["astro-ph/0601001v1", "2104.12255v1", "2104.99999", "2104.12255"]
        )
    assert fake.calls[0].query["id_list"] == "astro-ph/0601001,2104.12255,2104.99999"
    assert sorted(found) == ["2104.12255", "astro-ph/0601001"]
    assert found["astro-ph/0601001"].journal_ref == "ActaAstron.56:1-50,2006"


async def test_ids_that_are_not_arxiv_ids_never_reach_arxiv(clock, http) -> None:
    with FakeArxiv(feed_files=FEEDS, clock=clock) as fake:
        client = arxiv_client(fake.url, http, clock)
        assert await client.lookup(["abc", "../x", ""]) == {}
        found = await client.lookup(["abc", "1605.08386"])
    assert list(found) == ["1605.08386"]
    assert [c.query["id_list"] for c in fake.calls] == ["1605.08386"]


async def test_arxiv_error_feed_is_one_clear_error(clock, http) -> None:
    with FakeArxiv(feed_files=FEEDS, clock=clock) as fake:
        fake.inject("status", status=400, body=error_feed("incorrect id format for 2401.9"))
        with pytest.raises(MalformedResponse) as info:
            await arxiv_client(fake.url, http, clock).lookup(["1605.08386"])
    assert str(info.value) == "arXiv rejected the query: incorrect id format for 2401.9"
    assert len(fake.calls) == 1  # a rejected query is not retried


async def test_search_sends_only_plain_words(clock, http) -> None:
    with FakeArxiv(feed_files=FEEDS, clock=clock) as fake:
        client = arxiv_client(fake.url, http, clock)
        results = await client.search("testing", max_results=4)
        assert 0 < len(results) <= 4
        assert fake.calls[0].query["search_query"] == "all:testing"
        assert await client.search('"") OR ()') == []
        assert len(fake.calls) == 1


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("diffusion video", "all:diffusion AND all:video"),
        ('"state space" OR ti:mamba) ANDNOT', "all:state AND all:space AND all:ti AND all:mamba"),
        ("Llama-3.1 MoE", "all:Llama-3.1 AND all:MoE"),
        ("((()))", ""),
    ],
)
def test_search_query_keeps_user_text_out_of_the_syntax(text: str, query: str) -> None:
    assert arxiv_search_query(text) == query


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_search_query_is_always_plain_words_joined_by_and(text: str) -> None:
    query = arxiv_search_query(text)
    word = r"all:[^\W_]+(?:[.\-][^\W_]+)*"  # letters/digits, inner dots and hyphens only
    assert re.fullmatch(rf"({word}(?: AND {word})*)?", query)
    words = {w.upper() for w in re.findall(r"all:(\S+)", query)}
    assert not words & {"AND", "OR", "ANDNOT"}  # user text never becomes an operator


async def test_hf_day_enriched_from_arxiv(clock, http) -> None:
    """The fetch flow: a day from HF, one batched arXiv lookup, merged papers."""
    with FakeHF(data_dir=FIXTURES / "hf", clock=clock) as hf_fake:
        hf = HFClient(hf_fake.url, RetryingClient(http, clock, source_name="Hugging Face"))
        day = await hf.daily(date="2025-10-01")
    arxiv_side = [
        Paper(id=p.id, title=p.title, categories=("cs.CL",), primary_category="cs.CL", version=3)
        for p in day.papers[:30]
    ]
    with FakeArxiv(papers=arxiv_side, clock=clock) as ax_fake:
        found = await arxiv_client(ax_fake.url, http, clock).lookup([p.id for p in day.papers])
    assert len(ax_fake.calls) == 1 and len(found) == 30
    merged = [merge_arxiv(p, found[p.id]) if p.id in found else p for p in day.papers]
    assert all(m.primary_category == "cs.CL" and m.version == 3 for m in merged[:30])
    assert all(m.primary_category is None for m in merged[30:])
    assert [m.upvotes for m in merged] == [p.upvotes for p in day.papers]


def test_merge_keeps_hf_signals_and_takes_arxiv_bibliography() -> None:
    hf = Paper(id="2401.00001", title="HF title", upvotes=12, ai_keywords=("llm",), ai_summary="S")
    ax = Paper(
        id="2401.00001",
        title="arXiv title",
        abstract="Abstract from arXiv.",
        authors=("A",),
        categories=("cs.CL", "cs.AI"),
        primary_category="cs.CL",
        version=2,
        comment="10 pages",
        doi="10.1/x",
        journal_ref="J 1",
    )
    merged = merge_arxiv(hf, ax)
    assert merged.title == "HF title" and merged.abstract == "Abstract from arXiv."
    assert merged.authors == ("A",) and merged.upvotes == 12 and merged.ai_summary == "S"
    assert merged.ai_keywords == ("llm",) and merged.categories == ("cs.CL", "cs.AI")
    assert (merged.version, merged.comment, merged.doi, merged.journal_ref) == (
        2,
        "10 pages",
        "10.1/x",
        "J 1",
    )
    with pytest.raises(ValueError):
        merge_arxiv(hf, Paper(id="2401.00002", title="other"))
