"""Soak: `paperbot run` for a long time with a fetch every minute — is it still the same size?

Usage: python bench/soak_run.py [--minutes M | --seconds S] [--sample-seconds N] [--json PATH]

The real `paperbot run` subprocess against the loopback fakes (Hugging Face, the Slack Web API
and Socket Mode, Discord REST and gateway), set up as tests/support/run.py sets it up: a Slack
and a Discord channel whose daily thread goes out at start, subscribers, DMs. Its fetch times
are every minute of the soak, and before each minute the Hugging Face fake's day changes (upvotes
move, a paper joins), so every fetch writes. (Editing the posted thread when a later fetch
changes the day is not implemented yet; `message_edits` counts it, and is 0 today.)

Every N seconds (default 30) the run's RSS (VmRSS) and open file descriptors (/proc/PID/fd)
are sampled. At the end the run gets SIGTERM and must exit 0 without a traceback. Reported:
the samples, the growth after a warm-up (the first fifth of the run, at least one minute when
the soak is that long), the fetches the fake served, and any "database is locked", ERROR or
Traceback line in the run's log. Exits 1 when the run failed, logged a lock error, or RSS grew
by more than --max-growth-mb (default 20) / fds by more than 5 after the warm-up.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.fakes.hf import FakeHF  # noqa: E402
from tests.fakes.slack.socket_mode import FakeSocketModeServer  # noqa: E402
from tests.support.run import (  # noqa: E402
    Fakes,
    discord_fake,
    recorded_day,
    slack_fake,
    start_run,
    stop_run,
    write_setup,
)


def sample(pid: int) -> tuple[int, int]:
    """(RSS in KiB, open fds) of a live process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return rss, len(list(Path(f"/proc/{pid}/fd").iterdir()))


def every_minute(seconds: float) -> list[str]:
    """HH:MM (UTC) of every minute from now to the end of the soak."""
    start = datetime.now(UTC)
    n = int(seconds // 60) + 2
    return [(start + timedelta(minutes=i)).strftime("%H:%M") for i in range(n)]


def move_the_day(hf: FakeHF, day: str, step: int, base: list) -> None:
    """What a live day does between fetches: upvotes change and a paper joins the list."""
    entries = copy.deepcopy(base[: min(len(base), 20 + step)])
    for i, e in enumerate(entries):
        e["paper"]["upvotes"] = (e["paper"].get("upvotes") or 0) + (step * (i % 3))
    hf.days[day] = entries  # one assignment: the fake's thread sees the old list or the new


def soak(seconds: float, every: float, workdir: Path) -> dict:
    today = datetime.now(UTC).date()
    base = recorded_day()
    days = {d.isoformat(): copy.deepcopy(base) for d in (today, today - timedelta(days=1))}
    with (
        FakeHF(days=days) as hf,
        FakeSocketModeServer() as socket,
        slack_fake(socket) as slack,
        discord_fake() as discord,
    ):
        fakes = Fakes(hf, slack, socket, discord)
        cfg = write_setup(workdir, fakes, discord.add_user("alice"))
        times = json.dumps(every_minute(seconds))
        text = re.sub(r"fetch_times = \[[^\]]*\]", f"fetch_times = {times}", cfg.read_text())
        cfg.write_text(text)
        move_the_day(hf, today.isoformat(), 0, base)
        proc = start_run(cfg, workdir, "soak")
        samples: list[dict] = []
        started = time.monotonic()
        step = 0
        try:
            while (elapsed := time.monotonic() - started) < seconds:
                if proc.poll() is not None:
                    break
                rss, fds = sample(proc.pid)
                samples.append({"t": round(elapsed), "rss_kib": rss, "fds": fds})
                if int(elapsed // 60) > step:
                    step = int(elapsed // 60)
                    move_the_day(hf, today.isoformat(), step, base)
                time.sleep(min(every, max(0.0, seconds - elapsed)))  # a sampling period
            exit_ok = proc.poll() is None
            err = stop_run(proc, workdir, "soak") if exit_ok else (workdir / "soak.err").read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
        fetches = len(hf.calls_to("/api/daily_papers"))
        posts = len(slack.messages("chat.postMessage")), len(discord.posted)
        edits = len(slack.method_calls("chat.update")) + len(
            [c for c in discord.calls if c.method == "PATCH" and "/messages/" in c.path]
        )
    return dict(report(samples, err, exit_ok, fetches, posts, seconds), message_edits=edits)


def report(samples, err, exit_ok, fetches, posts, seconds) -> dict:  # noqa: ANN001
    warm = (
        max(1, len(samples) // 5)
        if seconds < 300
        else next((i for i, s in enumerate(samples) if s["t"] >= max(60, seconds / 5)), 1)
    )
    after = samples[warm:] or samples
    rss = [s["rss_kib"] for s in after]
    fds = [s["fds"] for s in after]
    half = len(rss) // 2 or 1
    return {
        "seconds": seconds,
        "exit_ok": exit_ok,
        "fetches_served": fetches,
        "slack_posts": posts[0],
        "discord_requests_posted": posts[1],
        "rss_mib": {
            "start": round(samples[0]["rss_kib"] / 1024, 1) if samples else None,
            "after_warmup": round(rss[0] / 1024, 1),
            "end": round(rss[-1] / 1024, 1),
            "max": round(max(rss) / 1024, 1),
            "first_half_median": round(statistics.median(rss[:half]) / 1024, 1),
            "second_half_median": round(statistics.median(rss[half:] or rss) / 1024, 1),
        },
        "fds": {"after_warmup": fds[0], "end": fds[-1], "min": min(fds), "max": max(fds)},
        "locked": sum("database is locked" in line for line in err.splitlines()),
        "errors": [line for line in err.splitlines() if "ERROR" in line or "Traceback" in line],
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--minutes", type=float)
    g.add_argument("--seconds", type=float)
    ap.add_argument("--sample-seconds", type=float, default=30.0)
    ap.add_argument("--max-growth-mb", type=float, default=20.0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    seconds = args.seconds if args.seconds else (args.minutes or 30) * 60
    with tempfile.TemporaryDirectory() as d:
        r = soak(seconds, args.sample_seconds, Path(d))
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))
    grew = r["rss_mib"]["second_half_median"] - r["rss_mib"]["first_half_median"]
    print(
        f"soak {seconds:.0f} s: exit {'ok' if r['exit_ok'] else 'FAILED'}, "
        f"{r['fetches_served']} fetches served, {len(r['samples'])} samples; "
        f"RSS {r['rss_mib']['after_warmup']} → {r['rss_mib']['end']} MiB after warm-up "
        f"(max {r['rss_mib']['max']}, median {r['rss_mib']['first_half_median']} → "
        f"{r['rss_mib']['second_half_median']}); fds {r['fds']['after_warmup']} → "
        f"{r['fds']['end']} (range {r['fds']['min']}–{r['fds']['max']}); "
        f"'database is locked' {r['locked']}, error lines {len(r['errors'])}"
    )
    for line in r["errors"][:10]:
        print("  " + line, file=sys.stderr)
    fd_growth = r["fds"]["max"] - r["fds"]["after_warmup"]
    ok = r["exit_ok"] and not r["locked"] and grew <= args.max_growth_mb and fd_growth <= 5
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
