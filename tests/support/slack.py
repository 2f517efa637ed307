"""Slack scheduler helpers: a channel on the fake's team, and the message keys the fake saw."""

from __future__ import annotations

from bot.core import Core
from bot.daily.channels import ChannelSettings
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.scheduling import save_channel


def slack_channel(core: Core, cid: str, **kw) -> ChannelSettings:
    return save_channel(core, cid, platform="slack", workspace_id=TEAM_ID, timezone="UTC", **kw)


def metadata_keys(fake: FakeSlackWebApi, channel: str | None = None) -> list[tuple[str, int]]:
    out = []
    for p in fake.messages("chat.postMessage", channel):
        payload = p.body["metadata"]["event_payload"]
        out.append((payload["key"], int(payload.get("part") or 0)))
    return out
