"""Importing a saved day again reads it only when something could come out differently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import ingest
from bot.ingest import import_paths
from storage import open_db
from tests.support.core import DAYS


def _day(tmp_path: Path, name: str = "2025-10-01.json") -> Path:
    f = tmp_path / name
    f.write_bytes((DAYS / name).read_bytes())
    return f


def _refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(_data: object) -> None:
        raise AssertionError("an unchanged file was read again")

    monkeypatch.setattr(ingest, "parse_daily_papers", parse)


def test_an_unchanged_file_is_not_read_again_and_reports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = json.loads((DAYS / "2025-10-01.json").read_text())
    entries.append({"paper": {"title": "no id"}})  # one bad entry: a warning, both times
    f = tmp_path / "2025-10-01.json"
    f.write_text(json.dumps(entries))
    db = open_db(None)
    first = import_paths(db, [f])
    rows = db.execute("SELECT * FROM papers ORDER BY id").fetchall()
    _refuse_to_parse(monkeypatch)
    second = import_paths(db, [f])
    assert (second.files, second.papers, second.warnings) == (1, 37, first.warnings)
    assert len(first.warnings) == 1 and "no paper id" in first.warnings[0]
    assert db.execute("SELECT * FROM papers ORDER BY id").fetchall() == rows


def test_a_changed_file_is_read_and_its_changes_stored(tmp_path: Path) -> None:
    f = _day(tmp_path)
    db = open_db(None)
    import_paths(db, [f])
    entries = json.loads(f.read_text())
    entries[0]["paper"]["upvotes"] = 999
    f.write_text(json.dumps(entries))
    import_paths(db, [f])
    paper_id = entries[0]["paper"]["id"]
    assert db.execute("SELECT upvotes FROM papers WHERE id = ?", [paper_id]).fetchone()[0] == 999


def test_a_day_that_lost_papers_since_is_read_again(tmp_path: Path) -> None:
    f = _day(tmp_path)
    db = open_db(None)
    import_paths(db, [f])
    db.execute("DELETE FROM daily_entries WHERE rowid IN (SELECT rowid FROM daily_entries LIMIT 5)")
    import_paths(db, [f])
    assert db.execute("SELECT COUNT(*) FROM daily_entries").fetchone()[0] == 37


def test_a_paperbot_that_reads_files_differently_reads_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = _day(tmp_path)
    db = open_db(None)
    import_paths(db, [f])
    monkeypatch.setattr(ingest, "_reader_fingerprint", lambda: b"a newer parser")
    calls: list[object] = []
    real = ingest.parse_daily_papers
    monkeypatch.setattr(ingest, "parse_daily_papers", lambda d: calls.append(d) or real(d))
    import_paths(db, [f])
    assert len(calls) == 1
