"""SIGKILL a writer at its Nth SQL statement, in a real process, and check what it left behind.

A *zygote* — one `python -m tests.support.crash` process that has already imported the
product — forks a child per trial. The child traces every statement SQLite starts on any
connection it opens (`sqlite3.Connection.set_trace_callback`, which also reports the
statements run inside triggers and FTS5) and SIGKILLs itself just before statement N, so
the kill lands inside a transaction, between two of them, or inside a COMMIT, exactly where
the trial asked. Forking from a warm process keeps a trial to a few milliseconds, so the
tests can afford a kill at every statement of a migration.

Run without a kill point, a child reports the statements it ran: the trials pick their kill
points from that list. The scenarios a child can run are in tests/support/crash_scenarios.py.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.core import ROOT

_real_connect = sqlite3.connect


def arm(kill_at: int | None, seen: list[str]) -> None:
    """In this process, trace every new connection's statements into `seen`; SIGKILL before
    statement number `kill_at` (1-based) when given."""

    def trace(sql: str) -> None:
        seen.append(sql[:300])
        if kill_at is not None and len(seen) >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = _real_connect(*args, **kwargs)
        conn.set_trace_callback(trace)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]


@dataclass(frozen=True)
class Outcome:
    killed: bool
    statements: list[str]  # what a child that was not killed ran
    error: str | None = None


class Zygote:
    """The test side: start the warm process once, then `run()` one trial at a time."""

    def __init__(self, log: Path, env: dict[str, str] | None = None) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            cwd=ROOT,
            text=True,
        )

    def run(self, scenario: str, params: dict[str, Any], kill_at: int | None = None) -> Outcome:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps([scenario, params, kill_at]) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"crash zygote died; see {self._log.name}")
        answer = json.loads(line)
        return Outcome(answer["killed"], answer.get("statements", []), answer.get("error"))

    def clean_run(self, scenario: str, params: dict[str, Any]) -> list[str]:
        """Run to completion (a restart); return the statements it ran."""
        out = self.run(scenario, params)
        if out.killed or out.error:
            raise AssertionError(f"{scenario} failed without a kill: {out.error}")
        return out.statements

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(10)
        self._log.close()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- what every trial checks on the database a kill left ----------------------------------
def integrity_problems(path: Path) -> list[str]:
    """`PRAGMA integrity_check`, FTS5's own integrity check and the FTS row count against
    `papers`, on a plain connection (no migration runs): empty when all is well."""
    conn = _real_connect(str(path))
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "papers_fts" in tables:
            try:
                conn.execute("INSERT INTO papers_fts(papers_fts) VALUES('integrity-check')")
            except sqlite3.DatabaseError as e:
                problems.append(f"FTS integrity-check: {e}")
            papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
            indexed = conn.execute("SELECT count(*) FROM papers_fts_docsize").fetchone()[0]
            if papers != indexed:
                problems.append(f"FTS rows {indexed} != papers {papers}")
        return problems
    finally:
        conn.close()


def first_index(statements: list[str], pred: Callable[[str], bool], start: int = 0) -> int:
    """1-based number of the first statement from `start` on that `pred` accepts."""
    for i in range(start, len(statements)):
        if pred(statements[i]):
            return i + 1
    raise LookupError("no such statement")


# --- the zygote itself ----------------------------------------------------------------------
def _child(scenario: str, params: dict[str, Any], kill_at: int | None, out: int) -> None:
    from tests.support.crash_scenarios import SCENARIOS

    seen: list[str] = []
    arm(kill_at, seen)
    try:
        SCENARIOS[scenario](params)
        answer: dict[str, Any] = {"statements": seen}
    except BaseException:  # reported to the test, which fails with it
        answer = {"statements": seen, "error": traceback.format_exc()}
    with os.fdopen(out, "w") as f:
        json.dump(answer, f)


def _serve() -> None:
    import tests.support.crash_scenarios  # noqa: F401  (warm: every child inherits the imports)

    for line in sys.stdin:
        scenario, params, kill_at = json.loads(line)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                _child(scenario, params, kill_at, write)
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        answer = json.loads(data) if data else {}
        answer["killed"] = killed
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
