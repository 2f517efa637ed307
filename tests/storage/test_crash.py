"""SIGKILL, at a chosen SQL statement, of a real process running each writer — then the file
it left is checked and the writer restarted (tests/support/crash.py explains the mechanism).

The four probe classes of the crash harness (migrating, planning, sending, importing) run a
few kill points here and 20 or more in `python bench/crash_harness.py`; migrations are killed
at every statement that can change the file. Kill points are drawn from a fixed seed.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

from bot.model import Paper
from storage import open_db
from storage import papers as paper_store
from storage import users as user_store
from storage.ledger import Ledger
from tests.fakes.hf import FakeHF
from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.core import DAYS
from tests.support.crash import Zygote, first_index, integrity_problems
from tests.support.crash_trials import Delivering, Importing, Migrating, Trial

CI_TRIALS = 3
# Statements that only read: a kill before one leaves the same file as a kill before the next
# write, so the every-statement test skips them (the bench kills at those too).
READS = re.compile(r"^(--\s*)?(select|pragma table_info|pragma 'main'\.data_version)", re.I)


def _copy(template: Path, path: Path) -> Path:
    path.write_bytes(template.read_bytes())  # closed cleanly: no WAL left beside it
    return path


def assert_held(trials: list[Trial]) -> None:
    assert trials, "no kill point"
    for t in trials:
        assert t.killed, f"{t.probe}: statement {t.kill_at} was never reached"
        assert t.held, f"{t.probe}, killed at statement {t.kill_at}: {t.problems}"


# --- the harness's probe classes ------------------------------------------------------------
def test_migrating_killed_at_every_write_of_every_migration_reopens_whole(
    zygote: Zygote, tmp_path: Path
) -> None:
    probe = Migrating(zygote, tmp_path)
    points = [i + 1 for i, s in enumerate(probe.statements) if not READS.match(s.strip())]
    assert len(points) > 50  # every CREATE, the FTS internals, every savepoint and COMMIT
    assert_held([probe.trial(k) for k in points])


def test_planning_killed_midway_then_every_planned_paper_is_posted_once(
    zygote: Zygote, tmp_path: Path, slack: FakeSlackWebApi
) -> None:
    probe = Delivering(zygote, tmp_path, slack)
    points = probe.points("planning", random.Random(11), CI_TRIALS)
    assert_held([probe.trial("planning", k) for k in points])


def test_sending_killed_anywhere_then_every_planned_paper_is_posted_once(
    zygote: Zygote, tmp_path: Path, slack: FakeSlackWebApi
) -> None:
    probe = Delivering(zygote, tmp_path, slack)
    points = probe.points("sending", random.Random(12), CI_TRIALS)
    assert_held([probe.trial("sending", k) for k in points])


def test_importing_killed_midway_leaves_whole_days_and_imports_again(
    zygote: Zygote, tmp_path: Path
) -> None:
    probe = Importing(zygote, tmp_path)
    points = probe.points(random.Random(13), CI_TRIALS)
    assert_held([probe.trial(k) for k in points])


# --- the other writers, killed at every statement -------------------------------------------
def test_a_plan_killed_at_any_statement_is_all_there_or_not_at_all(
    zygote: Zygote, tmp_path: Path
) -> None:
    items = ["parent", "thread", *(f"2510.{i:05d}" for i in range(37))]
    template = tmp_path / "plan.db"
    open_db(template).close()
    params = {"target": "slack:T1:C1", "day": "2025-10-01", "items": items}
    ran = zygote.clean_run("plan", {**params, "db": str(_copy(template, tmp_path / "ref.db"))})
    begin = first_index(ran, lambda s: s.startswith("INSERT OR IGNORE INTO deliveries")) - 1
    for k in range(begin, len(ran) + 1):
        path = tmp_path / f"plan-{k}.db"
        _copy(template, path)
        assert zygote.run("plan", {**params, "db": str(path)}, k).killed
        rows = open_db(path).execute("SELECT count(*) FROM deliveries").fetchone()[0]
        assert rows in (0, len(items)), f"killed at {k}: {rows} of {len(items)} planned"
        assert integrity_problems(path) == []


def _user_rows(path: Path) -> list[int]:
    db = open_db(path)
    counts = [db[t].count for t in ("topics", "user_prefs", "library", "audit_log", "deliveries")]
    db.close()
    return counts


def test_forget_user_killed_at_any_statement_forgets_all_or_nothing(
    zygote: Zygote, tmp_path: Path
) -> None:
    template = tmp_path / "user.db"
    db = open_db(template)
    user = user_store.UserKey("slack", "T1", "U1")
    for query in ("agents", "diffusion"):
        user_store.add_topic(db, user, query)
        user_store.audit(db, user, "subscribe", query)
    user_store.set_alerts(db, user, "dm")
    paper_store.upsert_papers(db, [Paper("2510.00001", "A title", "An abstract")])
    user_store.save_paper(db, user, "2510.00001")
    Ledger(db).plan("slack:T1:dm:U1", "2025-10-01", ["dm"])
    db.close()
    before = _user_rows(template)
    params = {"user": ["slack", "T1", "U1"]}
    ran = zygote.clean_run("forget", {**params, "db": str(_copy(template, tmp_path / "ref.db"))})
    begin = first_index(ran, lambda s: s.startswith("DELETE FROM topics")) - 1
    for k in range(begin, len(ran) + 1):
        path = tmp_path / f"forget-{k}.db"
        _copy(template, path)
        assert zygote.run("forget", {**params, "db": str(path)}, k).killed
        assert _user_rows(path) in (before, [0, 0, 0, 0, 0]), f"killed at statement {k}"
        assert integrity_problems(path) == []


def test_a_fetch_killed_midway_stores_the_day_with_its_log_line_or_nothing(
    zygote: Zygote, tmp_path: Path
) -> None:
    template = tmp_path / "fetch.db"
    open_db(template).close()
    with FakeHF(data_dir=DAYS) as hf:
        params = {"hf_url": hf.url, "day": "2025-10-01"}
        ran = zygote.clean_run("fetch", {**params, "db": str(_copy(template, tmp_path / "ref.db"))})
        begin = first_index(ran, lambda s: s.startswith("INSERT INTO papers")) - 1
        logged = first_index(ran, lambda s: s.startswith("INSERT INTO fetch_log"))
        end = first_index(ran, lambda s: s == "COMMIT", logged)
        points = sorted(random.Random(21).sample(range(begin, end + 1), CI_TRIALS)) + [end]
        for k in points:
            path = tmp_path / f"fetch-{k}.db"
            _copy(template, path)
            assert zygote.run("fetch", {**params, "db": str(path)}, k).killed
            conn = sqlite3.connect(str(path))
            entries, logged = (
                conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("daily_entries", "fetch_log")
            )
            conn.close()
            assert (entries, logged) in ((0, 0), (37, 1)), f"killed at {k}: {entries}, {logged}"
            assert integrity_problems(path) == []
