"""`fetch_days` through the real core against the loopback Hugging Face and arXiv fakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import day_range, fetch_days
from bot.model import Paper
from bot.sources.errors import SourceError
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.hf import FakeHF
from tests.support.cli import paperbot
from tests.support.core import DAYS, offline_config


def _days() -> dict[str, list]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(DAYS.glob("*.json"))}


def _arxiv_side(days: dict[str, list]) -> list[Paper]:
    return [
        Paper(
            id=e["paper"]["id"],
            title=e["paper"]["title"],
            categories=("cs.CV", "cs.AI"),
            primary_category="cs.CV",
            version=2,
        )
        for entries in days.values()
        for e in entries
    ]


def _core(hf: FakeHF, ax: FakeArxiv, clock: FakeClock) -> Core:
    cfg = offline_config(
        sources={"hf_base_url": hf.url, "arxiv_base_url": ax.url, "max_retries": 3}
    )
    return Core.open(cfg, ":memory:", clock=clock)


async def test_fetch_pages_enriches_and_never_duplicates(clock: FakeClock) -> None:
    days = _days()
    with (
        FakeHF(days=days, clock=clock, default_limit=10, max_limit=10) as hf,
        FakeArxiv(papers=_arxiv_side(days), clock=clock) as ax,
    ):
        core = _core(hf, ax, clock)
        hf.inject("429", retry_after=5, path_prefix="/api/daily_papers")
        hf.inject("500", path_prefix="/api/daily_papers")
        report = await fetch_days(core, ["2025-09-30", "2025-10-01"])
        n_papers = core.db["papers"].count
        again = await fetch_days(core, ["2025-10-01"])
    assert report.days == 2 and report.papers == len(days["2025-09-30"]) + 37
    assert n_papers == core.db["papers"].count == report.papers
    assert core.db["daily_entries"].count == report.papers
    assert len(hf.calls_to("/api/daily_papers")) > 8  # several pages of 10 per day
    assert any(s >= 5 for s in clock.sleeps)  # Retry-After honoured
    row = core.db["papers"].get("2509.24002")
    assert row["primary_category"] == "cs.CV" and json.loads(row["categories"]) == [
        "cs.CV",
        "cs.AI",
    ]
    # already enriched papers are not looked up again
    assert again.enriched == 0 and len(ax.calls) == 2
    starts = ax.request_times
    assert all(b - a >= 3 for a, b in zip(starts, starts[1:], strict=False))
    await core.aclose()


async def test_refetch_updates_upvotes(clock: FakeClock) -> None:
    days = {"2025-10-01": _days()["2025-10-01"]}
    with FakeHF(days=days, clock=clock) as hf, FakeArxiv(papers=(), clock=clock) as ax:
        core = _core(hf, ax, clock)
        await fetch_days(core, ["2025-10-01"])
        days["2025-10-01"][0]["paper"]["upvotes"] = 999
        await fetch_days(core, ["2025-10-01"])
    pid = days["2025-10-01"][0]["paper"]["id"]
    assert core.db["papers"].get(pid)["upvotes"] == 999
    assert (
        core.db.execute("SELECT rank FROM daily_entries WHERE paper_id = ?", [pid]).fetchone()[0]
        == 1
    )
    await core.aclose()


async def test_source_down_is_one_clear_error_and_logged(clock: FakeClock) -> None:
    with FakeHF(days={}, clock=clock) as hf, FakeArxiv(clock=clock) as ax:
        core = _core(hf, ax, clock)
        hf.inject("503", times=10)
        with pytest.raises(SourceError) as e:
            await fetch_days(core, ["2025-10-01"])
    assert "\n" not in str(e.value)
    assert core.db["fetch_log"].get(("hf", "2025-10-01"))["error"]
    await core.aclose()


def test_day_range() -> None:
    assert day_range("2025-09-30", "2025-10-02") == ["2025-09-30", "2025-10-01", "2025-10-02"]
    with pytest.raises(ValueError):
        day_range("2025-10-02", "2025-10-01")


def test_cli_fetch_range_with_progress(tmp_path: Path) -> None:
    with FakeHF(days=_days()) as hf:
        cfg = tmp_path / "c.toml"
        cfg.write_text(f'[sources]\nhf_base_url = "{hf.url}"\narxiv_enrich = false\n')
        out = paperbot(
            "--db",
            str(tmp_path / "f.db"),
            "--config",
            str(cfg),
            "fetch",
            "--from",
            "2025-09-30",
            "--to",
            "2025-10-02",
        )
    assert out.returncode == 0, out.stderr
    assert "fetched 3 days" in out.stdout
    # The bar is drawn only on a terminal (tests/cli/test_first_run.py); piped, no escape code.
    assert "\x1b" not in out.stdout + out.stderr
