"""`paperbot run` as a real subprocess against the loopback Slack (Web API + Socket Mode),
Discord (REST + gateway) and Hugging Face fakes, configured only with base URLs and tokens.

The subprocess runs on the real clock, so the posting is made to happen through catch-up at
start: each channel is enabled (its row written before the start) at a time a couple of
minutes earlier today, and so is the fetch time. FakeHF serves a recorded day's entries as
"today" and "yesterday" — computed here from the real date, the one place these tests read
the wall clock — so the run posts whichever day its catch-up lands on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.hf import FakeHF
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.support.core import ROOT
from tests.support.run import (
    ENV,
    MAX_PAPERS,
    THREAD,
    Fakes,
    discord_fake,
    everything_posted,
    recorded_day,
    slack_fake,
    start_run,
    stop_run,
    wait_until,
    write_setup,
)


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    today = datetime.now(UTC).date()  # the subprocess runs on the real clock
    days = {d.isoformat(): recorded_day() for d in (today, today - timedelta(days=1))}
    with (
        FakeHF(days=days) as hf,
        FakeSocketModeServer() as socket,
        slack_fake(socket) as slack,
        discord_fake() as discord,
    ):
        yield Fakes(hf, slack, socket, discord)


def test_run_posts_a_thread_on_each_platform_and_dms_subscribers(
    fakes: Fakes, tmp_path: Path
) -> None:
    alice = fakes.discord.add_user("alice")
    cfg = write_setup(tmp_path, fakes, alice)
    proc = start_run(cfg, tmp_path)
    try:
        wait_until(lambda: everything_posted(fakes), fakes)
    finally:
        err = stop_run(proc, tmp_path)
    assert "daily thread" in err  # what was posted is logged
    # Slack: parent, then the replies in its thread, paced, one mention where a topic matched
    parent, *replies = fakes.slack_thread()
    assert parent.thread_ts is None and "Daily Papers — " in parent.body["text"]
    assert [r.thread_ts for r in replies] == [parent.ts] * MAX_PAPERS
    gaps = [b.at - a.at for a, b in zip(fakes.slack_thread(), replies, strict=False)]
    assert min(gaps) >= 0.5 and not fakes.slack.rate_limited
    mentions = [r for r in replies if "<@UTHREAD>" in json.dumps(r.body)]
    assert mentions  # the thread subscriber, on the replies whose paper matched
    assert all("<@" not in json.dumps(r.body) for r in replies if r not in mentions)
    [dm] = fakes.slack.messages("chat.postMessage", "DUDM")
    assert "Your paper alerts for" in dm.body["text"]
    # Discord: parent in the channel, a thread from it, the replies inside
    dparent, *dreplies = fakes.discord_thread()
    assert dparent.channel_id == fakes.discord.text_channel_id
    assert {r.channel_id for r in dreplies} == {dparent.message_id}
    assert len(dreplies) == MAX_PAPERS and not fakes.discord.rejected
    ddms = fakes.discord_dms()  # one alert, five cards a message (each brings a button row)
    cards = sum(len(d.body.get("components", [])) for d in ddms)
    assert ddms and len(ddms) == max(1, -(-cards // 5))
    assert {fakes.discord.channels[d.channel_id]["recipients"][0]["id"] for d in ddms} == {alice}
    # clients closed: the Socket Mode and gateway connections are gone
    assert fakes.socket.connections == 1 and not fakes.socket._sockets
    fakes.discord.wait_until(lambda: not fakes.discord.hub.sessions)


def test_run_without_credentials_names_the_variables(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "SLACK"))}
    env.pop("PAPERBOT_CONFIG", None)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "x.db"), "run"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
        timeout=60,
    )
    assert out.returncode == 1 and out.stdout == ""
    [line] = out.stderr.strip().splitlines()
    assert "$DISCORD_TOKEN" in line and "$SLACK_BOT_TOKEN" in line and "paperbot shell" in line


def test_a_refused_token_is_one_line_and_exit_1(fakes: Fakes, tmp_path: Path) -> None:
    cfg = write_setup(tmp_path, fakes, fakes.discord.add_user("bob"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), **ENV, "PAPERBOT_TEST_SLACK_BOT": "xoxb-wrong"}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(cfg), "run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1] == (
        "paperbot: slack: Slack refused the bot token: invalid_auth"
    )
    assert not fakes.discord.posted  # nothing was sent before stopping


def test_sigint_mid_thread_lets_the_sends_in_flight_finish(fakes: Fakes, tmp_path: Path) -> None:
    """Ctrl-C while the Slack thread is going out (paced at one message a second): the
    thread is finished within the grace period, then the run exits 0, connections closed."""
    cfg = write_setup(tmp_path, fakes, fakes.discord.add_user("carol"), dm_subscribers=False)
    proc = start_run(cfg, tmp_path)
    try:
        wait_until(lambda: len(fakes.slack_thread()) >= 2, fakes)
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    err = (tmp_path / "run.err").read_text()
    assert code == 0 and "Traceback" not in err, err[-3000:]
    assert "SIGINT received" in err
    keys = [p.body["metadata"]["event_payload"]["key"] for p in fakes.slack_thread()]
    assert len(keys) == THREAD and len(set(keys)) == THREAD
    assert not fakes.socket._sockets
    fakes.discord.wait_until(lambda: not fakes.discord.hub.sessions)
