"""Reading a thread back before a re-send must never stall it: only no answer, a 429 or a 5xx
is worth retrying; a thread whose parent was deleted (or that admins locked) ends that day's
thread in that channel — the rest given up, the channel's schedule kept; any other refusal of
a read is logged and the send goes ahead, so the send's own answer decides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.config import SlackConfig
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import deliver_thread
from bot.daily.posting import ThreadGone
from bot.model import Place, Reply
from storage import channels as channel_store
from storage.ledger import Ledger
from tests.fakes.server import Fault
from tests.fakes.slack.web_api import BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.scheduling import DAY, NINE, core_at
from tests.support.slack import slack_channel

TARGET = f"slack:{TEAM_ID}:CPAPERS"


@dataclass
class RepliesDown(FakeSlackWebApi):
    """Thread replies answer 503 (nothing stored) while `down` is set."""

    down: bool = False

    def _take_fault(self, path: str) -> Fault | None:
        planned = super()._take_fault(path)
        if planned or not self.down or path != "/api/chat.postMessage":
            return planned
        return Fault("503") if self.calls[-1].json().get("thread_ts") else None


@pytest.fixture
def slack() -> Iterator[RepliesDown]:
    with RepliesDown(min_interval=0.0) as fake:
        yield fake


def poster_for(fake: FakeSlackWebApi, clock: FakeClock) -> SlackPoster:
    return SlackPoster(make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN), clock)


async def half_posted(core: Core, slack: RepliesDown, poster: SlackPoster) -> str:
    """The day's parent is out, its replies still pending (they failed for now)."""
    channel = slack_channel(core, "CPAPERS", max_papers=3)
    slack.down = True
    assert (await deliver_thread(core, poster, channel, DAY)).status == "failed"
    slack.down = False
    [parent] = slack.messages("chat.postMessage", "CPAPERS")
    return parent.ts


def pending(core: Core) -> list[str]:
    return [r.item for r in Ledger(core.db).rows(TARGET, DAY) if r.status == "pending"]


async def test_a_deleted_parent_ends_that_days_thread_not_the_channel(slack: RepliesDown) -> None:
    core, clock = core_at(NINE)
    poster = poster_for(slack, clock)
    parent_ts = await half_posted(core, slack, poster)
    assert len(pending(core)) == 3
    slack.delete_message("CPAPERS", parent_ts)  # someone deleted the day's parent
    channel = ChannelSettings.from_row(
        channel_store.get_channel(core.db, "slack", TEAM_ID, "CPAPERS")
    )
    result = await deliver_thread(core, poster, channel, DAY)
    assert result.status == "ended" and "thread_not_found" in (result.reason or "")
    assert pending(core) == [] and Ledger(core.db).pending_targets() == []
    assert slack.messages("chat.postMessage", "CPAPERS") == []  # nothing re-sent blindly
    channel = ChannelSettings.from_row(
        channel_store.get_channel(core.db, "slack", TEAM_ID, "CPAPERS")
    )
    assert not channel.paused_reason  # the schedule stays
    clock.advance(timedelta(days=1).total_seconds())
    tomorrow = await deliver_thread(core, poster, channel, "2025-10-02")
    assert tomorrow.status == "sent" and tomorrow.sent >= 2


async def test_a_locked_thread_ends_that_days_thread(slack: RepliesDown) -> None:
    core, clock = core_at(NINE)
    poster = poster_for(slack, clock)
    parent_ts = await half_posted(core, slack, poster)
    slack.lock_thread("CPAPERS", parent_ts)
    channel = ChannelSettings.from_row(
        channel_store.get_channel(core.db, "slack", TEAM_ID, "CPAPERS")
    )
    result = await deliver_thread(core, poster, channel, DAY)
    assert result.status == "ended" and "restricted_action_thread_locked" in (result.reason or "")
    assert pending(core) == [] and not channel.paused_reason


async def test_thread_not_found_on_reading_back_is_thread_gone(slack: RepliesDown) -> None:
    poster = poster_for(slack, FakeClock())
    thread = Place("slack", "CPAPERS", TEAM_ID, "1759300000.999999")  # no such parent
    with pytest.raises(ThreadGone):
        await poster.reply_in_thread(thread, Reply(text="one"), key="k")
    assert slack.method_calls("conversations.replies") and not slack.messages()


@pytest.mark.parametrize("code", ["access_denied", "is_archived", "channel_not_found"])
async def test_any_other_refusal_of_a_read_lets_the_send_decide(
    slack: RepliesDown, code: str
) -> None:
    """Not retried forever: the read is skipped (one warning) and the post goes out; where the
    channel really is archived or gone, the post's own answer says so, permanently."""
    slack.read_errors["CPAPERS"] = code
    poster = poster_for(slack, FakeClock())
    ts = await poster.post(Place("slack", "CPAPERS", TEAM_ID), Reply(text="hello"), key="k")
    assert ts and len(slack.method_calls("conversations.history")) == 1
    assert [p.ts for p in slack.messages("chat.postMessage")] == [ts]


async def test_history_is_read_across_short_pages(slack: RepliesDown) -> None:
    """Slack may return fewer messages than `limit` asks for: the search for a top-level
    message follows the cursor until it has seen the latest HISTORY_LIMIT messages."""
    slack.page_cap = 4
    poster = poster_for(slack, FakeClock())
    place = Place("slack", "CPAPERS", TEAM_ID)
    first = await poster.post(place, Reply(text="the day's parent"), key="k")
    for n in range(9):
        await poster.post(place, Reply(text=f"other {n}"), key=f"other{n}")
    again = await poster_for(slack, FakeClock()).post(place, Reply(text="again"), key="k")
    assert again == first and len(slack.messages("chat.postMessage")) == 10
    assert len(slack.method_calls("conversations.history")) >= 3 + 10
