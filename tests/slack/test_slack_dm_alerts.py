"""Alert DMs on a real workspace's terms: an install whose App Home Messages tab is off answers
`messages_tab_disabled` to every DM, and some users cannot be DMed at all (a bot account). Such
a refusal is permanent *for that user*: their DM alerts pause once, with the reason, instead of
being retried at every fetch; `/papers alerts` says why, `/papers alerts dm` resumes them; the
channel threads and everyone else's DMs go on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from adapters.memory import MemoryAdapter
from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.config import SlackConfig
from bot.daily.scheduler import Scheduler
from bot.model import Place
from storage import users as user_store
from storage.ledger import Ledger
from tests.fakes.hf import FakeHF
from tests.fakes.slack.web_api import BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.scheduling import DAY, NINE, make_core, set_clock
from tests.support.slack import slack_channel


def dm_user(core, user_id: str, topic: str = "agent OR agents") -> user_store.UserKey:
    user = user_store.UserKey("slack", TEAM_ID, user_id)
    user_store.add_topic(core.db, user, topic)
    user_store.set_alerts(core.db, user, "dm")
    return user


@pytest.fixture
def old_install() -> Iterator[FakeSlackWebApi]:
    """An app created before the manifest turned the Messages tab on (no App Home at all)."""
    with FakeSlackWebApi(min_interval=0.0, manifest=None) as fake:
        fake.add_user("U1")
        yield fake


def dm_posts(fake: FakeSlackWebApi, channel: str = "DU1") -> list:
    """chat.postMessage calls to a DM, accepted or refused."""
    return [c for c in fake.method_calls("chat.postMessage") if channel in str(c.body)]


async def alerts_at(sched: Scheduler, clock, when) -> None:
    set_clock(clock, when)
    await sched.run_due(when)


async def test_messages_tab_disabled_pauses_the_dm_once_with_its_reason(
    hf: FakeHF, old_install: FakeSlackWebApi
) -> None:
    core, clock = make_core(hf.url)
    dm_user(core, "U1")
    slack_channel(core, "CPAPERS", max_papers=3)
    client = make_web_client(SlackConfig(api_base_url=old_install.api_url), BOT_TOKEN)
    sched = Scheduler(core, {"slack": SlackPoster(client, clock)})
    await alerts_at(sched, clock, NINE)
    await sched.fetch_and_alert(clock.now())  # a later fetch the same day
    assert len(dm_posts(old_install)) == 1  # refused once: no backoff retries, no re-send
    assert Ledger(core.db).pending_targets() == []
    user = user_store.UserKey("slack", TEAM_ID, "U1")
    assert "messages_tab_disabled" in (user_store.dm_paused_reason(core.db, user) or "")
    assert len(old_install.messages("chat.postMessage", "CPAPERS")) == 4  # the thread went out
    await alerts_at(sched, clock, NINE + timedelta(days=1))
    assert len(dm_posts(old_install)) == 1  # paused: the next day's DM is not tried
    bot = MemoryAdapter(core)
    bot.place = Place("slack", "CPAPERS", TEAM_ID)
    [status] = await bot.push("/papers alerts")
    assert "paused" in status.text.lower() and "messages_tab_disabled" in status.text
    assert "Messages Tab" in status.text  # what the workspace admin has to switch on
    [resumed] = await bot.push("/papers alerts dm")
    assert user_store.dm_paused_reason(core.db, user) is None and "dm" in resumed.text


async def test_a_user_who_cannot_be_dmed_does_not_stop_the_others(hf: FakeHF) -> None:
    """conversations.open refuses a bot account (cannot_dm_bot); the other subscriber's DM
    arrives, today and tomorrow, and the refused one is not asked again."""
    with FakeSlackWebApi(min_interval=0.0) as slack:
        slack.add_user("U1")
        slack.add_user("UBOT", bot=True)
        core, clock = make_core(hf.url)
        dm_user(core, "U1")
        dm_user(core, "UBOT")
        client = make_web_client(SlackConfig(api_base_url=slack.api_url), BOT_TOKEN)
        sched = Scheduler(core, {"slack": SlackPoster(client, clock)})
        await alerts_at(sched, clock, NINE)
        await alerts_at(sched, clock, NINE + timedelta(days=1))
    assert len(slack.messages("chat.postMessage", "DU1")) >= 1
    opened = [c for c in slack.method_calls("conversations.open") if c.query.get("users") == "UBOT"]
    assert len(opened) == 1  # refused once, then paused
    bot_user = user_store.UserKey("slack", TEAM_ID, "UBOT")
    assert "cannot_dm_bot" in (user_store.dm_paused_reason(core.db, bot_user) or "")
    assert user_store.dm_paused_reason(core.db, user_store.UserKey("slack", TEAM_ID, "U1")) is None
    assert all(row.status != "pending" for row in Ledger(core.db).rows("slack:T0FAKE:dm:UBOT", DAY))
