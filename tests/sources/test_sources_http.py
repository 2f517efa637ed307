"""RetryingClient and its header parsing: Retry-After forms, RateLimit drafts, waiting limits."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from bot.clock import FakeClock
from bot.sources.errors import SourceError
from bot.sources.http import RetryingClient, parse_rate_limit, parse_retry_after
from tests.fakes.hf import FakeHF

CLOCK_START = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(CLOCK_START)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeHF]:
    paper = {"id": "2401.00001", "title": "A paper"}
    with FakeHF(papers={"2401.00001": paper}, clock=clock) as server:
        yield server


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        ("2.5", 2.5),
        ("Wed, 01 Oct 2025 09:00:30 GMT", 30.0),
        ("Wed, 01 Oct 2025 08:00:00 GMT", 0.0),  # already past: retry now
        ("-3", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds_or_http_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, FakeClock(CLOCK_START)) == seconds


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"RateLimit": '"api";r=0;t=42'}, (0, 42.0)),  # draft 9, what Hugging Face sends
        ({"RateLimit": "limit=500, remaining=3, reset=10"}, (3, 10.0)),  # older drafts
        ({"RateLimit-Remaining": "0", "RateLimit-Reset": "5"}, (0, 5.0)),
        ({"RateLimit-Policy": '"fixed window";"api";q=500;w=300'}, (None, None)),
        ({"RateLimit-Remaining": "many"}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_rate_limit_headers_of_every_draft(headers: dict[str, str], expected: tuple) -> None:
    assert parse_rate_limit(httpx.Headers(headers)) == expected


async def test_http_date_retry_after_is_honoured(fake: FakeHF, clock: FakeClock) -> None:
    fake.inject("429", retry_after="Wed, 01 Oct 2025 09:00:30 GMT")
    async with httpx.AsyncClient(timeout=5) as http:
        client = RetryingClient(http, clock, source_name="Hugging Face")
        response = await client.get(f"{fake.url}/api/papers/2401.00001")
    assert response.json()["title"] == "A paper"
    assert clock.sleeps == [30.0]


async def test_a_wait_longer_than_max_wait_is_reported_not_slept(fake, clock) -> None:
    fake.inject("429", retry_after=3600)
    async with httpx.AsyncClient(timeout=5) as http:
        client = RetryingClient(http, clock, source_name="Hugging Face", max_wait=900)
        with pytest.raises(SourceError, match="asks to wait 3600 s"):
            await client.get(f"{fake.url}/api/papers/2401.00001")
    assert clock.sleeps == [] and len(fake.calls) == 1


async def test_backoff_is_capped_and_deterministic_with_a_seeded_rng(fake, clock) -> None:
    fake.inject("502", times=5)
    async with httpx.AsyncClient(timeout=5) as http:
        client = RetryingClient(
            http, clock, max_retries=5, base_delay=1, max_delay=4, rng=random.Random(1), jitter=0
        )
        response = await client.get(f"{fake.url}/api/papers/2401.00001")
    assert response.status_code == 200
    assert clock.sleeps == [1, 2, 4, 4, 4]


async def test_allowed_status_is_returned_not_raised(fake, clock) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        client = RetryingClient(http, clock)
        response = await client.get(f"{fake.url}/api/papers/2409.99999", allow_status=(404,))
        assert response.status_code == 404
        with pytest.raises(SourceError) as info:
            await client.get(f"{fake.url}/api/papers/2409.99999")
    assert info.value.status == 404


@pytest.mark.parametrize("base", ["huggingface.co", "ftp://example.org"])
async def test_an_unusable_base_url_fails_at_once(base: str, clock: FakeClock) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        client = RetryingClient(http, clock, source_name="Hugging Face")
        with pytest.raises(SourceError, match="Hugging Face URL .* is not usable"):
            await client.get(f"{base}/api/daily_papers")
    assert clock.sleeps == []
