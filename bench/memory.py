"""Memory of `paperbot run` on a big database: RSS while it fans a day out to Slack and
Discord, and idle afterwards, both platforms connected.

Usage: python bench/memory.py [--papers N] [--db PATH] [--idle-seconds S]

The run is a real subprocess against the loopback fakes the end-to-end tests use (Slack Web
API + Socket Mode, Discord REST + gateway, Hugging Face), on a copy of the generated
database (default 1,000,000 papers; the copy keeps the benchmark database untouched). RSS is
read from /proc/<pid>/status every 50 ms. Target: ≤ 150 MB idle and during a fan-out.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import harness  # bench/ is on sys.path when run as a script

from tests.fakes.hf import FakeHF
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.support.run import (
    Fakes,
    discord_fake,
    everything_posted,
    recorded_day,
    slack_fake,
    start_run,
    stop_run,
    write_setup,
)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sample(pid: int, until, timeout: float) -> list[float]:  # type: ignore[no-untyped-def]
    seen: list[float] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end and not until():
        seen.append(rss_mb(pid))
        time.sleep(0.05)  # sampling interval of a measurement, not synchronisation
    return seen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--idle-seconds", type=float, default=10.0)
    args = ap.parse_args(argv)
    source = harness.database(args)
    today = datetime.now(UTC).date()  # the subprocess runs on the real clock
    days = {d.isoformat(): recorded_day() for d in (today, today - timedelta(days=1))}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        shutil.copy(source, tmp / "paperbot.db")
        with (
            FakeHF(days=days) as hf,
            FakeSocketModeServer() as socket,
            slack_fake(socket) as slack,
            discord_fake() as discord,
        ):
            fakes = Fakes(hf, slack, socket, discord)
            cfg = write_setup(tmp, fakes, discord.add_user("alice"))
            proc = start_run(cfg, tmp)
            try:
                fanout = sample(proc.pid, lambda: everything_posted(fakes), 120)
                posted = everything_posted(fakes)
                idle = sample(proc.pid, lambda: False, args.idle_seconds)
            finally:
                stop_run(proc, tmp)
    papers = harness.sqlite3.connect(source).execute("SELECT COUNT(*) FROM papers").fetchone()[0]
    print(f"paperbot run · {papers:,} papers · {harness.machine()}")
    print(f"  fan-out ({'done' if posted else 'NOT finished'}): peak RSS {max(fanout):6.1f} MB")
    print(f"  idle {args.idle_seconds:.0f} s after:  RSS {max(idle):6.1f} MB (last {idle[-1]:.1f})")
    print("  target ≤ 150 MB")
    return 0 if posted else 1


if __name__ == "__main__":
    sys.exit(main())
