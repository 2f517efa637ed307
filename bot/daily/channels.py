"""A channel's daily-thread settings: one frozen `ChannelSettings`, built once from its row,
and the one way a channel changes (`update_channel`: save, then tell the scheduler).

Storage keeps rows (dicts of columns); everything above it speaks `ChannelSettings`, and only
`from_row`/`to_row` know the columns. The filter is parsed once, when the settings are built.
A row edited by hand into nonsense (a filter that no longer parses, an unknown zone, a time
or day that is not one) is never a crash: the channel is logged and left unscheduled, and
`channel status` says why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from bot.config import DigestConfig
from bot.core import Core
from bot.daily.triggers import DAY_NAMES, ChannelKey, Job, daily_trigger, next_run, post_job_id
from bot.model import Place
from bot.query.ast import Query
from bot.query.errors import QueryError
from bot.query.parser import parse_query
from storage import channels as channel_store

log = logging.getLogger(__name__)

# A row's trigger fails with these: ZoneInfoNotFoundError is a KeyError, a bad time or day a
# ValueError, a NULL where text belongs a TypeError or AttributeError.
BAD_SETTINGS = (KeyError, TypeError, ValueError, AttributeError)
# How the thread shows its papers: a card per reply, or compact lines, several per reply.
STYLES = ("full", "compact")


def channel_target(key: ChannelKey) -> str:
    """The delivery ledger's name for a channel: `platform:workspace:channel`."""
    return ":".join(key)


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """Where a daily thread goes, when, and what it keeps. `query` is `filter` parsed (None
    without a filter), and `filter` is kept as the query's canonical text; `filter_error`
    says why a filter does not parse."""

    platform: str
    workspace_id: str
    channel_id: str
    enabled: bool = True
    time: str = "09:00"
    timezone: str = "UTC"
    days: tuple[str, ...] = DAY_NAMES
    min_upvotes: int = 0
    max_papers: int | None = None  # None: the configured digest.default_max
    filter: str | None = None
    post_empty: bool = False
    paused_reason: str | None = None
    updated_by: str | None = None
    style: str = "full"  # one of STYLES
    live: bool = True  # later fetches of the day edit and extend its thread (bot/daily/live.py)
    roundup: str | None = None  # "weekly fri 16:00" | "monthly 1 09:00" (bot/daily/roundup.py)
    query: Query | None = field(init=False, default=None, compare=False, repr=False)
    filter_error: str | None = field(init=False, default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.filter:
            return
        try:
            query = parse_query(self.filter, allow_exclusion_only=True)
        except QueryError as e:
            object.__setattr__(self, "filter_error", str(e))
            return
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "filter", query.text)

    @classmethod
    def new(cls, place: Place, digest: DigestConfig) -> ChannelSettings:
        """A channel that has no settings yet: the configured defaults."""
        return cls(
            place.platform,
            place.workspace_id,
            place.channel_id,
            time=digest.default_time,
            timezone=digest.default_timezone,
            max_papers=digest.default_max,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ChannelSettings:
        """The settings a stored row holds; total, whatever the row holds (see the module)."""
        days = row.get("days") or ""
        return cls(
            str(row["platform"]),
            str(row["workspace_id"]),
            str(row["channel_id"]),
            enabled=bool(row.get("enabled")),
            time=row.get("time") or "",
            timezone=row.get("timezone") or "",
            days=tuple(d.strip() for d in days.split(",") if d.strip()) or DAY_NAMES,
            min_upvotes=row.get("min_upvotes") or 0,
            max_papers=row.get("max_papers"),
            filter=row.get("filter") or None,
            post_empty=bool(row.get("post_empty")),
            paused_reason=row.get("paused_reason") or None,
            updated_by=row.get("updated_by"),
            style=row.get("style") if row.get("style") in STYLES else "full",
            live=row.get("live") is None or bool(row.get("live")),
            roundup=row.get("roundup") or None,
        )

    def to_row(self) -> dict[str, Any]:
        """The row storage keeps (its columns; storage adds `updated_at`)."""
        return {
            "platform": self.platform,
            "workspace_id": self.workspace_id,
            "channel_id": self.channel_id,
            "enabled": int(self.enabled),
            "time": self.time,
            "timezone": self.timezone,
            "days": ",".join(self.days),
            "min_upvotes": self.min_upvotes,
            "max_papers": self.max_papers,
            "filter": self.filter,
            "post_empty": int(self.post_empty),
            "paused_reason": self.paused_reason,
            "updated_by": self.updated_by,
            "style": self.style,
            "live": int(self.live),
            "roundup": self.roundup,
        }

    @property
    def key(self) -> ChannelKey:
        return (self.platform, self.workspace_id, self.channel_id)

    @property
    def target(self) -> str:
        return channel_target(self.key)

    @property
    def place(self) -> Place:
        return Place(self.platform, self.channel_id, self.workspace_id)

    @property
    def scheduled(self) -> bool:
        """Enabled, not paused by a permanent delivery error, and with a filter that parses
        (without it the thread would go out unfiltered)."""
        return self.enabled and not self.paused_reason and not self.filter_error

    def trigger(self) -> CronTrigger:
        """When this channel posts (raises one of BAD_SETTINGS for nonsense settings)."""
        return daily_trigger(self.time, self.timezone, ",".join(self.days))

    def problem(self) -> str | None:
        """Why these settings cannot be scheduled, or None when they can."""
        if self.filter_error:
            return f"the filter does not parse ({self.filter_error})"
        try:
            self.trigger()
        except BAD_SETTINGS as e:
            return f"bad time, zone or days ({e})"
        return None

    def next_run(self, now: datetime) -> datetime | None:
        """The next post after `now`, in the channel's zone; None when it cannot post."""
        if not self.scheduled or self.problem() is not None:
            return None
        return next_run(now, self.time, self.timezone, self.days)


def post_job(settings: ChannelSettings) -> Job | None:
    """The channel's post job; None when it is not scheduled or its settings make no sense
    (logged, so one bad row never stops the other channels)."""
    if not settings.enabled or settings.paused_reason:
        return None
    problem = settings.problem()
    if problem:
        log.warning("not scheduling %s: %s", settings.target, problem)
        return None
    return Job(post_job_id(settings.key), "post", settings.trigger(), settings.key)


def load_channel(core: Core, key: ChannelKey) -> ChannelSettings | None:
    row = channel_store.get_channel(core.db, *key)
    return ChannelSettings.from_row(row) if row else None


def enabled_channels(core: Core) -> list[ChannelSettings]:
    return [ChannelSettings.from_row(r) for r in channel_store.enabled_channels(core.db)]


def update_channel(core: Core, settings: ChannelSettings) -> None:
    """The one way a channel changes (enable, disable, pause): save it, then tell the
    listeners (the scheduler rebuilds or drops its job)."""
    channel_store.save_channel(core.db, settings.to_row())
    core.channel_changed(settings)
