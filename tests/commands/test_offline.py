"""Offline, a command answers at once with what is true (issue #12, item 2): a Hugging Face
fallback that cannot connect is not retried, the reply names the outage and whether anything
is stored, and an id that cannot exist is refused before any request."""

from __future__ import annotations

import pytest

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import import_paths
from tests.fakes.hf import FakeHF
from tests.support.chat import one
from tests.support.core import DAYS, NOWHERE, offline_config

NO_SUCH_HOST = "http://paperbot-no-such-host.invalid"  # RFC 6761: never resolves


def _bot(base: str, clock: FakeClock, *, stored: bool) -> MemoryAdapter:
    # the default retry budget, not offline_config's 0: what a real install would do
    cfg = offline_config(sources={"hf_base_url": base, "arxiv_base_url": base, "max_retries": 4})
    core = Core.open(cfg, ":memory:", clock=clock)
    if stored:
        import_paths(core.db, [DAYS])
    return MemoryAdapter(core)


@pytest.mark.parametrize("base", [NOWHERE, NO_SUCH_HOST])
async def test_search_fallback_offline_says_what_is_true_without_waiting(
    base: str, clock: FakeClock
) -> None:
    bot = _bot(base, clock, stored=True)
    # words and a filter: the words go to Hugging Face (a filter-only query never does)
    r = await one(bot, "/papers search zebrafish cat:cs.CL")
    assert r.is_error and r.text.startswith("Nothing stored matches zebrafish cat:cs.CL")
    assert "Hugging Face is unreachable" in r.text and len(r.text.splitlines()) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("base", [NOWHERE, NO_SUCH_HOST])
async def test_show_offline_with_nothing_stored_does_not_promise_stored_papers(
    base: str, clock: FakeClock
) -> None:
    bot = _bot(base, clock, stored=False)
    r = await one(bot, "/papers show 2501.00001")
    assert r.is_error and "Hugging Face is unreachable" in r.text
    assert "still work" not in r.text and "No papers are stored yet" in r.text
    assert clock.sleeps == []


async def test_show_offline_with_papers_stored_says_they_still_work(clock: FakeClock) -> None:
    bot = _bot(NOWHERE, clock, stored=True)
    r = await one(bot, "/papers show 2501.00001")
    assert r.is_error and "Hugging Face is unreachable" in r.text
    assert "stored papers still work" in r.text.lower() and clock.sleeps == []


@pytest.mark.parametrize("bad", ["2509.2400", "2513.00001", "2500.12345", "1412.12345x"])
async def test_an_id_that_cannot_exist_is_refused_without_a_request(
    bad: str, clock: FakeClock
) -> None:
    with FakeHF(clock=clock) as fake:
        bot = _bot(fake.url, clock, stored=False)
        for command in ("show", "save", "bibtex"):
            r = await one(bot, f"/papers {command} {bad}")
            assert r.is_error and "not an arXiv id" in r.text, (command, r.text)
    assert fake.calls == []


def test_old_four_digit_ids_are_still_ids() -> None:
    from bot.sources.arxiv_ids import base_id

    assert base_id("1412.1234") == "1412.1234" and base_id("0704.0001") == "0704.0001"
    assert base_id("2509.24002v2") == "2509.24002"
    assert base_id("2509.2400") is None and base_id("1412.12345") is None
