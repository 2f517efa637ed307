"""A compact channel's thread on Slack, through the real poster and the fake Web API: lines
ten a reply, every body valid, and a group whose answer was lost found again by its key
instead of posted twice."""

from __future__ import annotations

from collections import Counter

import pytest

from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.config import SlackConfig
from bot.core import Core
from bot.daily.delivery import deliver_thread
from bot.model import paper_from_row
from storage import papers as paper_store
from storage.ledger import Ledger
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.web_api import BOT_TOKEN, LOST_ANSWER_KINDS, FakeSlackWebApi
from tests.support.scheduling import DAY
from tests.support.slack import metadata_keys, slack_channel


@pytest.mark.parametrize("kind", LOST_ANSWER_KINDS)
async def test_a_compact_thread_arrives_once_when_a_group_answer_is_lost(
    fake: FakeSlackWebApi, clock: FakeClock, kind: str, core: Core
) -> None:
    poster = SlackPoster(make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN), clock)
    ch = slack_channel(core, "C1", max_papers=25, style="compact")
    fake.lose_answer(kind, after=2)  # the parent and group 1 answer; group 2 is stored, lost
    result = await deliver_thread(core, poster, ch, DAY)
    assert result.status == "sent" and fake.answers_lost
    posted = fake.messages("chat.postMessage", "C1")
    keys = Counter(metadata_keys(fake, "C1"))
    assert set(keys.values()) == {1} and len(posted) == 1 + 3  # parent + 3 groups, once each
    assert all(validate_message(p.body).ok for p in posted)
    day = [paper_from_row(r).id for r in paper_store.day_rows(core.db, DAY)]
    rows = [r for r in Ledger(core.db).rows(ch.target, DAY) if r.item not in ("parent", "thread")]
    assert [r.item for r in rows] == day[:25] and {r.status for r in rows} == {"sent"}
    lines = [b for p in posted[1:] for b in p.body["blocks"]]
    assert len(lines) == 25 and all(b["type"] == "section" for b in lines)
