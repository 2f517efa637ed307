"""Shared fixtures: a core on an in-memory database loaded with three recorded days."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import import_paths
from tests.support.core import DAYS, offline_config


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 10, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A plain httpx client (5 s timeouts) for tests that drive one source or LLM client."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
        yield client


@pytest.fixture
def core(clock: FakeClock) -> Core:
    c = Core.open(offline_config(), ":memory:", clock=clock)
    report = import_paths(c.db, [DAYS])
    assert report.files == 3 and not report.rejected
    return c


@pytest.fixture
def bot(core: Core) -> MemoryAdapter:
    return MemoryAdapter(core)
