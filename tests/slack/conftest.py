"""Slack tests: the loopback Slack Web API fake with one user, a fresh clock, and Hugging Face
serving the recorded days."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FakeClock
from tests.fakes.hf import FakeHF
from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.core import DAYS


@pytest.fixture
def fake() -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0) as f:
        f.add_user("U1")
        yield f


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hf() -> Iterator[FakeHF]:
    with FakeHF(data_dir=DAYS) as f:
        yield f
