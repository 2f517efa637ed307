"""`paperbot digest --format slack` prints what the Slack poster sends (SPEC §10): the same
message metadata — key, day, paper id, part — in the same order, and the same message bodies
but for the parent's `ts`, which only Slack can assign."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.slack.poster import SlackPoster
from adapters.slack.render import PARENT_TS_PLACEHOLDER
from adapters.slack.web_client import make_web_client
from bot.cli.main import main
from bot.clock import FakeClock
from bot.config import SlackConfig
from bot.core import Core
from bot.daily.delivery import deliver_thread
from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi
from tests.support.core import DAYS, offline_config
from tests.support.slack import slack_channel

DAY = "2025-10-01"
CHANNEL = "C0"  # the channel `paperbot digest` prints for


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # no stray ./config.toml
    monkeypatch.delenv("PAPERBOT_CONFIG", raising=False)
    path = str(tmp_path / "p.db")
    assert main(["import", str(DAYS), "--db", path]) == 0
    return path


@pytest.fixture
def printed(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """What `paperbot digest --format slack` prints (run before the test's event loop)."""
    capsys.readouterr()
    assert main(["digest", "--date", DAY, "--format", "slack", "--db", db]) == 0
    return json.loads(capsys.readouterr().out)


async def test_the_digest_prints_the_keys_and_bodies_the_poster_sends(
    db: str, printed: list[dict], fake: FakeSlackWebApi, clock: FakeClock
) -> None:
    core = Core.open(offline_config(), db, clock=clock)
    try:  # the same day to a channel with the digest's settings (the configured defaults)
        channel = slack_channel(core, CHANNEL, max_papers=core.config.digest.default_max)
        client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
        result = await deliver_thread(core, SlackPoster(client, clock), channel, DAY)
    finally:
        await core.aclose()
    assert result.status == "sent"
    posted = fake.messages("chat.postMessage", CHANNEL)
    assert len(posted) == len(printed) > 2

    sent_meta = [p.body["metadata"] for p in posted]
    assert sent_meta == [c["body"]["metadata"] for c in printed]
    keys = [m["event_payload"]["key"] for m in sent_meta]
    assert keys[0] == f"{DAY}:parent@{CHANNEL}" and len(set(keys)) == len(keys)

    parent_ts = posted[0].ts
    for call, sent in zip(printed, posted, strict=True):
        body = dict(call["body"])
        if body.get("thread_ts") == PARENT_TS_PLACEHOLDER:
            body["thread_ts"] = parent_ts
        assert sent.body == body
