"""Channels and clocks for scheduler tests: a stored channel row, a clock moved only forward,
and a core holding the recorded days (optionally with Hugging Face at a given URL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.memory import MemoryPoster
from bot.clock import FakeClock
from bot.core import Core
from bot.daily.channels import ChannelSettings, update_channel
from bot.daily.triggers import DAY_NAMES
from bot.ingest import import_paths
from tests.support.core import DAYS, offline_config

DAY = "2025-10-01"
NINE = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


def save_channel(core: Core, cid: str = "C1", **kw) -> ChannelSettings:
    """A channel saved the product's way (`update_channel`); `kw` are row columns."""
    row = {
        "platform": "memory",
        "workspace_id": "W1",
        "channel_id": cid,
        "enabled": 1,
        "time": "09:00",
        "timezone": "Europe/Berlin",
        "days": ",".join(DAY_NAMES),
        "min_upvotes": 0,
        "max_papers": 3,
        "filter": None,
        "post_empty": 0,
        "paused_reason": None,
        **kw,
    }
    settings = ChannelSettings.from_row(row)
    update_channel(core, settings)
    return settings


def core_at(start: datetime) -> tuple[Core, FakeClock]:
    """The recorded days on an in-memory database, with a clock that starts at `start`."""
    clock = FakeClock(start)
    core = Core.open(offline_config(), ":memory:", clock=clock)
    assert import_paths(core.db, [DAYS]).files == 3
    return core, clock


def set_clock(clock: FakeClock, instant: datetime) -> None:
    """Move forward only, as real time does (retry and rate-limit timers rely on it)."""
    assert instant >= clock.now()
    clock.advance((instant - clock.now()).total_seconds())


def parents(poster: MemoryPoster) -> list[str]:
    return [s.reply.title or s.reply.text for s in poster.sent if s.kind == "post"]


def make_core(hf_url: str, start: datetime = NINE - timedelta(minutes=1)) -> tuple[Core, FakeClock]:
    """The recorded days stored; Hugging Face at `hf_url`; the clock just before nine."""
    clock = FakeClock(start)
    cfg = offline_config(sources={"hf_base_url": hf_url, "arxiv_enrich": False})
    core = Core.open(cfg, ":memory:", clock=clock)
    assert import_paths(core.db, [DAYS]).files == 3
    return core, clock
