"""`paperbot run` as a subprocess against the loopback fakes: the setup it reads, starting
and stopping it, and waiting on what the fakes saw (shared by the e2e and crash tests)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from storage import channels as channel_store
from storage import open_db
from storage import users as user_store
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.hf import FakeHF
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.fakes.slack.web_api import APP_TOKEN, BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.core import DAYS, NOWHERE, ROOT

SLACK_CHANNEL = "CPAPERS"
MAX_PAPERS = 4
THREAD = 1 + MAX_PAPERS  # parent + one reply per paper
ENV = {
    "PAPERBOT_TEST_SLACK_BOT": BOT_TOKEN,
    "PAPERBOT_TEST_SLACK_APP": APP_TOKEN,
    "PAPERBOT_TEST_DISCORD": "fake-bot-token",
}


@dataclass
class Fakes:
    hf: FakeHF
    slack: FakeSlackWebApi
    socket: FakeSocketModeServer
    discord: FakeDiscord

    def slack_thread(self) -> list:
        return self.slack.messages("chat.postMessage", SLACK_CHANNEL)

    def discord_thread(self) -> list:
        """Posts in the text channel and in threads started from it, in order."""
        home = self.discord.text_channel_id
        return [
            p
            for p in list(self.discord.posted)
            if p.channel_id == home or self.discord.channels[p.channel_id].get("parent_id") == home
        ]

    def discord_dms(self) -> list:
        chans = self.discord.channels
        return [p for p in list(self.discord.posted) if chans[p.channel_id]["type"] == 1]


def recorded_day() -> list:
    return json.loads((DAYS / "2025-10-01.json").read_text(encoding="utf-8"))


def slack_fake(socket: FakeSocketModeServer) -> FakeSlackWebApi:
    fake = FakeSlackWebApi(min_interval=0.5, socket_url=socket.ws_url)
    fake.add_user("UDM")
    fake.add_user("UTHREAD")
    return fake


def discord_fake() -> FakeDiscord:
    return FakeDiscord(limits=RateLimits(per_route=1000))


def minutes_ago(n: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=n)).strftime("%H:%M")


def write_setup(
    tmp: Path, f: Fakes, discord_user: str, *, dm_subscribers: bool = True, **channel: Any
) -> Path:
    """The config (base URLs only) and a database with both channels enabled (`channel`:
    columns to override, e.g. `style="compact"`), a thread subscriber and (unless told not
    to) two DM subscribers; returns the config path."""
    db_path = tmp / "paperbot.db"
    cfg = tmp / "config.toml"
    cfg.write_text(
        f'[storage]\npath = "{db_path}"\n'
        f'[sources]\nhf_base_url = "{f.hf.url}"\narxiv_base_url = "{NOWHERE}"\n'
        f'arxiv_enrich = false\nfetch_times = ["{minutes_ago(2)}"]\ntimezone = "UTC"\n'
        f'[digest]\ncatch_up_hours = 6\ndefault_time = "{minutes_ago(2)}"\n'
        f'[discord]\ntoken_env = "PAPERBOT_TEST_DISCORD"\napi_base_url = "{f.discord.api_base}"\n'
        f"guild_ids = [{f.discord.guild_id}]\n"
        f'[slack]\nmode = "socket"\napi_base_url = "{f.slack.api_url}"\n'
        'bot_token_env = "PAPERBOT_TEST_SLACK_BOT"\napp_token_env = "PAPERBOT_TEST_SLACK_APP"\n',
        encoding="utf-8",
    )
    db = open_db(db_path)
    for platform, ws, cid in (
        ("slack", TEAM_ID, SLACK_CHANNEL),
        ("discord", f.discord.guild_id, f.discord.text_channel_id),
    ):
        channel_store.save_channel(db, {**channel_row(platform, ws, cid), **channel})
    for user, query, mode in (
        (user_store.UserKey("slack", TEAM_ID, "UTHREAD"), "reinforcement learning", "thread"),
        (user_store.UserKey("slack", TEAM_ID, "UDM"), "agent OR agents", "dm"),
        (user_store.UserKey("discord", f.discord.guild_id, discord_user), "agent", "dm"),
    ):
        user_store.add_topic(db, user, query)
        user_store.set_alerts(db, user, mode if dm_subscribers or mode == "thread" else "off")
    db.close()
    return cfg


def channel_row(platform: str, ws: str, cid: str) -> dict:
    return {
        "platform": platform,
        "workspace_id": ws,
        "channel_id": cid,
        "enabled": 1,
        "time": minutes_ago(2),
        "timezone": "UTC",
        "days": "mon,tue,wed,thu,fri,sat,sun",
        "min_upvotes": 0,
        "max_papers": MAX_PAPERS,
        "filter": None,
        "post_empty": 0,
        "paused_reason": None,
    }


def start_run(cfg: Path, tmp: Path, name: str = "run") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **ENV}
    for k in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "PAPERBOT_CONFIG"):
        env.pop(k, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(cfg), "run"],
        stdout=(tmp / f"{name}.out").open("w"),
        stderr=(tmp / f"{name}.err").open("w"),
        env=env,
        cwd=tmp,
    )


def stop_run(proc: subprocess.Popen, tmp: Path, name: str = "run") -> str:
    """SIGTERM; the run must exit 0 without a traceback. Returns its stderr."""
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    err = (tmp / f"{name}.err").read_text()
    assert code == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    return err


def wait_until(pred: Callable[[], bool], fakes: Fakes, timeout: float = 40) -> None:
    """Block until `pred` holds. Both fakes notify a condition on every request they see;
    a watcher per fake waits on its own, and the first to see `pred` wakes the other."""
    conds = [fakes.slack._changed, fakes.discord._cond]
    done = threading.Event()

    def watch(cond: threading.Condition) -> None:
        with cond:
            cond.wait_for(lambda: done.is_set() or pred(), timeout)
        done.set()
        for other in conds:
            with other:
                other.notify_all()

    watchers = [threading.Thread(target=watch, args=(c,)) for c in conds]
    for w in watchers:
        w.start()
    for w in watchers:
        w.join(timeout + 5)
    assert pred(), "condition not met in time"


def everything_posted(f: Fakes) -> bool:
    return (
        len(f.slack_thread()) >= THREAD
        and len(f.slack.messages("chat.postMessage", "DUDM")) >= 1
        and len(f.discord_thread()) >= THREAD
        and discord_dm_complete(f)
    )


def discord_dm_complete(f: Fakes) -> bool:
    """The Discord DM alert has all its cards: one card (one button row) per match shown, and
    a message holds five rows, so an alert of six or more cards takes several messages."""
    dms = f.discord_dms()
    if not dms:
        return False
    said = re.search(
        r"(\d+) match(?:es)?(?: \(the top (\d+) below)?", dms[0].body.get("content", "")
    )
    expected = int(said.group(2) or said.group(1)) if said else 1
    return sum(len(d.body.get("components", [])) for d in dms) >= expected
