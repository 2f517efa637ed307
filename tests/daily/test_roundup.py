"""The weekly / monthly roundup on an injected clock: scheduled by `channel enable roundup`,
a thread of the period's top papers with the chart as a PNG, exactly once."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from adapters.memory import MemoryPoster
from bot.daily.chart import chart_data
from bot.daily.periods import parse_period
from bot.daily.roundup_schedule import parse_roundup, roundup_period
from bot.daily.scheduler import Scheduler
from storage.papers import day_rows
from tests.support.scheduling import core_at, save_channel, set_clock

PNG = b"\x89PNG\r\n\x1a\n"
FRIDAY_4PM = datetime(2025, 10, 3, 16, 0, tzinfo=UTC)


async def test_a_friday_roundup_posts_the_weeks_top_papers_with_its_chart() -> None:
    core, clock = core_at(datetime(2025, 10, 3, 15, 0, tzinfo=UTC))
    save_channel(core, timezone="UTC", max_papers=3, roundup="weekly fri 16:00", enabled=1)
    poster = MemoryPoster()
    sched = Scheduler(core, {"memory": poster})
    set_clock(clock, FRIDAY_4PM)
    await sched.run_due(FRIDAY_4PM)
    images = [s for s in poster.sent if s.kind == "image"]
    assert len(images) == 1
    parent = images[0].reply
    assert parent.title.startswith("Weekly roundup — the week 2025-W40")
    assert "Themes: " in parent.text and "papers/week/2025-W40" in parent.links[0].url
    (image,) = poster.images
    assert image.data.startswith(PNG) and image.filename == "roundup-2025-W40.png"
    assert image.alt.startswith("Chart of 2025-W40") and len(image.alt) <= 1000
    replies = [s.reply.cards[0] for s in poster.sent if s.kind == "reply"]
    ups = [c.upvotes for c in replies]
    assert len(replies) == 3 and ups == sorted(ups, reverse=True)
    week = {
        r["id"] for d in ("2025-09-30", "2025-10-01", "2025-10-02") for r in day_rows(core.db, d)
    }
    assert {c.paper_id for c in replies} <= week
    # the same fire again (a restart catching up) posts nothing twice
    again = Scheduler(core, {"memory": poster})
    again.catch_up(FRIDAY_4PM)
    await again.drain()
    assert len([s for s in poster.sent if s.kind == "image"]) == 1


def test_roundup_schedules_and_periods() -> None:
    assert parse_roundup("weekly Friday 4:00") == "weekly fri 04:00"
    assert parse_roundup("monthly 1 09:00") == "monthly 1 09:00" and parse_roundup("off") is None
    first = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
    assert roundup_period("monthly 1 09:00", first, "UTC").name == "2025-09"
    assert roundup_period("weekly fri 16:00", FRIDAY_4PM, "UTC").name == "2025-W40"


def test_chart_data_compares_with_the_previous_period() -> None:
    core, _ = core_at(datetime(2025, 10, 3, tzinfo=UTC))
    week = parse_period("2025-W40", datetime(2025, 10, 3).date())
    assert week is not None
    data = chart_data(core, week)
    assert data.previous.name == "2025-W39"
    assert [d for d, _ in data.per_day][0] == "2025-09-29" and len(data.per_day) == 7
    assert all(n > was for _, n, was in data.rising) and len(data.rising) <= 8


def test_chart_cli_writes_a_png_and_help_never_imports_matplotlib(tmp_path) -> None:  # noqa: ANN001
    code = (
        "import sys\nfrom bot.cli.main import main\ntry:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\nprint('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().endswith("False")
    db, png = tmp_path / "p.db", tmp_path / "week.png"
    from tests.support.core import DAYS

    run = [sys.executable, "-m", "bot", "--db", str(db)]
    assert subprocess.run([*run, "import", str(DAYS)], capture_output=True).returncode == 0
    ok = subprocess.run(
        [*run, "chart", "--week", "2025-W40", "--out", str(png)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert png.read_bytes().startswith(PNG) and "Chart of 2025-W40" in ok.stdout
    bad = subprocess.run(
        [*run, "chart", "--week", "2025-40", "--out", str(png)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "not a week" in bad.stderr
