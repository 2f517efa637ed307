"""Storage: schema, migrations and writes on in-memory or temp-dir databases.

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""

from collections.abc import Iterator

import pytest

from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.crash import Zygote


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    """The warm process the crash tests fork their killed writers from."""
    with Zygote(tmp_path_factory.mktemp("zygote") / "zygote.log") as z:
        yield z


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0) as fake:
        yield fake
