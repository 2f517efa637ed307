"""Reactions are votes, end to end on Slack: a 👍 on a paper reply the thread posted (a real
`reaction_added` event over Socket Mode) is recorded for that user, changes their next
`recommend`, and `reaction_removed` takes it back; a reaction on anything else is ignored."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack.app import run_slack
from bot.commands.dispatch import handle
from bot.model import Command, Place
from storage import recommend as rec_store
from storage.ledger import Ledger
from storage.users import UserKey
from tests.fakes.slack.payloads import reaction_event
from tests.fakes.slack.socket_mode import ACK_DEADLINE, FakeSocketModeServer
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.chat import until
from tests.support.slack_app import make_config, make_core

BRORL = "2510.01180"
TS = "1759300000.000200"
USER = UserKey("slack", TEAM_ID, "U1")


SOCKET_MODE = True  # `fake` answers apps.connections.open with `socket_fake`
pytestmark = pytest.mark.usefixtures("slack_env")


async def _recommend(core) -> str:
    cmd = Command("recommend", "3", "U1", "u1", False, Place("slack", "C1", TEAM_ID))
    [reply] = await handle(core, cmd)
    return (reply.title or reply.text) + " " + " ".join(c.like for c in reply.cards)


async def _react(socket_fake, kind: str, reaction: str, ts: str = TS) -> None:
    event = reaction_event(kind, reaction=reaction, channel_id="C1", message_ts=ts)
    envelope = socket_fake.deliver("events_api", event)
    ack = await asyncio.to_thread(socket_fake.wait_ack, envelope)
    assert ack is not None and ack.latency < ACK_DEADLINE


async def test_a_thumbs_up_on_a_posted_paper_feeds_the_next_recommend(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer
) -> None:
    config = make_config(fake, "socket")
    core = make_core(config)
    ledger = Ledger(core.db)
    target = f"slack:{TEAM_ID}:C1"
    ledger.plan(target, "2025-10-01", ["parent", BRORL])
    ledger.sent(target, "2025-10-01", "parent", "1759300000.000100")
    ledger.sent(target, "2025-10-01", BRORL, TS)  # the ledger knows the reply by its ts
    task = asyncio.create_task(run_slack(core, config))
    try:
        assert await asyncio.to_thread(socket_fake.wait_connected)
        assert "Nothing to go on" in await _recommend(core)
        await _react(socket_fake, "reaction_added", "tada")  # no vote
        await _react(socket_fake, "reaction_added", "+1", ts="1759300000.000100")  # the parent
        await _react(socket_fake, "reaction_added", "+1")
        await until(lambda: rec_store.user_votes(core.db, USER) == {BRORL: 1})
        assert rec_store.channel_upvotes(core.db, target, [BRORL]) == {BRORL: 1}  # its roundup
        assert "BroRL" in await _recommend(core)  # recommended for being like it
        await _react(socket_fake, "reaction_removed", "+1")
        await until(lambda: rec_store.user_votes(core.db, USER) == {})
        assert "Nothing to go on" in await _recommend(core)
        await _react(socket_fake, "reaction_added", "-1")
        await until(lambda: rec_store.user_votes(core.db, USER) == {BRORL: -1})
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await core.aclose()
