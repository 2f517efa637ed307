"""`paperbot digest --format discord` prints REST calls that the Discord fake accepts, in order;
`paperbot discord-invite` prints the invite link."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from adapters.discord.invite import invite_url
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.validate import mention_safety_problems

ROOT = Path(__file__).resolve().parents[2]
DAYS = ROOT / "tests" / "fixtures" / "days"


def paperbot(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for k in ("DISCORD_TOKEN", "PAPERBOT_CONFIG"):
        env.pop(k, None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def replay(fake: FakeDiscord, calls: list[dict]) -> list[httpx.Response]:
    """Send each printed call to the fake, filling in the ids Discord assigns on the way."""
    ids = {"0": fake.text_channel_id}
    out = []
    auth = {"Authorization": f"Bot {fake.token}"}
    with httpx.Client(base_url=fake.api_base, headers=auth) as client:
        for call in calls:
            method, path = call["api"].split(" ", 1)
            path = path.replace("/channels/0/", f"/channels/{ids['0']}/")
            for name in ("parent_message_id", "thread_id"):
                path = path.replace("{" + name + "}", ids.get(name, "missing"))
            r = client.request(method, path, json=call["body"])
            out.append(r)
            if r.status_code == 200 and "parent_message_id" not in ids:
                ids["parent_message_id"] = r.json()["id"]
            if r.status_code == 200 and path.endswith("/threads"):
                ids["thread_id"] = r.json()["id"]
    return out


def test_digest_format_discord_passes_the_fake_for_every_call(tmp_path: Path) -> None:
    db = str(tmp_path / "papers.db")
    imported = paperbot("--db", db, "import", str(DAYS))
    assert imported.returncode == 0, imported.stderr
    out = paperbot("--db", db, "digest", "--date", "2025-10-01", "--format", "discord")
    assert out.returncode == 0, out.stderr
    calls = json.loads(out.stdout)
    assert calls[0]["api"] == "POST /channels/0/messages"
    assert calls[1]["api"] == "POST /channels/0/messages/{parent_message_id}/threads"
    assert {c["api"] for c in calls[2:]} == {"POST /channels/{thread_id}/messages"}
    for c in calls:
        if "content" in c["body"] or "embeds" in c["body"]:
            assert mention_safety_problems(c["body"]) == []
    with FakeDiscord(limits=RateLimits(per_route=1000)) as fake:
        responses = replay(fake, calls)  # type: ignore[arg-type]
        assert [r.status_code for r in responses] == [200] * len(calls), [
            r.text for r in responses if r.status_code != 200
        ]
        parent = responses[0].json()["id"]
        assert len(fake.posted_in(parent)) == len(calls) - 2  # every paper, in the thread
        assert not fake.rejected


def test_discord_invite_prints_the_oauth_url() -> None:
    out = paperbot("discord-invite", "--application-id", "123456789012345678")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == invite_url("123456789012345678")
