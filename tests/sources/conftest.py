"""Source tests: a fresh injected clock (the HF and arXiv fakes record sleeps on it)."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
