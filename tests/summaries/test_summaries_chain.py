"""The summary chain with a real LLM client against FakeLLM, the daily budget, and the cache."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlite_utils

from bot.clock import FakeClock
from bot.model import Paper
from bot.summaries.budget import LLMBudget
from bot.summaries.chain import Summariser, Summary
from bot.summaries.extractive import extractive_tldr
from bot.summaries.llm import LLMSummariser
from storage.db import open_db
from tests.fakes.llm import FakeLLM

FIXTURE = Path(__file__).parents[1] / "fixtures" / "summaries" / "papers.json"
ORDER = ["llm", "hf", "extractive"]
SECRET = "sk-chain-secret"


def load_papers() -> dict[str, Paper]:
    raw = json.loads(FIXTURE.read_text(encoding="utf-8"))["papers"]
    return {
        p["id"]: Paper(
            id=p["id"],
            title=" ".join(p["title"].split()),
            abstract=p["summary"],
            ai_summary=p["ai_summary"],
            ai_keywords=tuple(p["ai_keywords"] or ()),
            upvotes=p["upvotes"],
        )
        for p in raw
    }


PAPERS = load_papers()
WITH_HF = PAPERS["2509.25541"]  # has ai_summary
WITHOUT_HF = PAPERS["2406.01574"]  # 2024: no ai_summary yet


@pytest.fixture
def db() -> sqlite_utils.Database:
    return open_db(None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 10, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    server = FakeLLM(expected_key=SECRET)
    server.start()
    yield server
    server.stop()


def make_chain(
    db: sqlite_utils.Database,
    clock: FakeClock,
    fake: FakeLLM | None,
    http: httpx.AsyncClient | None,
    order: list[str] = ORDER,
    max_calls: int = 100,
) -> Summariser:
    llm = None
    if fake is not None and http is not None:
        llm = LLMSummariser(fake.url, "fake-model", SECRET, http, timeout=5.0)
    return Summariser(db, order, llm, LLMBudget(db, max_calls, clock), clock=clock)


# --- the chain ----------------------------------------------------------------------------


async def test_the_llm_answer_wins_and_is_cached(db, clock, fake, http) -> None:
    chain = make_chain(db, clock, fake, http)
    first = await chain.summarise(WITH_HF)
    assert first == Summary(f"TL;DR of {WITH_HF.title}.", "llm", "fake-model")
    assert await chain.summarise(WITH_HF) == first
    assert len(fake.chat_calls()) == 1  # the second call was a cache hit
    row = db["summaries"].get(WITH_HF.id)
    assert row["source"] == "llm" and row["created_at"] == "2025-10-01T09:00:00+00:00"
    assert chain.cached(WITH_HF.id) == first


async def test_a_server_error_falls_through_to_hf(db, clock, fake, http, caplog) -> None:
    fake.inject("500")
    summary = await make_chain(db, clock, fake, http).summarise(WITH_HF)
    assert summary == Summary(" ".join(WITH_HF.ai_summary.split()), "hf")
    assert len(fake.chat_calls()) == 1
    assert "HTTP 500" in caplog.text


async def test_a_malformed_body_falls_through_to_hf(db, clock, fake, http) -> None:
    fake.inject("bad_body")
    summary = await make_chain(db, clock, fake, http).summarise(WITH_HF)
    assert summary.source == "hf"


async def test_without_hf_an_llm_failure_gives_the_extractive_tldr(db, clock, fake, http) -> None:
    fake.inject("503")
    summary = await make_chain(db, clock, fake, http).summarise(WITHOUT_HF)
    assert summary == Summary(extractive_tldr(WITHOUT_HF.abstract, WITHOUT_HF.title), "extractive")
    assert 0 < len(summary.text) <= 300


async def test_budget_exhausted_skips_the_llm_without_a_request(
    db, clock, fake, http, caplog
) -> None:
    chain = make_chain(db, clock, fake, http, max_calls=2)
    papers = list(PAPERS.values())[:5]
    sources = [(await chain.summarise(p)).source for p in papers]
    assert sources == ["llm", "llm", "hf", "hf", "hf"]
    assert len(fake.chat_calls()) == 2
    assert caplog.text.count("budget") == 1  # warned once, not once per paper


async def test_budget_comes_back_the_next_utc_day(db, clock, fake, http) -> None:
    chain = make_chain(db, clock, fake, http, max_calls=1)
    a, b, c = list(PAPERS.values())[:3]
    assert (await chain.summarise(a)).source == "llm"
    assert (await chain.summarise(b)).source == "hf"
    clock.advance(24 * 3600)
    assert (await chain.summarise(c)).source == "llm"
    assert len(fake.chat_calls()) == 2


async def test_each_failure_kind_is_logged_once(db, clock, fake, http, caplog) -> None:
    fake.inject("500", times=3)
    chain = make_chain(db, clock, fake, http)
    for paper in list(PAPERS.values())[:3]:
        assert (await chain.summarise(paper)).source == "hf"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "HTTP 500" in warnings[0].getMessage()
    assert SECRET not in caplog.text


async def test_no_llm_configured_means_hf_then_extractive(db, clock) -> None:
    chain = make_chain(db, clock, None, None)
    assert (await chain.summarise(WITH_HF)).source == "hf"
    assert (await chain.summarise(WITHOUT_HF)).source == "extractive"


async def test_order_is_respected(db, clock, fake, http) -> None:
    chain = make_chain(db, clock, fake, http, order=["hf", "llm", "extractive"])
    assert (await chain.summarise(WITH_HF)).source == "hf"
    assert (await chain.summarise(WITHOUT_HF)).source == "llm"
    only_extractive = make_chain(open_db(None), clock, fake, http, order=["extractive"])
    assert (await only_extractive.summarise(WITH_HF)).source == "extractive"
    assert len(fake.chat_calls()) == 1


async def test_an_llm_only_chain_still_answers_when_the_llm_fails(db, clock, fake, http) -> None:
    fake.inject("500")
    summary = await make_chain(db, clock, fake, http, order=["llm"]).summarise(WITH_HF)
    assert summary.source == "extractive" and summary.text


def test_unknown_sources_are_refused(db, clock) -> None:
    with pytest.raises(ValueError, match="gpt"):
        Summariser(db, ["gpt", "hf"], None, None)


# --- offline ------------------------------------------------------------------------------


async def test_offline_never_touches_the_network_and_does_not_block_the_llm(
    db, clock, fake, http
) -> None:
    chain = make_chain(db, clock, fake, http)
    assert chain.summarise_offline(WITH_HF).source == "hf"
    assert chain.summarise_offline(WITHOUT_HF).source == "extractive"
    assert fake.calls == []
    assert chain.cached(WITH_HF.id) is None  # an LLM is configured: keep the slot for it
    assert (await chain.summarise(WITH_HF)).source == "llm"
    assert chain.summarise_offline(WITH_HF).source == "llm"  # the cache wins offline too


def test_offline_caches_when_no_llm_is_configured(db, clock) -> None:
    chain = make_chain(db, clock, None, None)
    summary = chain.summarise_offline(WITHOUT_HF)
    assert chain.cached(WITHOUT_HF.id) == summary


# --- the day overview ---------------------------------------------------------------------


async def test_day_overview_comes_from_the_llm_and_is_cached(db, clock, fake, http) -> None:
    chain = make_chain(db, clock, fake, http)
    papers = list(PAPERS.values())[:3]
    overview = await chain.day_overview("2025-10-01", papers)
    assert overview == Summary("Overview of 2025-10-01: 3 papers.", "llm", "fake-model")
    assert (await chain.day_overview("2025-10-01", papers)).text == overview.text
    assert len(fake.chat_calls()) == 1
    user = fake.chat_calls()[0].json()["messages"][1]["content"]
    assert f"- {papers[0].title}: " in user


async def test_day_overview_is_none_without_llm_or_budget(db, clock, fake, http) -> None:
    assert await make_chain(db, clock, None, None).day_overview("2025-10-01", [WITH_HF]) is None
    broke = make_chain(db, clock, fake, http, max_calls=0)
    assert await broke.day_overview("2025-10-01", [WITH_HF]) is None
    fake.inject("500")
    assert await make_chain(db, clock, fake, http).day_overview("2025-10-01", [WITH_HF]) is None
    assert len(fake.chat_calls()) == 1


# --- the budget ---------------------------------------------------------------------------


def test_budget_counts_per_utc_day_in_the_database(db, clock) -> None:
    budget = LLMBudget(db, 3, clock)
    assert [budget.try_spend() for _ in range(5)] == [True, True, True, False, False]
    assert budget.used_today() == 3 and budget.remaining_today() == 0
    assert LLMBudget(db, 3, clock).try_spend() is False  # shared through the table
    clock.advance(24 * 3600)
    assert budget.try_spend() is True
    assert dict(db.execute("SELECT day, calls FROM llm_usage").fetchall()) == {
        "2025-10-01": 3,
        "2025-10-02": 1,
    }


def test_budget_day_is_the_utc_day(db) -> None:
    evening_in_new_york = datetime(2025, 10, 1, 21, 30, tzinfo=ZoneInfo("America/New_York"))
    budget = LLMBudget(db, 1, FakeClock(evening_in_new_york))
    assert budget.today() == "2025-10-02"


def test_a_zero_budget_never_spends(db, clock) -> None:
    budget = LLMBudget(db, 0, clock)
    assert budget.try_spend() is False and budget.used_today() == 0
