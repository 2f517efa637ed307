"""SIGKILL of a real process around the roundup's chart upload (tests/support/crash_roundup.py):
at every statement from the parent's ledger record through the image's — the upload happens
between the image's `attempt` and its `sent` — and after a restart the thread has its parent
once and its chart once, on the Slack fake (a file shared into the thread, found again in
conversations.replies) and on the Discord fake (the parent's attachment, found by its ref)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.crash import Zygote
from tests.support.crash_roundup import Platform, RoundupUploading, Seen


@pytest.fixture(scope="module")
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(limits=RateLimits(per_route=1000)) as f:
        yield f  # type: ignore[misc]


def _slack(fake: FakeSlackWebApi) -> Platform:
    def new_channel(tag: str) -> str:
        fake.add_channel(f"CR{tag}")
        return f"CR{tag}"

    def seen(cid: str) -> Seen:
        posted = fake.messages("chat.postMessage", cid)
        parents = [p for p in posted if not p.thread_ts]
        replies = [p for p in posted if parents and p.thread_ts == parents[0].ts]
        charts = fake.messages("files.completeUploadExternal", cid)
        return Seen(len(parents), len(charts), len(replies))

    return Platform(
        "slack", TEAM_ID, {"platform": "slack", "slack_url": fake.api_url}, new_channel, seen
    )


def _discord(fake: FakeDiscord) -> Platform:
    def seen(cid: str) -> Seen:
        parents = fake.posted_in(cid)
        charts = [f for f in fake.files if f["channel_id"] == cid]
        replies = fake.posted_in(parents[0].message_id) if parents else []
        return Seen(len(parents), len(charts), len(replies))

    params = {"platform": "discord", "discord_url": fake.api_base, "discord_token": fake.token}
    return Platform("discord", fake.guild_id, params, lambda tag: fake.add_channel(tag), seen)


def _check(probe: RoundupUploading) -> None:
    trials = [probe.trial(k) for k in probe.around_upload]
    assert len(trials) >= 3
    for t in trials:
        assert t.killed, f"statement {t.kill_at} was never reached"
        assert t.held, f"killed at statement {t.kill_at}: {t.problems}"


def test_slack_roundup_killed_around_its_upload_has_its_chart_once(
    zygote: Zygote, tmp_path: Path, slack: FakeSlackWebApi
) -> None:
    _check(RoundupUploading(zygote, tmp_path, _slack(slack)))


def test_discord_roundup_killed_around_its_upload_has_its_chart_once(
    zygote: Zygote, tmp_path: Path, discord_fake: FakeDiscord
) -> None:
    _check(RoundupUploading(zygote, tmp_path, _discord(discord_fake)))
