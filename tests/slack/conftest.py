"""Slack tests: the loopback Slack Web API fake with one user, a fresh clock, and Hugging Face
serving the recorded days.

A module whose app runs in Socket Mode says `SOCKET_MODE = True`: its `fake` then answers
apps.connections.open with the loopback Socket Mode server (`socket_fake`). A module that
starts the app with `SLACK_*` credentials uses `pytestmark = pytest.mark.usefixtures("slack_env")`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FakeClock
from tests.fakes.hf import FakeHF
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.core import DAYS
from tests.support.slack_app import set_slack_env


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    set_slack_env(monkeypatch)


@pytest.fixture
def socket_fake() -> Iterator[FakeSocketModeServer]:
    with FakeSocketModeServer() as f:
        yield f


@pytest.fixture
def fake(request: pytest.FixtureRequest) -> Iterator[FakeSlackWebApi]:
    socket_url = ""
    if getattr(request.module, "SOCKET_MODE", False):
        socket_url = request.getfixturevalue("socket_fake").ws_url
    with FakeSlackWebApi(min_interval=0.0, socket_url=socket_url) as f:
        f.add_user("U1")
        yield f


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hf() -> Iterator[FakeHF]:
    with FakeHF(data_dir=DAYS) as f:
        yield f
