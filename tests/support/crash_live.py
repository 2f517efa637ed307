"""SIGKILL during the live thread's appends: each trial posts a channel's morning thread
(a clean run), lets two papers climb into the channel's top `max`, then runs the live update
in a child killed at statement N, restarts it, and checks that every paper — the morning's
and the two appended — is in the thread exactly once and the ledger is all `sent`."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from bot.ingest import import_paths
from storage import channels as channel_store
from storage import open_db
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.core import DAYS
from tests.support.crash import Zygote, integrity_problems
from tests.support.crash_trials import Trial, _channel_row, _item, _ledger, kill_points

DAY = "2025-10-01"
NOON = "2025-10-01T12:00:00+00:00"
MAX = 3
CLIMBERS = ("2509.26231", "2509.26391")  # ranked 11th and 12th that morning


class LiveAppending:
    probe = "live appending"

    def __init__(self, z: Zygote, tmp: Path, slack: FakeSlackWebApi) -> None:
        self.z, self.tmp, self.slack = z, tmp, slack
        self.template = tmp / "live-template.db"
        db = open_db(self.template)
        assert import_paths(db, [DAYS]).files == 3
        db.close()
        ref = self._prepare("CLREF")
        self.statements = self.z.clean_run("live", ref)
        self.expected = self.items("CLREF")
        assert len(self.expected) == MAX + 1 + len(CLIMBERS), self.expected
        assert all(c in self.expected for c in CLIMBERS)
        self.first_append = next(
            i for i, s in enumerate(self.statements, 1) if s.startswith("INSERT OR IGNORE")
        )

    def _prepare(self, cid: str) -> dict[str, Any]:
        params = {
            "db": str(self.tmp / f"live-{cid}.db"),
            "slack_url": self.slack.api_url,
            "workspace": TEAM_ID,
            "channel": cid,
            "day": DAY,
            "now": NOON,
        }
        shutil.copy(self.template, params["db"])
        db = open_db(params["db"])
        channel_store.save_channel(db, _channel_row(cid, MAX))
        db.close()
        self.z.clean_run("deliver", params)  # the morning thread
        conn = sqlite3.connect(params["db"])
        with conn:
            for n, pid in enumerate(CLIMBERS):
                conn.execute("UPDATE papers SET upvotes = ? WHERE id = ?", [500 + n, pid])
                conn.execute(
                    "UPDATE daily_entries SET upvotes = ? WHERE day = ? AND paper_id = ?",
                    [500 + n, DAY, pid],
                )
        conn.close()
        return params

    def items(self, cid: str) -> list[str]:
        msgs = self.slack.messages("chat.postMessage", cid)
        return [_item(m.body["metadata"]["event_payload"]["key"]) for m in msgs]

    def points(self, rng: random.Random, n: int | None) -> list[int]:
        return kill_points(rng, self.first_append, len(self.statements), n)

    def trial(self, k: int) -> Trial:
        cid = f"CLIVE{k}"
        params = self._prepare(cid)
        killed = self.z.run("live", params, k).killed
        path = Path(params["db"])
        problems = integrity_problems(path)
        self.z.clean_run("live", params)  # the restart: the next fetch's update
        got = self.items(cid)
        if sorted(got) != sorted(self.expected):
            problems.append(f"thread after restart {Counter(got)} != {self.expected}")
        if set(_ledger(path, cid).values()) != {"sent"}:
            problems.append(f"ledger after restart: {_ledger(path, cid)}")
        return Trial(self.probe, k, killed, tuple(problems))
