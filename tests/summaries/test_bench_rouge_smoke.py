"""bench/rouge_extractive.py on the three recorded fixture days, so CI keeps it working (the
figures in docs/benchmarks.md come from the full 393 days, run by hand)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.core import DAYS, ROOT


def test_rouge_bench_runs_and_prints_every_figure() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "rouge_extractive.py"), str(DAYS), "--min", "0"],
        capture_output=True,
        text=True,
        timeout=110,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for figure in (
        "extractive_tldr",
        "best sentence (oracle)",
        "with a LaTeX macro 0",
        "on odd days",
        "on even days",
    ):
        assert figure in proc.stdout
