"""A source that cannot be reached at all fails at once (issue #12, item 2): "connection refused"
and "host not found" are answers, not hiccups, so retrying them only makes a user wait. Counted
in attempts and in sleeps on the injected clock, never in wall time."""

from __future__ import annotations

import httpx
import pytest

from bot.clock import FakeClock
from bot.sources.errors import SourceError, Unreachable
from bot.sources.http import RetryingClient
from tests.fakes.hf import FakeHF
from tests.support.core import NOWHERE

# RFC 6761 §6.4: names under .invalid never resolve, so this is "host not found" everywhere.
NO_SUCH_HOST = "http://paperbot-no-such-host.invalid"


@pytest.mark.parametrize(("base", "reason"), [(NOWHERE, "connection refused"),
                                             (NO_SUCH_HOST, "host name not found")])  # fmt: skip
async def test_refused_or_unknown_host_is_one_attempt_and_no_wait(
    base: str, reason: str, clock: FakeClock
) -> None:
    attempts = 0

    async def count() -> None:
        nonlocal attempts
        attempts += 1

    async with httpx.AsyncClient(timeout=5) as http:
        client = RetryingClient(http, clock, max_retries=4, source_name="Hugging Face")
        with pytest.raises(Unreachable) as info:
            await client.get(f"{base}/api/daily_papers", before_attempt=count)
    assert attempts == 1 and clock.sleeps == []
    assert info.value.source == "Hugging Face" and info.value.reason == reason
    assert str(info.value) == f"could not reach Hugging Face at {base}/api/daily_papers: {reason}"
    assert isinstance(info.value, SourceError)  # every caller that handles outages handles it


async def test_timeouts_and_server_errors_are_still_retried(clock: FakeClock) -> None:
    with FakeHF(papers={"2401.00001": {"id": "2401.00001", "title": "A"}}, clock=clock) as fake:
        fake.inject("503")
        fake.inject("timeout", delay=1.0)
        async with httpx.AsyncClient(timeout=0.5) as http:
            client = RetryingClient(http, clock, max_retries=4, jitter=0, base_delay=1)
            response = await client.get(f"{fake.url}/api/papers/2401.00001")
    assert response.status_code == 200 and clock.sleeps == [1, 2]
