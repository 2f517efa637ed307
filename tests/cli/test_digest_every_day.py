"""`paperbot digest --format slack|discord` of every recorded day passes the fakes' checks.

In-process over one imported database (no subprocess per day): each day's digest goes
through `render_digest` — exactly what the command prints — and every call in it is checked
as the fakes check a real request: Slack bodies by the Block Kit rules and slack_sdk's own
models (tests/fakes/slack/block_kit_rules.py), Discord bodies by Discord's documented limits
and its OpenAPI description (tests/fakes/discord/validate.py, openapi.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from bot.cli.commands import render_digest
from bot.core import Core
from bot.daily.thread import build_digest
from bot.ingest import import_paths
from bot.model import Digest
from tests.fakes.discord import openapi
from tests.fakes.discord.validate import message_problems, thread_problems
from tests.fakes.slack.block_kit_rules import validate_message
from tests.support.core import offline_config, shared_data

# Ids Discord assigns while posting, as `digest` prints them, and ids that stand in for them.
PLACEHOLDERS = {"{parent_message_id}": "1100000000000000001", "{thread_id}": "1100000000000000002"}


@pytest.fixture(scope="module")
def digests() -> list[Digest]:
    """Every recorded day's digest, built once from one imported database."""
    days = shared_data("hf-daily-papers")
    core = Core.open(offline_config(), ":memory:")
    assert not import_paths(core.db, [days]).rejected

    async def build() -> list[Digest]:
        names = sorted(p.stem for p in days.glob("*.json"))
        found = [await build_digest(core, day, offline=True) for day in names]
        await core.aclose()
        return [d for d in found if d is not None]

    return asyncio.run(build())


def _printed(digests: list[Digest], fmt: str) -> Iterator[tuple[str, list[dict]]]:
    for digest in digests:
        yield digest.day, json.loads(render_digest(digest, fmt))


def test_every_recorded_day_renders_valid_slack_calls(digests: list[Digest]) -> None:
    assert len(digests) >= 390
    checked = 0
    for day, calls in _printed(digests, "slack"):
        parent = calls[0]["body"]
        assert parent["blocks"][0]["text"]["text"].startswith("Daily Papers — "), day
        assert "https://" not in parent["blocks"][1]["text"]["text"], day  # no raw URL
        for call in calls:
            verdict = validate_message(call["body"])
            assert verdict.ok, (day, verdict)
            checked += 1
    assert checked > 390 * 2  # every day: a parent and its papers


def test_every_recorded_day_renders_valid_discord_calls(digests: list[Digest]) -> None:
    if not openapi.available():
        pytest.skip("Discord's OpenAPI description is not available")
    checked = 0
    for day, calls in _printed(digests, "discord"):
        assert calls[1]["body"]["name"].startswith("Daily Papers — "), day
        for call in calls:
            method, path = call["api"].split(" ", 1)
            for placeholder, snowflake in PLACEHOLDERS.items():
                path = path.replace(placeholder, snowflake)
            body = call["body"]
            local = thread_problems(body, forum=False) if path.endswith("/threads") else (
                message_problems(body))  # fmt: skip
            assert not local, (day, call["api"], local)
            assert not openapi.body_problems(method, path, body), (day, call["api"])
            checked += 1
    assert checked > 390 * 3  # every day: a parent, its thread and its papers
