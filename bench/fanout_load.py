"""Load: a many-channel fan-out with injected faults while shells and an import hit the database.

Usage: python bench/fanout_load.py [--channels N] [--shells S] [--commands C] [--faults F]
       [--seed X] [--import-dir DIR] [--json PATH] [--workdir DIR] [--smoke]

The real `paperbot run` subprocess posts the day's thread to N Slack channels and N Discord
channels (default 50 each) on the loopback fakes, which answer a fraction F (default 0.10) of
the message requests with a fault, drawn per request (seed X): half before storing anything
(429 with Retry-After, 500 or 503), half after storing the message (an HTTP 500 or, on Slack, a
dropped connection: the answer is lost, the message is there). Meanwhile S `paperbot shell`
processes (default 10) run C commands between them (default 2,000: reads, searches, subscribe,
save, alerts, forget-me, channel settings) and `paperbot import` of DIR (default the 393
recorded days in ../shared/data/hf-daily-papers, else the test fixtures) runs again and again
until the shells are done, all on the same database file.

Counted: "database is locked" in any process's output, internal errors ("something went
wrong", tracebacks), commands that got no reply, threads missing a message (lost) and messages
posted twice (duplicates: a platform holding two messages of one key). Exits 1 unless all are 0.
`--smoke` is the CI size: 3 channels each, 2 shells, 20 commands, the three fixture days.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from storage import channels as channel_store  # noqa: E402
from storage import open_db  # noqa: E402
from tests.fakes.discord import FakeDiscord, RateLimits  # noqa: E402
from tests.fakes.hf import FakeHF  # noqa: E402
from tests.fakes.server import Fault  # noqa: E402
from tests.fakes.slack.socket_mode import FakeSocketModeServer  # noqa: E402
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi  # noqa: E402
from tests.support.core import DAYS, ROOT, SHARED_DATA  # noqa: E402
from tests.support.run import (  # noqa: E402
    ENV,
    SLACK_CHANNEL,
    THREAD,
    Fakes,
    channel_row,
    recorded_day,
    start_run,
    stop_run,
    wait_until,
    write_setup,
)

PRE_STORE = ("429", "500", "503")
SENTINEL = "/papers help status"
SENTINEL_REPLY = "Last fetch, papers stored, next posts"


@dataclass
class Faults:
    """Per-request fault draws, shared by both fakes (their server threads call in)."""

    rate: float
    rng: random.Random
    drawn: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def draw(self, where: str, kinds: tuple[str, ...]) -> str | None:
        """With probability rate/2, one of `kinds` (each fault class gets half the rate)."""
        with self._lock:
            self.drawn["draws"] += 1
            if self.rng.random() >= self.rate / 2:
                return None
            kind = self.rng.choice(kinds)
            self.drawn[f"{where} {kind}"] += 1
            return kind


# Slack: 429 answers carry Retry-After and store nothing; a 5xx or a dropped connection after
# the message was stored is the "lost answer" slack_sdk's retry handlers must not turn into a
# duplicate. https://api.slack.com/apis/rate-limits https://api.slack.com/methods/chat.postMessage
@dataclass
class FlakySlack(FakeSlackWebApi):
    flaky: Faults | None = None

    def _take_fault(self, path: str) -> Fault | None:
        if self.flaky and path == "/api/chat.postMessage":
            kind = self.flaky.draw("slack before store", PRE_STORE)
            if kind:
                return Fault(kind, retry_after=1)
        return super()._take_fault(path)

    def _take_lost_answer(self, method: str) -> str | None:
        if self.flaky and method == "chat.postMessage":
            kind = self.flaky.draw("slack after store", ("500", "drop"))
            if kind:
                return kind
        return super()._take_lost_answer(method)


# Discord: a 429 with retry_after (https://discord.com/developers/docs/topics/rate-limits), a
# 5xx before or after the create was committed (the nonce, sent with enforce_nonce, then
# de-duplicates the resend: https://discord.com/developers/docs/resources/message#create-message).
@dataclass
class FlakyDiscord(FakeDiscord):
    flaky: Faults | None = None

    def _take_fault(self, path: str) -> Fault | None:
        if self.flaky and path.endswith(("/messages", "/threads")):
            kind = self.flaky.draw("discord before store", PRE_STORE)
            if kind:
                return Fault(kind, retry_after=0.5)
        return super()._take_fault(path)

    def _commit_fault(self, path: str) -> int | None:
        if self.flaky and self.flaky.draw("discord after store", ("500",)):
            return 500
        return super()._commit_fault(path)


def shell_script(rng: random.Random, n: int, paper_ids: list[str]) -> str:
    """`n` commands as a user types them: mostly reads, a good share of writes."""
    pid = lambda: rng.choice(paper_ids)  # noqa: E731
    menu = [
        lambda: "/papers today",
        lambda: "/papers top week",
        lambda: f"/papers search {rng.choice(['diffusion', 'agents', 'video', 'reasoning'])}",
        lambda: f"/papers show {pid()}",
        lambda: f'/papers subscribe "{rng.choice(["agents", "diffusion models", "rl"])}"',
        lambda: "/papers topics",
        lambda: "/papers unsubscribe all",
        lambda: f"/papers alerts {rng.choice(['dm', 'off', 'thread'])}",
        lambda: f"/papers save {pid()}",
        lambda: "/papers library",
        lambda: "/papers bibtex library",
        lambda: "/papers status",
        lambda: "/papers forget-me",
        lambda: f"/papers channel enable time 0{rng.randint(6, 9)}:30 max {rng.randint(3, 9)}",
    ]
    lines = [rng.choice(menu)() for _ in range(n)]
    return "".join(line + "\n" for line in [*lines, SENTINEL])  # answered last: all were read


def start_cli(
    cfg: Path, tmp: Path, name: str, args: list[str], stdin: str | None = None
) -> subprocess.Popen:
    """A `paperbot` subcommand on the setup's config, its output kept in tmp/NAME.out/.err."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **ENV}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(cfg), *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=(tmp / f"{name}.out").open("w"),
        stderr=(tmp / f"{name}.err").open("w"),
        env=env,
        cwd=tmp,
        text=True,
    )
    if stdin is not None:
        assert proc.stdin
        proc.stdin.write(stdin)
        proc.stdin.close()
    return proc


def add_channels(cfg_db: Path, fakes: Fakes, n: int) -> tuple[list[str], list[str]]:
    """n Slack and n Discord channels enabled (the setup's own channel is the first)."""
    slack = [SLACK_CHANNEL] + [f"CLOAD{i:03d}" for i in range(1, n)]
    discord = [fakes.discord.text_channel_id]
    discord += [fakes.discord.add_channel(f"papers-{i}") for i in range(1, n)]
    db = open_db(cfg_db)
    for cid in slack[1:]:
        channel_store.save_channel(db, channel_row("slack", TEAM_ID, cid))
    for cid in discord[1:]:
        channel_store.save_channel(db, channel_row("discord", fakes.discord.guild_id, cid))
    db.close()
    return slack, discord


def thread_keys(fakes: Fakes, slack: list[str], discord: list[str]) -> dict[str, Counter]:
    """Per channel, how often each message key was stored (a key twice is a duplicate)."""
    out: dict[str, Counter] = {}
    for cid in slack:
        msgs = fakes.slack.messages("chat.postMessage", cid)
        out[f"slack:{cid}"] = Counter(
            (
                m.body["metadata"]["event_payload"]["key"],
                m.body["metadata"]["event_payload"].get("part"),
            )
            for m in msgs
        )
    home = {cid: cid for cid in discord}
    for cid, ch in fakes.discord.channels.items():
        if ch.get("parent_id") in home:
            home[cid] = ch["parent_id"]
    for cid in discord:
        out[f"discord:{cid}"] = Counter()
    for p in list(fakes.discord.posted):
        if p.channel_id in home:
            out[f"discord:{home[p.channel_id]}"][p.body.get("nonce")] += 1
    return out


def complete(fakes: Fakes, slack: list[str], discord: list[str]) -> bool:
    keys = thread_keys(fakes, slack, discord)
    return all(len(c) >= THREAD for c in keys.values())


@dataclass
class Size:
    channels: int
    shells: int
    commands: int
    import_dir: Path


def run_load(size: Size, fault_rate: float, seed: int, tmp: Path) -> dict:
    rng = random.Random(seed)
    faults = Faults(fault_rate, random.Random(seed + 1))
    today = datetime.now(UTC).date()  # the subprocesses run on the real clock
    days = {d.isoformat(): recorded_day() for d in (today, today - timedelta(days=1))}
    ids = [e["paper"]["id"] for e in recorded_day()]
    with (
        FakeHF(days=days) as hf,
        FakeSocketModeServer() as socket,
        FlakySlack(min_interval=0.5, socket_url=socket.ws_url, flaky=faults) as slack,
        FlakyDiscord(limits=RateLimits(per_route=1000), flaky=faults) as discord,
    ):
        slack.add_user("UDM")
        slack.add_user("UTHREAD")
        fakes = Fakes(hf, slack, socket, discord)  # type: ignore[arg-type]
        cfg = write_setup(tmp, fakes, discord.add_user("alice"))
        slack_ids, discord_ids = add_channels(tmp / "paperbot.db", fakes, size.channels)
        started = time.monotonic()
        run = start_run(cfg, tmp, "run")
        per_shell = [size.commands // size.shells] * size.shells
        per_shell[0] += size.commands - sum(per_shell)
        shells = [
            start_cli(cfg, tmp, f"shell{i}", ["shell"], shell_script(rng, n, ids))
            for i, n in enumerate(per_shell)
        ]
        imports = 0
        while imports == 0 or any(s.poll() is None for s in shells):
            imp = start_cli(cfg, tmp, f"import{imports}", ["import", str(size.import_dir)])
            imp.wait(600)
            imports += 1
        shell_codes = [s.wait(600) for s in shells]
        with contextlib.suppress(AssertionError):  # what is missing is counted as lost
            wait_until(lambda: complete(fakes, slack_ids, discord_ids), fakes, timeout=600)
        seconds = time.monotonic() - started
        stop_run(run, tmp, "run")
        keys = thread_keys(fakes, slack_ids, discord_ids)
    return tally(tmp, size, per_shell, shell_codes, imports, keys, faults, seconds)


def tally(tmp, size, per_shell, shell_codes, imports, keys, faults, seconds) -> dict:  # noqa: ANN001
    logs = {p.name: p.read_text(errors="replace") for p in tmp.glob("*.out")}
    logs |= {p.name: p.read_text(errors="replace") for p in tmp.glob("*.err")}
    text = "\n".join(logs.values())
    unanswered = sum(
        n for i, n in enumerate(per_shell) if SENTINEL_REPLY not in logs[f"shell{i}.out"]
    )
    commands = sum(per_shell)
    return {
        "channels": {"slack": size.channels, "discord": size.channels},
        "shells": size.shells,
        "commands": commands,
        "imports_completed": imports,
        "seconds": round(seconds, 1),
        "fault_draws": faults.drawn["draws"],  # requests offered a fault (two draws each)
        "faults_injected": {k: n for k, n in faults.drawn.items() if k != "draws"},
        "faults_total": sum(faults.drawn.values()) - faults.drawn["draws"],
        "database_is_locked": text.count("database is locked"),
        "internal_errors": text.count("something went wrong") + text.count("Traceback"),
        "shell_exit_codes": sorted(set(shell_codes)),
        "commands_unanswered": unanswered,  # by shells that never reached their last line
        "threads": len(keys),
        "messages_expected": THREAD * len(keys),
        "lost": sum(max(0, THREAD - len(c)) for c in keys.values()),
        "duplicates": sum(n - 1 for c in keys.values() for n in c.values() if n > 1),
        "import_rejections": text.count("\nrejected "),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--channels", type=int, default=50)
    ap.add_argument("--shells", type=int, default=10)
    ap.add_argument("--commands", type=int, default=2000)
    ap.add_argument("--faults", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--import-dir", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--workdir", type=Path, help="an empty directory to keep the logs in")
    ap.add_argument("--smoke", action="store_true", help="3 channels, 2 shells, 20 commands")
    args = ap.parse_args(argv)
    shared = SHARED_DATA / "hf-daily-papers"
    import_dir = args.import_dir or (shared if shared.is_dir() and not args.smoke else DAYS)
    if args.smoke:
        size = Size(3, 2, 20, import_dir)
    else:
        size = Size(args.channels, args.shells, args.commands, import_dir)
    if args.workdir:  # keep every process's log
        args.workdir.mkdir(parents=True, exist_ok=True)
        r = run_load(size, args.faults, args.seed, args.workdir)
    else:
        with tempfile.TemporaryDirectory() as d:
            r = run_load(size, args.faults, args.seed, Path(d))
    r["import_dir"] = str(import_dir)
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))
    print(json.dumps(r, indent=2))
    bad = ("database_is_locked", "internal_errors", "commands_unanswered", "lost", "duplicates")
    return 1 if any(r[k] for k in bad) or r["shell_exit_codes"] != [0] else 0


if __name__ == "__main__":
    raise SystemExit(main())
