"""The roundup through the real SlackPoster against the fake: the parent, then the chart
shared in its thread with the current upload flow (the fake checks each step, the length
and the PNG signature), the top papers as replies; a second run sends nothing again."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.slack.poster import SlackPoster
from adapters.slack.web_client import make_web_client
from bot.config import SlackConfig
from bot.daily.periods import parse_period
from bot.daily.posting import IMAGE
from bot.daily.roundup import deliver_roundup, roundup_target
from storage.ledger import Ledger
from tests.fakes.slack.edits import PNG_SIGNATURE
from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi
from tests.support.scheduling import core_at, save_channel


async def test_the_roundup_goes_out_with_its_chart_uploaded_the_current_way() -> None:
    core, clock = core_at(datetime(2025, 10, 3, 16, 0, tzinfo=UTC))
    kw = {"platform": "slack", "workspace_id": "T0FAKE", "timezone": "UTC", "max_papers": 3}
    channel = save_channel(core, "C1", roundup="weekly fri 16:00", **kw)
    week = parse_period("2025-W40", date(2025, 10, 3))
    assert week is not None
    with FakeSlackWebApi(min_interval=0.0, now=clock.monotonic) as fake:
        fake.add_channel("C1")
        client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
        poster = SlackPoster(client, clock, min_interval=0.0)
        assert await deliver_roundup(core, poster, channel, week) == "sent"
        assert await deliver_roundup(core, poster, channel, week) == "sent"
        posted = fake.messages("chat.postMessage", "C1")
        shared = fake.messages("files.completeUploadExternal", "C1")
    (parent,) = [p for p in posted if not p.thread_ts]
    assert "Weekly roundup" in parent.body["text"]
    assert len([p for p in posted if p.thread_ts == parent.ts]) == 3
    (upload,) = fake.edits.uploads.values()
    assert upload.data is not None and upload.data.startswith(PNG_SIGNATURE)
    assert upload.shared_in == ("C1", parent.ts) and upload.alt_txt.startswith("Chart of 2025-W40")
    assert len(shared) == 1 and not fake.edits.upload_errors and not fake.rejected
    image = Ledger(core.db).get(roundup_target(channel), "2025-W40", IMAGE)
    assert image is not None and (image.status, image.message_id) == ("sent", upload.file_id)


async def test_a_roundup_planned_before_the_image_was_an_item_still_gets_its_chart_once() -> None:
    core, clock = core_at(datetime(2025, 10, 3, 16, 0, tzinfo=UTC))
    kw = {"platform": "slack", "workspace_id": "T0FAKE", "timezone": "UTC", "max_papers": 3}
    channel = save_channel(core, "C1", roundup="weekly fri 16:00", **kw)
    week = parse_period("2025-W40", date(2025, 10, 3))
    assert week is not None
    ledger, target = Ledger(core.db), roundup_target(channel)
    ledger.plan(target, "2025-W40", ["parent", "thread"])  # the old plan, its parent tried
    ledger.attempt(target, "2025-W40", "parent")
    with FakeSlackWebApi(min_interval=0.0, now=clock.monotonic) as fake:
        fake.add_channel("C1")
        client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
        poster = SlackPoster(client, clock, min_interval=0.0)
        assert await deliver_roundup(core, poster, channel, week) == "sent"
        assert await deliver_roundup(core, poster, channel, week) == "sent"
        shared = fake.messages("files.completeUploadExternal", "C1")
        reads = fake.method_calls("conversations.replies")
    assert len(shared) == 1 and len(fake.edits.uploads) == 1
    assert reads  # the image was looked for before it was uploaded
    image = ledger.get(target, "2025-W40", IMAGE)
    assert image is not None and image.status == "sent"
