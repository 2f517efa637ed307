from __future__ import annotations

import json
from pathlib import Path

from bot.ingest import import_paths
from storage import open_db
from tests.support.core import DAYS, FIXTURES, shared_data


def test_imports_days_and_reimport_changes_no_counts() -> None:
    db = open_db(None)
    first = import_paths(db, [DAYS])
    counts = (db["papers"].count, db["daily_entries"].count)
    second = import_paths(db, [DAYS])
    assert first.files == second.files == 3 and not first.rejected
    assert (db["papers"].count, db["daily_entries"].count) == counts
    assert db.execute("SELECT COUNT(DISTINCT day) FROM daily_entries").fetchone()[0] == 3


def test_bad_files_are_named_with_a_reason_and_good_ones_still_import(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("[]")
    (tmp_path / "2025-02-30.json").write_text("[]")
    (tmp_path / "2025-03-01.json").write_text("{not json")
    good = tmp_path / "2025-10-01.json"
    good.write_bytes((DAYS / "2025-10-01.json").read_bytes())
    db = open_db(None)
    report = import_paths(db, [tmp_path, FIXTURES / "malformed", tmp_path / "missing.json"])
    reasons = dict(report.rejected)
    assert report.files == 1 and db["daily_entries"].count == 37
    assert "no date" in reasons[str(tmp_path / "notes.json")]
    assert "not a real date" in reasons[str(tmp_path / "2025-02-30.json")]
    assert "not valid JSON" in reasons[str(tmp_path / "2025-03-01.json")]
    assert "got an object with keys status" in reasons[str(FIXTURES / "malformed/2025-01-10.json")]
    assert "entry 0" in reasons[str(FIXTURES / "malformed/2024-12-11.json")]
    assert "no such file" in reasons[str(tmp_path / "missing.json")]


def test_a_bad_entry_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    entries = json.loads((DAYS / "2025-10-01.json").read_text())
    entries[3] = {"paper": {"title": "no id"}}
    (tmp_path / "2025-10-01.json").write_text(json.dumps(entries))
    db = open_db(None)
    report = import_paths(db, [tmp_path])
    assert report.files == 1 and report.papers == 36 and len(report.warnings) == 1
    assert "entry 3" in report.warnings[0]


def test_whole_recorded_corpus(tmp_path: Path) -> None:
    good, bad = shared_data("hf-daily-papers"), shared_data("hf-daily-papers-malformed")
    db = open_db(tmp_path / "corpus.db")
    report = import_paths(db, [good])
    assert (report.files, db["papers"].count, len(report.rejected)) == (393, 5841, 0)
    entries = db["daily_entries"].count
    again = import_paths(db, [good])
    assert (again.files, db["papers"].count, db["daily_entries"].count) == (393, 5841, entries)
    rejected = import_paths(db, [bad])
    assert rejected.files == 0 and len(rejected.rejected) == 22
    assert all(reason for _, reason in rejected.rejected)
