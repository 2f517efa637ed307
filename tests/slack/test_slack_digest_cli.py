"""`paperbot digest --format slack` prints what the adapter would send, and Slack takes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.slack.render import PARENT_TS_PLACEHOLDER
from bot.cli.main import main
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi

DAY_FILE = Path(__file__).parents[1] / "fixtures" / "days" / "2025-10-01.json"


@pytest.fixture
def fake() -> Iterator[FakeSlackWebApi]:
    with FakeSlackWebApi(min_interval=0.0) as f:
        yield f


@pytest.fixture
def digest_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict]:
    monkeypatch.chdir(tmp_path)  # no stray ./config.toml
    monkeypatch.delenv("PAPERBOT_CONFIG", raising=False)
    db = str(tmp_path / "p.db")
    assert main(["import", str(DAY_FILE), "--db", db]) == 0
    capsys.readouterr()
    assert main(["digest", "--date", "2025-10-01", "--format", "slack", "--db", db]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_call_passes_the_fakes_validation(digest_calls: list[dict]) -> None:
    assert len(digest_calls) >= 2
    for call in digest_calls:
        assert set(call) == {"api", "body"} and call["api"] == "chat.postMessage"
        assert call["body"]["channel"] == "C0"
        verdict = validate_message(call["body"])
        assert verdict.ok, verdict.details
    parent, *replies = digest_calls
    assert parent["body"]["blocks"][0]["text"]["text"].startswith("Daily Papers — Wed 1 Oct 2025")
    assert all(r["body"]["thread_ts"] == PARENT_TS_PLACEHOLDER for r in replies)


def test_posting_the_printed_calls_builds_the_thread(
    digest_calls: list[dict], fake: FakeSlackWebApi
) -> None:
    headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
    parent_ts = ""
    with httpx.Client(base_url=fake.api_url, headers=headers, timeout=10) as http:
        for call in digest_calls:
            body = dict(call["body"])
            if body.get("thread_ts") == PARENT_TS_PLACEHOLDER:
                body["thread_ts"] = parent_ts
            got = http.post(call["api"], json=body).json()
            assert got["ok"], got
            parent_ts = parent_ts or got["ts"]
    posted = fake.messages("chat.postMessage", "C0")
    assert len(posted) == len(digest_calls) and not fake.rejected
    assert [p.thread_ts for p in posted[1:]] == [parent_ts] * (len(posted) - 1)
