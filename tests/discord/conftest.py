"""Discord tests: the loopback Discord fake (REST + gateway), generous rate limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.discord import FakeDiscord, RateLimits


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(limits=RateLimits(per_route=1000)) as f:
        yield f  # type: ignore[misc]
