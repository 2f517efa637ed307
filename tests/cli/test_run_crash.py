"""Crash safety: `paperbot run` killed with SIGKILL mid-thread, restarted, and every message of
the thread found exactly once in the fakes' records — at several kill points on each platform.

The restart comes after Discord's nonce window has passed (the fake's clock is moved on), so
Discord no longer recognises a resent nonce: what was posted is found by reading it back.
The kill points are made deterministic by the fakes themselves: once the thread has `k`
messages, each fake holds the next message request, either before storing it (the message is
lost with the process) or after storing it but before answering (the platform has it, the
bot never learnt its id: the case a ledger alone cannot settle). The test kills the process
as soon as both fakes report a held request, releases them, and starts the bot again.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from aiohttp import web

from storage import open_db
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.messages import NONCE_WINDOW
from tests.fakes.hf import FakeHF
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.fakes.slack.web_api import FakeSlackWebApi, _read_args
from tests.support.run import (
    MAX_PAPERS,
    SLACK_CHANNEL,
    THREAD,
    Fakes,
    recorded_day,
    start_run,
    stop_run,
    wait_until,
    write_setup,
)


class Holding:
    """Mixed into a fake: hold the thread's message number `hold_at + 1` until released."""

    hold_at: int | None
    after_commit: bool
    held: threading.Event

    async def hold_around(
        self, in_thread: bool, count: int, send: Callable[[], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        holding = in_thread and self.hold_at is not None and count >= self.hold_at
        if holding and not self.after_commit:
            await self._hold()
            return web.Response(status=503)  # the sender is dead: this message never happened
        response = await send()
        if holding and self.after_commit:
            await self._hold()
        return response

    async def _hold(self) -> None:
        self.held.set()
        while self.hold_at is not None:  # released by the test after the kill
            await asyncio.sleep(0.02)

    def release(self) -> None:
        self.hold_at = None


@dataclass
class HoldingSlack(Holding, FakeSlackWebApi):
    hold_at: int | None = None
    after_commit: bool = False
    held: threading.Event = field(default_factory=threading.Event)

    async def _api(self, request: web.Request) -> web.Response:
        in_thread = False
        if request.match_info["method"] == "chat.postMessage":
            in_thread = (await _read_args(request)).get("channel") == SLACK_CHANNEL
        count = len(self.messages("chat.postMessage", SLACK_CHANNEL))
        return await self.hold_around(
            in_thread, count, partial(FakeSlackWebApi._api, self, request)
        )


@dataclass
class HoldingDiscord(Holding, FakeDiscord):
    hold_at: int | None = None
    after_commit: bool = False
    held: threading.Event = field(default_factory=threading.Event)

    def _in_home(self, cid: str) -> bool:
        home = self.text_channel_id
        return cid == home or self.channels.get(cid, {}).get("parent_id") == home

    async def _create_message(self, request: web.Request) -> web.Response:
        in_thread = self._in_home(request.match_info["cid"])
        count = len([p for p in self.posted if self._in_home(p.channel_id)])
        send = partial(FakeDiscord._create_message, self, request)
        return await self.hold_around(in_thread, count, send)


class SlackDuplicate(AssertionError):
    """The Slack thread holds a message twice."""


def thread_complete(f: Fakes, messages: int = THREAD) -> bool:
    return len(f.slack_thread()) >= messages and len(f.discord_thread()) >= messages


KILL_POINTS = [
    pytest.param(0, True, id="parent stored, answer lost"),
    pytest.param(1, False, id="first reply in flight"),
    pytest.param(2, True, id="second reply stored, answer lost"),
    pytest.param(MAX_PAPERS, False, id="last reply in flight"),
]


@pytest.mark.parametrize(("kill_at", "after_commit"), KILL_POINTS)
def test_sigkill_mid_thread_then_restart_posts_every_message_once(
    tmp_path: Path, kill_at: int, after_commit: bool
) -> None:
    crash_and_restart(tmp_path, kill_at, after_commit, THREAD)


# A compact channel (#11): 14 papers as lines, ten a reply — the parent and two replies, each
# reply carrying several papers under its first paper's key.
COMPACT = {"style": "compact", "max_papers": 14}
COMPACT_THREAD = 1 + 2


@pytest.mark.parametrize(("kill_at", "after_commit"), [
    pytest.param(1, False, id="first group in flight"),
    pytest.param(1, True, id="first group stored, answer lost"),
    pytest.param(2, False, id="last group in flight"),
])  # fmt: skip
def test_sigkill_mid_compact_thread_then_restart_posts_every_paper_once(
    tmp_path: Path, kill_at: int, after_commit: bool
) -> None:
    fakes = crash_and_restart(tmp_path, kill_at, after_commit, COMPACT_THREAD, **COMPACT)
    blocks = [b for p in fakes.slack_thread()[1:] for b in p.body["blocks"]]
    lines = [b for b in blocks if "huggingface.co/papers/" in b.get("text", {}).get("text", "")]
    assert len(lines) == 14  # every paper once: a line each, none lost, none twice
    described = [e["description"] for p in fakes.discord_thread()[1:] for e in p.body["embeds"]]
    assert sum(len(d.splitlines()) for d in described) == 14


def crash_and_restart(
    tmp_path: Path, kill_at: int, after_commit: bool, messages: int, **channel: object
) -> Fakes:
    """Run, SIGKILL at the hold point, restart past Discord's nonce window, and check the
    thread of `messages` messages arrived exactly once on both platforms."""
    today = datetime.now(UTC).date()  # the subprocess runs on the real clock
    days = {d.isoformat(): recorded_day() for d in (today, today - timedelta(days=1))}
    with (
        FakeHF(days=days) as hf,
        FakeSocketModeServer() as socket,
        HoldingSlack(min_interval=0.0, socket_url=socket.ws_url) as slack,
        HoldingDiscord(limits=RateLimits(per_route=1000)) as discord,
    ):
        fakes = Fakes(hf, slack, socket, discord)  # type: ignore[arg-type]
        for fake in (slack, discord):
            fake.hold_at, fake.after_commit = kill_at, after_commit
        user = discord.add_user("alice")
        cfg = write_setup(tmp_path, fakes, user, dm_subscribers=False, **channel)
        first = start_run(cfg, tmp_path, "first")
        try:
            assert slack.held.wait(40) and discord.held.wait(40), "no kill point reached"
        finally:
            first.kill()
            first.wait(10)
        for fake in (slack, discord):
            fake.release()
        stored = (len(fakes.slack_thread()), len(fakes.discord_thread()))
        assert stored == (kill_at + after_commit,) * 2  # killed exactly there
        # the restart comes after Discord's nonce window: only reading back can tell
        discord.advance(NONCE_WINDOW + 60)
        second = start_run(cfg, tmp_path, "second")
        try:
            wait_until(lambda: thread_complete(fakes, messages), fakes)
        finally:
            stop_run(second, tmp_path, "second")
        assert_exactly_once(fakes, tmp_path / "paperbot.db", messages)
    return fakes


def assert_exactly_once(f: Fakes, db_path: Path, messages: int = THREAD) -> None:
    nonces = Counter(p.body["nonce"] for p in f.discord_thread())
    assert len(nonces) == messages and set(nonces.values()) == {1}, nonces
    dparent, *dreplies = f.discord_thread()
    assert {r.channel_id for r in dreplies} == {dparent.message_id}
    db = open_db(db_path)
    statuses = {r[0] for r in db.execute("SELECT status FROM deliveries").fetchall()}
    db.close()
    assert statuses == {"sent"}
    keys = Counter(p.body["metadata"]["event_payload"]["key"] for p in f.slack_thread())
    if len(keys) != messages or set(keys.values()) != {1}:
        raise SlackDuplicate(f"Slack thread: {dict(keys)}")
    parent, *replies = f.slack_thread()
    assert {r.thread_ts for r in replies} == {parent.ts}
