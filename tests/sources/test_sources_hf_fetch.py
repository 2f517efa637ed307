"""HFClient against the loopback Hugging Face fake: paging, rate limits, retries, bad data.

Real httpx, real HTTP on 127.0.0.1; waiting goes through FakeClock, so nothing sleeps.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.clock import FakeClock
from bot.sources.errors import MalformedResponse, SourceError
from bot.sources.hf import HFClient
from bot.sources.http import RetryingClient
from tests.fakes.hf import FakeHF, load_day_files

HF_DAYS = Path(__file__).parents[1] / "fixtures" / "sources" / "hf"
RECORDED = load_day_files(HF_DAYS)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeHF]:
    with FakeHF(data_dir=HF_DAYS, clock=clock) as server:
        yield server


def hf_client(
    url: str, http: httpx.AsyncClient, clock: FakeClock, max_retries: int = 4
) -> HFClient:
    retrying = RetryingClient(
        http, clock, max_retries=max_retries, source_name="Hugging Face", rng=random.Random(7)
    )
    return HFClient(url, retrying)


def recorded_ids(day: str) -> list[str]:
    return [e["paper"]["id"] for e in RECORDED[day]]


def daily_calls(fake: FakeHF) -> list[dict[str, str]]:
    return [c.query for c in fake.calls_to("/api/daily_papers")]


async def test_pages_until_the_last_page(fake: FakeHF, http, clock) -> None:
    day = await hf_client(fake.url, http, clock).daily(date="2025-10-01", limit=10)
    assert [p.id for p in day.papers] == recorded_ids("2025-10-01")  # 37 papers, in order
    assert day.warnings == ()
    assert daily_calls(fake) == [
        {"date": "2025-10-01", "limit": "10", "p": str(p)} for p in range(4)
    ]  # the 7-entry last page has no Link: rel="next", so no fifth request
    assert clock.sleeps == []


async def test_paging_without_link_headers_stops_at_a_short_or_empty_page(clock, http) -> None:
    with FakeHF(data_dir=HF_DAYS, clock=clock, send_links=False) as fake:
        client = hf_client(fake.url, http, clock)
        assert len((await client.daily(date="2025-10-01", limit=10)).papers) == 37
        assert len(daily_calls(fake)) == 4  # 10, 10, 10, 7
        fake.calls.clear()
        assert len((await client.daily(date="2025-03-13", limit=5)).papers) == 10
        assert [c["p"] for c in daily_calls(fake)] == ["0", "1", "2"]  # 5, 5, then empty


async def test_week_and_month_are_merged_and_deduplicated(clock, http) -> None:
    a, b, c = RECORDED["2025-03-13"][:3]
    with FakeHF(days={"2025-09-29": [a, b], "2025-10-01": [b, c]}, clock=clock) as fake:
        client = hf_client(fake.url, http, clock)
        week = await client.daily(week="2025-W40", limit=2)
        assert [p.id for p in week.papers] == [e["paper"]["id"] for e in (a, b, c)]
        assert daily_calls(fake)[0]["week"] == "2025-W40"
        month = await client.daily(month="2025-09")
        assert [p.id for p in month.papers] == [a["paper"]["id"], b["paper"]["id"]]


async def test_429_retry_after_is_honoured_and_the_result_complete(fake, http, clock) -> None:
    fake.inject("429", retry_after=7, path_prefix="/api/daily_papers")
    day = await hf_client(fake.url, http, clock).daily(date="2024-05-27")
    assert [p.id for p in day.papers] == recorded_ids("2024-05-27")
    assert len(daily_calls(fake)) == 2
    assert clock.sleeps and clock.sleeps[0] >= 7


async def test_500_is_retried_with_growing_backoff(fake, http, clock) -> None:
    fake.inject("500", times=2)
    day = await hf_client(fake.url, http, clock).daily(date="2025-06-27")
    assert len(day.papers) == 9
    assert len(daily_calls(fake)) == 3
    first, second = clock.sleeps
    assert 1.0 <= first <= 1.1 and 2.0 <= second <= 2.2


async def test_timeout_is_retried(fake, clock) -> None:
    fake.inject("timeout", delay=1.5)
    short_read = httpx.Timeout(5.0, read=0.5)  # the fake stalls 1.5 s once; real answers are fast
    async with httpx.AsyncClient(timeout=short_read) as short:
        day = await hf_client(fake.url, short, clock).daily(date="2025-12-26")
    assert len(day.papers) == 6
    assert len(daily_calls(fake)) == 2 and len(clock.sleeps) == 1


async def test_a_bad_entry_is_skipped_and_the_rest_kept(clock, http) -> None:
    good = RECORDED["2025-03-13"][:3]
    entries = [good[0], "junk", {"paper": {"title": "no id"}}, good[1], good[2]]
    with FakeHF(days={"2025-03-13": entries}, clock=clock) as fake:
        day = await hf_client(fake.url, http, clock).daily(date="2025-03-13", limit=3)
    assert [p.id for p in day.papers] == [e["paper"]["id"] for e in good]
    assert day.warnings == (
        "page 0 entry 1: expected an object, got a string",
        "page 0 entry 2: no paper id",
    )


async def test_retries_exhausted_is_one_clear_error(fake, http, clock) -> None:
    fake.inject("503", times=10)
    with pytest.raises(SourceError) as info:
        await hf_client(fake.url, http, clock, max_retries=3).daily(date="2025-10-01")
    message = str(info.value)
    assert message.startswith(f"Hugging Face at {fake.url}/api/daily_papers?date=2025-10-01")
    assert message.endswith("kept failing (HTTP 503 Service Unavailable) after 4 attempts")
    assert len(fake.calls) == 4 and len(clock.sleeps) == 3


async def test_connection_refused_is_one_clear_error(http, clock) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError) as info:
        await hf_client(f"http://127.0.0.1:{port}", http, clock, max_retries=2).daily(
            date="2025-10-01"
        )
    assert str(info.value) == (
        f"could not reach Hugging Face at http://127.0.0.1:{port}/api/daily_papers"
        "?date=2025-10-01&limit=100&p=0: connection refused"
    )
    assert clock.sleeps == []  # refused is an answer: not retried (issue #12, item 2)


async def test_client_errors_are_not_retried(fake, http, clock) -> None:
    fake.inject("status", status=403, body="forbidden")
    with pytest.raises(SourceError) as info:
        await hf_client(fake.url, http, clock).daily(date="2025-10-01")
    assert info.value.status == 403 and "answered HTTP 403 Forbidden" in str(info.value)
    assert len(fake.calls) == 1 and clock.sleeps == []


async def test_a_malformed_body_is_one_clear_error_without_retry(fake, http, clock) -> None:
    fake.inject("bad_body")
    with pytest.raises(MalformedResponse, match="answered with something that is not JSON"):
        await hf_client(fake.url, http, clock).daily(date="2025-10-01")
    fake.inject("status", status=200, body='{"status": "success", "data": []}')
    with pytest.raises(MalformedResponse) as info:
        await hf_client(fake.url, http, clock).daily(date="2025-10-01")
    assert (
        str(info.value) == "expected a JSON array of papers, got an object with keys status, data"
    )
    assert len(fake.calls) == 2


async def test_exhausted_quota_waits_for_the_window_instead_of_hitting_429(clock, http) -> None:
    with FakeHF(data_dir=HF_DAYS, clock=clock, quota=2, window=300) as fake:
        day = await hf_client(fake.url, http, clock).daily(date="2025-10-01", limit=10)
        assert len(day.papers) == 37
        assert fake.quota_refusals == 0  # RateLimit r=0 was seen and respected
        assert clock.sleeps == [300]


async def test_quota_429_from_the_server_is_waited_out(clock, http) -> None:
    with FakeHF(data_dir=HF_DAYS, clock=clock, quota=1, window=60) as fake:
        other = hf_client(fake.url, http, clock)  # another process used the quota
        await other.paper("2405.15738")
        day = await hf_client(fake.url, http, clock).daily(date="2024-05-27")
        assert len(day.papers) == 13
        assert fake.quota_refusals == 1 and clock.sleeps == [60]


async def test_one_paper_by_id_and_not_found(fake, http, clock) -> None:
    client = hf_client(fake.url, http, clock)
    paper = await client.paper("2405.15738v2")
    assert paper is not None and paper.id == "2405.15738"
    assert paper.title.startswith("ConvLLaVA")
    assert await client.paper("2401.99999") is None
    assert await client.paper("not an id") is None
    assert [c.path for c in fake.calls] == ["/api/papers/2405.15738", "/api/papers/2401.99999"]


async def test_search_returns_wrapped_results_as_papers(fake, http, clock) -> None:
    client = hf_client(fake.url, http, clock)
    results = await client.search("diffusion", limit=5)
    assert 0 < len(results) <= 5
    assert all("diffusion" in (p.title + p.abstract).lower() for p in results)
    assert all(p.num_comments is not None for p in results)  # the wrapper's field was read
    assert fake.calls[0].query == {"q": "diffusion", "limit": "5"}
    assert await client.search("   ") == []
    assert len(fake.calls) == 1


async def test_bad_period_arguments_fail_before_any_request(fake, http, clock) -> None:
    client = hf_client(fake.url, http, clock)
    with pytest.raises(ValueError, match="not date and week"):
        await client.daily(date="2025-10-01", week="2025-W40")
    with pytest.raises(ValueError, match="week must look like YYYY-Www"):
        await client.daily(week="2025-40")
    with pytest.raises(ValueError, match="limit"):
        await client.daily(date="2025-10-01", limit=0)
    assert fake.calls == []
