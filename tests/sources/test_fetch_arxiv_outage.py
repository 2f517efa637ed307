"""An arXiv outage never costs the Hugging Face day (issue #9, item 3).

arXiv's API often answers 5xx or times out; enrichment is optional, the day's list is not. The
HF papers are stored unenriched, and a later fetch (arXiv back) enriches them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import fetch_days
from bot.model import Paper
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.hf import FakeHF
from tests.support.cli import paperbot
from tests.support.core import DAYS, offline_config

DAY = "2025-10-01"
OUTAGES = {
    "404": {"kind": "status", "status": 404, "body": "Not Found"},
    "503": {"kind": "503"},
    "timeout": {"kind": "timeout", "delay": 1.0},
}


def _days() -> dict[str, list]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(DAYS.glob("*.json"))}


def _arxiv_side(entries: list) -> list[Paper]:
    return [
        Paper(id=e["paper"]["id"], title=e["paper"]["title"], primary_category="cs.CV")
        for e in entries
    ]


def _core(hf: FakeHF, ax: FakeArxiv, clock: FakeClock) -> Core:
    cfg = offline_config(
        sources={
            "hf_base_url": hf.url,
            "arxiv_base_url": ax.url,
            "max_retries": 2,
            "timeout_seconds": 0.2,
        }
    )
    return Core.open(cfg, ":memory:", clock=clock)


def _enriched(core: Core) -> int:
    return core.db.execute(
        "SELECT COUNT(*) FROM papers WHERE primary_category IS NOT NULL"
    ).fetchone()[0]


@pytest.mark.parametrize("outage", sorted(OUTAGES))
async def test_arxiv_down_stores_the_hf_day_and_a_later_fetch_enriches(
    clock: FakeClock, outage: str
) -> None:
    entries = _days()[DAY]
    with (
        FakeHF(days={DAY: entries}, clock=clock) as hf,
        FakeArxiv(papers=_arxiv_side(entries), clock=clock) as ax,
    ):
        core = _core(hf, ax, clock)
        ax.inject(times=10, **OUTAGES[outage])  # every attempt of the first fetch fails
        first = await fetch_days(core, [DAY])
        stored, enriched_then = core.db["daily_entries"].count, _enriched(core)
        ax.faults.clear()  # arXiv is back
        second = await fetch_days(core, [DAY])
    assert first.papers == stored == 37 and first.enriched == 0 and enriched_then == 0
    assert core.db["fetch_log"].get(("hf", DAY))["error"] is None
    (warning,) = [w for w in first.warnings if "arXiv" in w]
    assert "unenriched" in warning and "\n" not in warning
    assert second.enriched == 37 and _enriched(core) == 37
    await core.aclose()


async def test_an_arxiv_outage_is_tried_once_per_fetch_not_once_per_day(clock: FakeClock) -> None:
    days = _days()
    with (
        FakeHF(days=days, clock=clock) as hf,
        FakeArxiv(papers=[p for e in days.values() for p in _arxiv_side(e)], clock=clock) as ax,
    ):
        core = _core(hf, ax, clock)
        ax.inject("503", times=100)
        report = await fetch_days(core, sorted(days))
        calls = len(ax.calls)
    assert report.days == 3 and core.db["daily_entries"].count == report.papers
    assert calls == 3  # the first day's attempts (max_retries 2); the other days skip arXiv
    assert len([w for w in report.warnings if "arXiv" in w]) == 1
    await core.aclose()


def test_cli_fetch_with_arxiv_answering_404_stores_the_day(tmp_path: Path) -> None:
    entries = _days()[DAY]
    with FakeHF(days={DAY: entries}) as hf, FakeArxiv(papers=_arxiv_side(entries)) as ax:
        ax.inject("status", status=404, body="Not Found", times=10)
        cfg = tmp_path / "c.toml"
        cfg.write_text(
            f'[sources]\nhf_base_url = "{hf.url}"\narxiv_base_url = "{ax.url}"\nmax_retries = 0\n'
        )
        out = paperbot("--db", str(tmp_path / "f.db"), "--config", str(cfg), "fetch", "--date", DAY)
    assert out.returncode == 0, out.stderr
    assert "fetched 1 day, 37 papers (0 enriched from arXiv)" in out.stdout
    assert "unchanged" not in out.stderr and "Traceback" not in out.stderr
    assert "arXiv" in out.stderr and "unenriched" in out.stderr
    (line,) = out.stderr.splitlines()  # once, and short: not the URL of 37 ids in full
    assert len(line) < 400
