"""Fan-out pacing: the day's thread to N Slack and N Discord channels, beside the limits' bound.

Usage: python bench/fanout_pacing.py [--channels N] [--papers P] [--json PATH] [--smoke]

The real `paperbot run` subprocess (slack_sdk and discord.py, on the real clock: the loopback
fakes enforce their limits in real time) posts the day's thread — a parent and P replies
(default 20, so 21 messages) — to N Slack and N Discord channels (default 50 each) at once.
Printed per platform: the wall time from the first message stored to the last, the bound the
limits allow, their ratio (bound / wall: 1.0 is at the limit), the 429 answers, duplicates,
lost messages and the read-back calls (Slack: conversations.history/.replies and their peak
in any 60 s window; Discord: Get Channel Messages).

The bounds, from what each fake enforces (both in fixed windows, so `count` requests go at a
window's start): the earliest the last message can go is ((n - 1) // count) * window after
the first, for n messages in one window of `count`.
- Slack: chat.postMessage "1 message per second per channel" with short bursts
  (https://api.slack.com/methods/chat.postMessage#rate_limiting); channels are independent,
  so the bound is one channel's 1 + P messages at 1/s: P seconds.
- Discord: per-route buckets per top-level resource (each channel and each thread its own),
  read from the X-RateLimit-* headers, and a global 50 requests/s per bot
  (https://discord.com/developers/docs/topics/rate-limits). Discord does not publish the
  per-route counts ("should not be hard coded"); the fake answers 5 per 5 s per (route,
  channel), as Discord's headers do for Create Message. The bound is the larger of a
  thread's P replies in its bucket and the N * (P + 2) creates (parent, thread, replies)
  under the global limit. paperbot spaces its own requests at 45/s (adapters/discord/edits.py),
  under the global 50, so its own floor is printed too.
`--smoke` (CI): 3 channels each, 3 papers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from adapters.discord.edits import REQUESTS_PER_SECOND  # noqa: E402
from storage import channels as channel_store  # noqa: E402
from storage import open_db  # noqa: E402
from tests.fakes.discord import FakeDiscord, RateLimits  # noqa: E402
from tests.fakes.hf import FakeHF  # noqa: E402
from tests.fakes.server import Fault  # noqa: E402
from tests.fakes.slack.rate_tiers import WINDOW_SECONDS  # noqa: E402
from tests.fakes.slack.socket_mode import FakeSocketModeServer  # noqa: E402
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi  # noqa: E402
from tests.support.run import (  # noqa: E402
    SLACK_CHANNEL,
    Fakes,
    channel_row,
    recorded_day,
    start_run,
    stop_run,
    wait_until,
    write_setup,
)

SLACK_PER_CHANNEL = 1.0  # messages a second, chat.postMessage
SLACK_READS = ("/api/conversations.history", "/api/conversations.replies")


class Stamped(list):
    """A list that notes when (time.monotonic) each item was appended."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item: Any) -> None:
        self.times.append(time.monotonic())
        super().append(item)


@dataclass
class TimedSlack(FakeSlackWebApi):
    """The Slack fake, noting when each read-back call came."""

    reads: list[tuple[str, float]] = field(default_factory=list)

    def _take_fault(self, path: str) -> Fault | None:
        if path in SLACK_READS:
            self.reads.append((path, time.monotonic()))
        return super()._take_fault(path)


class TimedDiscord(FakeDiscord):
    """The Discord fake, noting when each message was stored."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.posted = Stamped()


def fixed_window_floor(n: int, count: int, window: float) -> float:
    """The earliest the n-th request can go after the first, `count` per fixed `window`."""
    return ((n - 1) // count) * window if n > 0 else 0.0


def peak_per_window(times: list[float], window: float = WINDOW_SECONDS) -> int:
    """The most calls in any `window` seconds."""
    ts = sorted(times)
    return max((sum(t <= u < t + window for u in ts) for t in ts), default=0)


def add_channels(db_path: Path, fakes: Fakes, n: int, papers: int) -> tuple[list, list]:
    slack = [SLACK_CHANNEL] + [f"CFAN{i:03d}" for i in range(1, n)]
    discord = [fakes.discord.text_channel_id]
    discord += [fakes.discord.add_channel(f"papers-{i}") for i in range(1, n)]
    db = open_db(db_path)
    for platform, ws, ids in (
        ("slack", TEAM_ID, slack),
        ("discord", fakes.discord.guild_id, discord),
    ):
        for cid in ids:
            row = {**channel_row(platform, ws, cid), "max_papers": papers}
            channel_store.save_channel(db, row)
    db.close()
    return slack, discord


def slack_threads(fake: FakeSlackWebApi, ids: list[str]) -> dict[str, list[tuple[Any, float]]]:
    """Per channel: (key, part) and the time it was stored, for each paperbot message."""
    out = {}
    for cid in ids:
        out[cid] = [
            (
                (
                    p.body["metadata"]["event_payload"]["key"],
                    p.body["metadata"]["event_payload"].get("part"),
                ),
                p.at,
            )
            for p in fake.messages("chat.postMessage", cid)
        ]
    return out


def discord_threads(fake: TimedDiscord, ids: list[str]) -> dict[str, list[tuple[Any, float]]]:
    """Per channel (its thread's replies filed under it): nonce and time stored."""
    home = {cid: cid for cid in ids}
    for cid, ch in fake.channels.items():
        if ch.get("parent_id") in home:
            home[cid] = ch["parent_id"]
    out: dict[str, list[tuple[Any, float]]] = {cid: [] for cid in ids}
    posted = list(fake.posted)
    for p, at in zip(posted, fake.posted.times[: len(posted)], strict=True):
        if p.channel_id in home:
            out[home[p.channel_id]].append((p.body.get("nonce"), at))
    return out


def tally(threads: dict[str, list[tuple[Any, float]]], per_thread: int) -> dict[str, Any]:
    times = [t for msgs in threads.values() for _, t in msgs]
    keys = {cid: Counter(k for k, _ in msgs) for cid, msgs in threads.items()}
    spreads = [max(t for _, t in m) - min(t for _, t in m) for m in threads.values() if m]
    return {
        "messages": len(times),
        "wall_s": round(max(times) - min(times), 2) if times else None,
        "slowest_channel_s": round(max(spreads), 2) if spreads else None,
        "lost": sum(max(0, per_thread - len(c)) for c in keys.values()),
        "duplicates": sum(n - 1 for c in keys.values() for n in c.values() if n > 1),
    }


def slack_figures(fake: TimedSlack, ids: list[str], papers: int) -> dict[str, Any]:
    out = tally(slack_threads(fake, ids), papers + 1)
    out["bound_s"] = fixed_window_floor(papers + 1, 1, 1 / SLACK_PER_CHANNEL)
    out["answers_429"] = len(fake.rate_limited)
    out["readbacks"] = {
        path.rsplit("/", 1)[1]: sum(p == path for p, _ in fake.reads) for path in SLACK_READS
    }
    out["readback_peak_per_minute"] = peak_per_window([t for _, t in fake.reads])
    return out


def discord_figures(fake: TimedDiscord, ids: list[str], papers: int) -> dict[str, Any]:
    out = tally(discord_threads(fake, ids), papers + 1)
    lim = fake.limits
    creates = len(ids) * (papers + 2)  # parent, thread, replies
    per_route = fixed_window_floor(papers, lim.per_route, lim.per_route_window)
    global_floor = fixed_window_floor(creates, lim.global_per_window, lim.global_window)
    out["bound_s"] = max(per_route, global_floor)
    out["bound_parts"] = {"per_route_s": per_route, "global_s": global_floor, "creates": creates}
    out["paperbot_pace_floor_s"] = round((creates - 1) / REQUESTS_PER_SECOND, 2)
    out["answers_429"] = len(fake.limiter.hits)
    out["requests"] = sum(1 for c in fake.calls if c.path.startswith("/api/"))
    out["readbacks"] = sum(
        1 for c in fake.calls if c.method == "GET" and c.path.endswith("/messages")
    )
    return out


def ratio(r: dict[str, Any]) -> float | None:
    return round(r["bound_s"] / r["wall_s"], 2) if r.get("wall_s") else None


def run(channels: int, papers: int, tmp: Path, timeout: float) -> dict[str, Any]:
    today = datetime.now(UTC).date()  # the subprocess runs on the real clock
    days = {d.isoformat(): recorded_day() for d in (today, today - timedelta(days=1))}
    with (
        FakeHF(days=days) as hf,
        FakeSocketModeServer() as socket,
        TimedSlack(min_interval=1 / SLACK_PER_CHANNEL, socket_url=socket.ws_url) as slack,
        TimedDiscord(limits=RateLimits()) as discord,
    ):
        slack.add_user("UDM")
        slack.add_user("UTHREAD")
        fakes = Fakes(hf, slack, socket, discord)  # type: ignore[arg-type]
        cfg = write_setup(tmp, fakes, discord.add_user("alice"), dm_subscribers=False)
        slack_ids, discord_ids = add_channels(tmp / "paperbot.db", fakes, channels, papers)
        want = channels * (papers + 1)

        def complete() -> bool:
            s = sum(len(m) for m in slack_threads(slack, slack_ids).values())
            d = sum(len(m) for m in discord_threads(discord, discord_ids).values())
            return s >= want and d >= want

        proc = start_run(cfg, tmp, "run")
        try:
            wait_until(complete, fakes, timeout=timeout)
        except AssertionError:
            pass  # what is missing is counted as lost
        finally:
            cpu = cpu_seconds(proc.pid)
            stop_run(proc, tmp, "run")
        out = {
            "slack": slack_figures(slack, slack_ids, papers),
            "discord": discord_figures(discord, discord_ids, papers),
        }
    for r in out.values():
        r["ratio"] = ratio(r)
    return {"channels": channels, "messages_per_channel": papers + 1, "run_cpu_s": cpu, **out}


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU the `paperbot run` process used so far (Linux /proc), to tell a
    fan-out held back by the limits from one held back by the machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def report(r: dict[str, Any]) -> str:
    n, m = r["channels"], r["messages_per_channel"]
    s, d = r["slack"], r["discord"]
    lines = [
        f"fan-out: {n} channels x {m} messages on each platform (real clock, loopback fakes)",
        f"{'':9} {'wall':>8} {'bound':>8} {'ratio':>6} {'429s':>5} {'dup':>4} {'lost':>5}"
        "  read-backs",
        f"{'slack':9} {s['wall_s']:>7}s {s['bound_s']:>7}s {s['ratio']!s:>6} {s['answers_429']:>5}"
        f" {s['duplicates']:>4} {s['lost']:>5}  {s['readbacks']} peak"
        f" {s['readback_peak_per_minute']}/min",
        f"{'discord':9} {d['wall_s']:>7}s {d['bound_s']:>7}s {d['ratio']!s:>6}"
        f" {d['answers_429']:>5}"
        f" {d['duplicates']:>4} {d['lost']:>5}  {d['readbacks']} GET messages",
        f"slack bound: {m} messages at {SLACK_PER_CHANNEL:g}/s per channel; slowest channel"
        f" {s['slowest_channel_s']} s",
        f"discord bound: max(per-route {d['bound_parts']['per_route_s']} s, global"
        f" {d['bound_parts']['global_s']} s for {d['bound_parts']['creates']} creates);"
        f" paperbot's own 45/s pace floor {d['paperbot_pace_floor_s']} s;"
        f" {d['requests']} REST requests in all; slowest channel {d['slowest_channel_s']} s",
        f"paperbot run CPU: {r['run_cpu_s']} s (start-up included)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--channels", type=int, default=50)
    ap.add_argument("--papers", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--smoke", action="store_true", help="3 channels, 3 papers")
    args = ap.parse_args(argv)
    channels, papers = (3, 3) if args.smoke else (args.channels, args.papers)
    with tempfile.TemporaryDirectory() as d:
        r = run(channels, papers, Path(d), args.timeout)
    print(report(r))
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))
    bad = any(r[p]["lost"] or r[p]["duplicates"] for p in ("slack", "discord"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
