"""The load and soak benchmarks in their smoke sizes, so CI keeps them working (the figures
in docs/reliability.md come from their full sizes, run by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.core import ROOT


def bench(script: str, tmp: Path, *args: str) -> dict:
    out = tmp / "result.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=110,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(out.read_text())


def test_fanout_load_smoke_loses_and_repeats_nothing_and_never_locks(tmp_path: Path) -> None:
    r = bench("fanout_load.py", tmp_path, "--smoke", "--faults", "0.3")
    assert r["threads"] == 6 and r["commands"] == 20 and r["imports_completed"] >= 1
    assert r["faults_total"] > 0  # the faults really were injected
    for key in ("database_is_locked", "internal_errors", "commands_unanswered", "lost"):
        assert r[key] == 0, key
    assert r["duplicates"] == 0


def test_soak_smoke_samples_the_run_and_stops_it_cleanly(tmp_path: Path) -> None:
    r = bench("soak_run.py", tmp_path, "--seconds", "20", "--sample-seconds", "2")
    assert r["exit_ok"] and r["locked"] == 0 and r["errors"] == []
    assert len(r["samples"]) >= 5 and r["fetches_served"] >= 1
    assert r["rss_mib"]["max"] > 0 and r["fds"]["max"] > 0


def test_crash_harness_smoke_holds_every_probe_class(tmp_path: Path) -> None:
    r = bench("crash_harness.py", tmp_path, "--trials", "1")
    classes = {k: v for k, v in r.items() if isinstance(v, dict)}
    assert {"migrating", "planning", "sending", "importing"} <= set(classes), r
    assert all(v["tried"] >= 1 and v["held"] == v["tried"] for v in classes.values()), r
