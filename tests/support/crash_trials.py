"""The crash harness's probe classes: kill a writer at a chosen statement, look at what it
left, restart it, and say whether everything held. Shared by tests/storage/test_crash_*.py
(a few kill points each) and bench/crash_harness.py (20 or more per class).

Every trial checks `PRAGMA integrity_check`, FTS5's integrity check and FTS rows = papers
(tests/support/crash.py), plus the all-or-nothing fact of its class:

- migrating: the killed file holds the schema of exactly the migrations it records, and
  reopens to the full schema;
- planning: a channel's plan is all of its rows or none, and after a restart every planned
  paper is in the Slack thread exactly once;
- sending: the same exactly-once, killed anywhere while the thread goes out;
- importing: each file's day is all of its papers and entries or none, and importing again
  ends where a clean import ends.
"""

from __future__ import annotations

import itertools
import random
import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.ingest import import_paths
from storage import channels as channel_store
from storage import open_db
from storage.migrations import MIGRATIONS
from storage.tx import transaction
from tests.fakes.slack.web_api import TEAM_ID, FakeSlackWebApi
from tests.support.core import DAYS
from tests.support.crash import Zygote, first_index, integrity_problems

DAY = "2025-10-01"
MAX_PAPERS = 8
_REFERENCES = itertools.count(1)  # each probe's clean reference run gets a channel of its own


@dataclass(frozen=True)
class Trial:
    probe: str
    kill_at: int
    killed: bool
    problems: tuple[str, ...]

    @property
    def held(self) -> bool:
        return self.killed and not self.problems


def kill_points(rng: random.Random, lo: int, hi: int, n: int | None) -> list[int]:
    """`n` distinct statement numbers in [lo, hi] (all of them when n is None or more)."""
    every = list(range(lo, hi + 1))
    return every if n is None or n >= len(every) else sorted(rng.sample(every, n))


def _conn(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path))


# --- migrating ------------------------------------------------------------------------------
def schema(path: Path) -> list[str]:
    conn = _conn(path)
    try:
        rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        return [r[0] for r in rows]
    finally:
        conn.close()


def migration_schemas(tmp: Path) -> list[list[str]]:
    """The schema after 0, 1, … of the migrations (each applied as `migrate` applies it)."""
    out = []
    for j in range(len(MIGRATIONS) + 1):
        path = tmp / f"schema-{j}.db"
        db = sqlite_utils.Database(_conn(path))
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
        for name, fn in MIGRATIONS[:j]:
            with transaction(db):
                fn(db)
                db.execute("INSERT INTO _migrations (name) VALUES (?)", [name])
        db.close()
        out.append(schema(path))
    return out


class Migrating:
    probe = "migrating"

    def __init__(self, z: Zygote, tmp: Path) -> None:
        self.z, self.tmp = z, tmp
        self.schemas = migration_schemas(tmp)
        self.statements = z.clean_run("migrate", {"db": str(tmp / "ref-migrate.db")})

    def points(self, rng: random.Random, n: int | None) -> list[int]:
        return kill_points(rng, 1, len(self.statements), n)

    def trial(self, k: int) -> Trial:
        path = self.tmp / f"migrate-{k}.db"
        out = self.z.run("migrate", {"db": str(path)}, k)
        problems = integrity_problems(path) if path.exists() else []
        left = schema(path) if path.exists() else []
        if left and left not in self.schemas:
            problems.append("the killed file holds a schema no migration prefix gives")
        elif left:
            j = self.schemas.index(left)
            conn = _conn(path)
            recorded = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
            conn.close()
            if recorded != [name for name, _ in MIGRATIONS[:j]]:
                problems.append(f"schema of {j} migration(s) but {recorded} recorded")
        try:
            open_db(path).close()
        except Exception as e:  # the bug this guards against: "table papers already exists"
            problems.append(f"reopen failed: {e}")
        if schema(path) != self.schemas[-1]:
            problems.append("reopened schema differs from a new database's")
        problems += integrity_problems(path)
        return Trial(self.probe, k, out.killed, tuple(problems))


# --- planning and sending: one channel's thread through the real Slack poster ---------------
def _item(key: str) -> str:
    return key.split(":", 1)[1].rsplit("@", 1)[0]


class Delivering:
    """Kill points inside the ledger plan's transaction ("planning") or anywhere after it
    ("sending"); each trial uses its own channel on one Slack fake."""

    def __init__(
        self, z: Zygote, tmp: Path, slack: FakeSlackWebApi, max_papers: int = MAX_PAPERS
    ) -> None:
        self.z, self.tmp, self.slack, self.max_papers = z, tmp, slack, max_papers
        self.template = tmp / "deliver-template.db"
        db = open_db(self.template)
        assert import_paths(db, [DAYS]).files == 3
        db.close()
        # A fresh ledger reads nothing back (nothing of it was tried), so the reference run
        # needs a channel no earlier probe on the same (module-wide) fake has posted to.
        cref = f"CREF{next(_REFERENCES)}"
        ref = self._prepare(cref)
        self.statements = self.z.clean_run("deliver", ref)
        self.expected = self.items(cref)
        self.plan_rows = len(_ledger(Path(ref["db"]), cref))  # the thread item has no message
        assert len(self.expected) == len(set(self.expected)) == max_papers + 1, self.expected
        plan = [
            i
            for i, s in enumerate(self.statements)
            if s.startswith("INSERT OR IGNORE INTO deliveries")
        ]
        # 1-based numbers of the plan's BEGIN IMMEDIATE and of its COMMIT
        self.plan_begin = (
            max(i for i in range(plan[0]) if self.statements[i].startswith("BEGIN")) + 1
        )
        self.plan_commit = first_index(self.statements, lambda s: s == "COMMIT", plan[-1])

    def _params(self, cid: str) -> dict[str, Any]:
        return {
            "db": str(self.tmp / f"deliver-{cid}.db"),
            "slack_url": self.slack.api_url,
            "workspace": TEAM_ID,
            "channel": cid,
            "day": DAY,
        }

    def _prepare(self, cid: str) -> dict[str, Any]:
        params = self._params(cid)
        shutil.copy(self.template, params["db"])
        db = open_db(params["db"])
        channel_store.save_channel(db, _channel_row(cid, self.max_papers))
        db.close()
        return params

    def items(self, cid: str) -> list[str]:
        msgs = self.slack.messages("chat.postMessage", cid)
        return [_item(m.body["metadata"]["event_payload"]["key"]) for m in msgs]

    def points(self, probe: str, rng: random.Random, n: int | None) -> list[int]:
        if probe == "planning":  # from the plan's first INSERT to its COMMIT, both included
            return kill_points(rng, self.plan_begin + 1, self.plan_commit, n)
        return kill_points(rng, self.plan_commit + 1, len(self.statements), n)

    def trial(self, probe: str, k: int) -> Trial:
        cid = f"C{probe[:4].upper()}{k}"
        params = self._prepare(cid)
        killed = self.z.run("deliver", params, k).killed
        path = Path(params["db"])
        problems = integrity_problems(path)
        planned = _ledger(path, cid)
        if len(planned) not in (0, self.plan_rows):
            problems.append(f"half a plan: {len(planned)} of {self.plan_rows} rows")
        self.z.clean_run("deliver", params)  # the restart
        got = self.items(cid)
        if sorted(got) != sorted(self.expected):
            problems.append(f"thread after restart {Counter(got)} != {self.expected}")
        if set(_ledger(path, cid).values()) != {"sent"}:
            problems.append(f"ledger after restart: {_ledger(path, cid)}")
        problems += integrity_problems(path)
        return Trial(probe, k, killed, tuple(problems))


def _channel_row(cid: str, max_papers: int) -> dict[str, Any]:
    return {
        "platform": "slack",
        "workspace_id": TEAM_ID,
        "channel_id": cid,
        "enabled": 1,
        "time": "09:00",
        "timezone": "UTC",
        "days": "mon,tue,wed,thu,fri,sat,sun",
        "min_upvotes": 0,
        "max_papers": max_papers,
        "filter": None,
        "post_empty": 0,
        "paused_reason": None,
    }


def _ledger(path: Path, cid: str) -> dict[str, str]:
    conn = _conn(path)
    try:
        rows = conn.execute(
            "SELECT item, status FROM deliveries WHERE target = ?", [f"slack:{TEAM_ID}:{cid}"]
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


# --- importing ------------------------------------------------------------------------------
def _day_facts(path: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Each day's paper ids (from its entries) and every stored paper id."""
    conn = _conn(path)
    try:
        days: dict[str, set[str]] = {}
        for day, pid in conn.execute("SELECT day, paper_id FROM daily_entries"):
            days.setdefault(day, set()).add(pid)
        return days, {r[0] for r in conn.execute("SELECT id FROM papers")}
    finally:
        conn.close()


class Importing:
    probe = "importing"

    def __init__(self, z: Zygote, tmp: Path) -> None:
        self.z, self.tmp = z, tmp
        self.template = tmp / "import-template.db"
        open_db(self.template).close()
        ref = self._prepare("ref")
        self.statements = z.clean_run("import", ref)
        self.days, self.papers = _day_facts(Path(ref["db"]))
        assert len(self.days) == 3
        # from the import's first BEGIN (just before its batch reads the index flag) to the end
        self.first = first_index(self.statements, lambda s: s.startswith("SELECT after_rowid"))
        self.first -= 1
        assert self.statements[self.first - 1].startswith("BEGIN")  # first_index is 1-based

    def _prepare(self, name: str) -> dict[str, Any]:
        path = self.tmp / f"import-{name}.db"
        shutil.copy(self.template, path)
        return {"db": str(path), "paths": [str(DAYS)]}

    def points(self, rng: random.Random, n: int | None) -> list[int]:
        return kill_points(rng, self.first, len(self.statements), n)

    def trial(self, k: int) -> Trial:
        params = self._prepare(str(k))
        out = self.z.run("import", params, k)
        path = Path(params["db"])
        problems = integrity_problems(path)
        days, papers = _day_facts(path)
        for day, ids in days.items():
            if ids != self.days[day]:
                problems.append(f"{day} half imported: {len(ids)} of {len(self.days[day])}")
        expected = set().union(*days.values()) if days else set()
        if papers != expected:
            problems.append(f"{len(papers - expected)} papers stored without their day")
        self.z.clean_run("import", params)  # the user runs the import again
        if _day_facts(path) != (self.days, self.papers):
            problems.append("importing again does not end where a clean import ends")
        problems += integrity_problems(path)
        return Trial(self.probe, k, out.killed, tuple(problems))
