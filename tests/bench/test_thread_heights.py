"""bench/thread_heights.py measures a real digest in the app mocks, and its floor (the card's
fixed parts alone) is below every real reply — the floor is what docs/benchmarks.md argues from."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.commands import render_digest
from bot.core import Core
from bot.daily.thread import build_digest
from bot.ingest import import_paths
from tests.support.core import DAYS, ROOT, offline_config

MOCK = ROOT.parent / "shared" / "tools" / "thread_mock.py"
CHROME = shutil.which("chromium") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(
    not (MOCK.exists() and CHROME), reason="needs ../shared/tools and headless Chromium"
)


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_heights", ROOT / "bench" / "thread_heights.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mocks(out: Path) -> None:
    """What ../shared/tools/screenshot-thread writes for 2025-10-01, minus the PNGs."""
    core = Core.open(offline_config(), ":memory:")
    assert not import_paths(core.db, [DAYS / "2025-10-01.json"]).rejected

    async def build():  # type: ignore[no-untyped-def]
        digest = await build_digest(core, "2025-10-01", offline=True)
        await core.aclose()
        return digest

    digest = asyncio.run(build())
    for fmt in ("slack", "discord"):
        (out / f"{fmt}.json").write_text(render_digest(digest, fmt), encoding="utf-8")
    files = [str(out / "slack.json"), str(out / "discord.json"), str(out), "2025-10-01"]
    subprocess.run([sys.executable, str(MOCK), *files], check=True, capture_output=True)


def test_every_reply_is_measured_and_none_is_below_the_floor(tmp_path: Path, capsys) -> None:
    _mocks(tmp_path)
    assert _bench().main([str(tmp_path), "--chrome", CHROME, "--floor", str(MOCK)]) == 0
    printed = capsys.readouterr().out
    counts = []
    for app in ("slack", "discord"):
        heights = [int(h) for h in re.search(rf"{app}: .*\n  each: ([\d ]+)", printed)[1].split()]
        first, later = map(
            int, re.search(rf"{app} floor .*?(\d+) px, .*?(\d+) px", printed).groups()
        )
        counts.append(len(heights))
        assert later < first <= heights[0] and all(h >= later for h in heights[1:])
    slack_replies = len(json.loads((tmp_path / "slack.json").read_text(encoding="utf-8"))) - 1
    assert counts == [slack_replies, slack_replies] and slack_replies > 1  # one per paper
