"""SIGKILL around a roundup's chart upload: each trial runs a channel's weekly roundup in a
child killed at statement N — between the parent's ledger record and the image's (the upload
happens in there, after the image's `attempt`), or at the image's `sent` itself — restarts
it, and checks that the thread has its parent once, its chart once and each paper once, and
the ledger is all `sent`. On Slack the chart is a file shared into the parent's thread; on
Discord it is the parent's own multipart attachment."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.ingest import import_paths
from storage import channels as channel_store
from storage import open_db
from tests.support.core import DAYS
from tests.support.crash import Zygote, integrity_problems
from tests.support.crash_trials import Trial, _channel_row

PERIOD = "2025-W40"
NOW = "2025-10-03T16:00:00+00:00"
MAX = 3


@dataclass(frozen=True, slots=True)
class Seen:
    """What a channel shows of its roundup: top-level parents, charts, papers in the thread."""

    parents: int
    charts: int
    replies: int


@dataclass
class Platform:
    """How a probe reaches one fake: the scenario's params and what the channel shows."""

    name: str
    workspace: str
    params: dict[str, Any]
    new_channel: Callable[[str], str]
    seen: Callable[[str], Seen]


class RoundupUploading:
    probe = "roundup upload"

    def __init__(self, z: Zygote, tmp: Path, platform: Platform) -> None:
        self.z, self.tmp, self.platform = z, tmp, platform
        self.template = tmp / f"roundup-{platform.name}-template.db"
        db = open_db(self.template)
        assert import_paths(db, [DAYS]).files == 3
        db.close()
        ref = self._prepare("REF")
        self.statements = self.z.clean_run("roundup", ref)
        assert platform.seen(ref["channel"]) == Seen(1, 1, MAX)
        sent = [i for i, s in enumerate(self.statements, 1) if "status = 'sent'" in s]
        # statements from the parent's `sent` (the 1st) through the image's (the 2nd): the
        # image's attempt, the upload's gap, and its record
        self.around_upload = list(range(sent[0], sent[1] + 1))

    def _prepare(self, tag: str) -> dict[str, Any]:
        cid = self.platform.new_channel(tag)
        params = dict(self.platform.params, db=str(self.tmp / f"r-{tag}.db"), channel=cid)
        params.update(workspace=self.platform.workspace, period=PERIOD, now=NOW)
        shutil.copy(self.template, params["db"])
        db = open_db(params["db"])
        row = dict(_channel_row(cid, MAX), platform=self.platform.name)
        channel_store.save_channel(db, dict(row, workspace_id=self.platform.workspace))
        db.close()
        return params

    def trial(self, k: int) -> Trial:
        params = self._prepare(f"K{k}")
        killed = self.z.run("roundup", params, k).killed
        path = Path(params["db"])
        problems = integrity_problems(path)
        self.z.clean_run("roundup", params)  # the restart
        seen = self.platform.seen(params["channel"])
        if seen != Seen(1, 1, MAX):
            problems.append(f"after restart {seen} != one parent, one chart, {MAX} papers")
        ledger = _ledger(path, self.platform.name, self.platform.workspace, params["channel"])
        if set(ledger.values()) != {"sent"} or "image" not in ledger:
            problems.append(f"ledger after restart: {Counter(ledger.values())} {ledger}")
        return Trial(self.probe, k, killed, tuple(problems))


def _ledger(path: Path, platform: str, workspace: str, cid: str) -> dict[str, str]:
    conn = sqlite3.connect(str(path))
    try:
        target = f"roundup:{platform}:{workspace}:{cid}"
        rows = conn.execute("SELECT item, status FROM deliveries WHERE target = ?", [target])
        return dict(rows.fetchall())
    finally:
        conn.close()
