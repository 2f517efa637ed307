"""A day that grows after the morning, for live-thread tests: the recorded 2025-10-01 list
served by the Hugging Face fake, first without two papers, then with them and with climbing
upvotes — the shape of a real day's list between 09:00 and the evening."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

from bot.clock import FakeClock
from bot.core import Core
from tests.support.core import DAYS, offline_config

DAY = "2025-10-01"
RECORDED: list[dict[str, Any]] = json.loads((DAYS / f"{DAY}.json").read_text())
FETCH_TIMES = ["12:00", "18:00"]
MORNING = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
NOON = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
EVENING = datetime(2025, 10, 1, 18, 0, tzinfo=UTC)

TOP = [e["paper"]["id"] for e in RECORDED[:3]]  # 55, 30, 23 upvotes: the morning's top 3
LATE_NOON, LATE_EVENING = RECORDED[10]["paper"]["id"], RECORDED[11]["paper"]["id"]


def _ids(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["paper"]["id"]: e for e in entries}


def morning() -> list[dict[str, Any]]:
    """The day at nine: without the two papers that arrive later."""
    return [copy.deepcopy(e) for e in RECORDED if e["paper"]["id"] not in (LATE_NOON, LATE_EVENING)]


def noon() -> list[dict[str, Any]]:
    """A late paper jumps to 100 ▲; the #1 gains 2 (under the threshold), #2 gains 10."""
    day = [copy.deepcopy(e) for e in RECORDED if e["paper"]["id"] != LATE_EVENING]
    by = _ids(day)
    by[LATE_NOON]["paper"]["upvotes"] = 100
    by[TOP[0]]["paper"]["upvotes"] += 2
    by[TOP[1]]["paper"]["upvotes"] += 10
    return day


def evening() -> list[dict[str, Any]]:
    """Another late paper at 200 ▲; the noon paper climbs 20, the rest barely move."""
    day = noon() + [copy.deepcopy(e) for e in RECORDED if e["paper"]["id"] == LATE_EVENING]
    by = _ids(day)
    by[LATE_EVENING]["paper"]["upvotes"] = 200
    by[LATE_NOON]["paper"]["upvotes"] += 20
    by[TOP[0]]["paper"]["upvotes"] += 1
    by[TOP[1]]["paper"]["upvotes"] += 1
    return day


def live_core(hf_url: str, start: datetime, **sections: dict) -> tuple[Core, FakeClock]:
    """An empty database (the fetches fill it) with fetches at noon and six."""
    clock = FakeClock(start)
    src = {"hf_base_url": hf_url, "arxiv_enrich": False, "fetch_times": FETCH_TIMES}
    config = offline_config(sources=src, summaries={"order": ["hf", "extractive"]}, **sections)
    return Core.open(config, ":memory:", clock=clock), clock
