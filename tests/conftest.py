"""Shared fixtures: a core on an in-memory database loaded with three recorded days."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.config import Config
from bot.core import Core
from bot.ingest import import_paths

FIXTURES = Path(__file__).parent / "fixtures"
DAYS = FIXTURES / "days"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# A closed loopback port: anything that tries the network by mistake fails fast, locally.
NOWHERE = "http://127.0.0.1:9"


def offline_config(**sections: dict) -> Config:
    base = {"sources": {"hf_base_url": NOWHERE, "arxiv_base_url": NOWHERE, "max_retries": 0}}
    for k, v in sections.items():
        base[k] = {**base.get(k, {}), **v}
    return Config.model_validate(base)


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


def shared_data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data {path} not available")
    return path
