"""What Hugging Face sends that a person picks papers by (#11): stored, refreshed on every
fetch or import, kept when the source stops sending it, and added to existing databases."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import sqlite_utils

from bot.ingest import import_paths
from bot.model import paper_from_row
from storage import open_db
from storage import papers as paper_store
from storage.migrations import MIGRATIONS
from tests.support.core import FIXTURES

DAY = "2025-12-26"
SOURCE = FIXTURES / "sources" / "hf" / f"{DAY}.json"


def _day(tmp_path: Path, entries: list[dict]) -> Path:
    folder = tmp_path / "days"
    folder.mkdir(exist_ok=True)
    (folder / f"{DAY}.json").write_text(json.dumps(entries), encoding="utf-8")
    return folder


def _with_org(entries: list[dict]) -> dict:
    return next(e for e in entries if e["paper"].get("organization"))


def test_an_import_stores_and_decodes_every_signal(tmp_path: Path) -> None:
    entries = json.loads(SOURCE.read_text(encoding="utf-8"))
    db = open_db(tmp_path / "p.db")
    import_paths(db, [_day(tmp_path, entries)])
    entry = _with_org(entries)
    paper = paper_from_row(paper_store.get_paper_row(db, entry["paper"]["id"]))
    assert paper.thumbnail == entry["thumbnail"]
    assert paper.submitted_by == entry["submittedBy"]["fullname"]
    assert paper.organization == entry["paper"]["organization"]["name"]
    assert paper.organization_name == entry["paper"]["organization"]["fullname"]
    assert paper.num_comments == entry["numComments"]
    assert paper.github_stars == entry["paper"].get("githubStars")
    assert paper.project_page == entry["paper"].get("projectPage")


def test_a_refetch_refreshes_the_counts_and_keeps_what_the_source_stopped_sending(
    tmp_path: Path,
) -> None:
    entries = json.loads(SOURCE.read_text(encoding="utf-8"))
    db = open_db(tmp_path / "p.db")
    import_paths(db, [_day(tmp_path, entries)])
    later = copy.deepcopy(entries)
    entry = _with_org(later)
    pid = entry["paper"]["id"]
    entry["numComments"] += 5
    entry["paper"]["upvotes"] += 40
    entry["paper"]["githubStars"] = 1234
    del entry["thumbnail"], entry["submittedBy"], entry["paper"]["organization"]
    import_paths(db, [_day(tmp_path, later)])
    before = {e["paper"]["id"]: e for e in entries}[pid]
    row = paper_store.get_paper_row(db, pid)
    assert row["num_comments"] == before["numComments"] + 5
    assert row["upvotes"] == before["paper"]["upvotes"] + 40
    assert row["github_stars"] == 1234
    assert row["thumbnail"] == before["thumbnail"]  # not sent this time: kept
    assert row["submitted_by"] == before["submittedBy"]["fullname"]
    assert row["organization_name"] == before["paper"]["organization"]["fullname"]


def test_a_database_at_the_previous_schema_migrates_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, migration in MIGRATIONS:
        if name >= "006":
            break
        migration(old)
        old["_migrations"].insert({"name": name, "applied_at": "2025-12-01"})
    old["papers"].insert(
        {
            "id": "2512.00001",
            "title": "Old row",
            "abstract": "kept",
            "upvotes": 7,
            "organization": "nvidia",
            "github_stars": 12,
        }  # fmt: skip
    )
    old["daily_entries"].insert({"day": DAY, "paper_id": "2512.00001", "rank": 1, "upvotes": 7})
    assert "thumbnail" not in old["papers"].columns_dict
    old.close()

    db = open_db(path)
    assert "006_hf_signals" in [r["name"] for r in db["_migrations"].rows]
    assert {"thumbnail", "submitted_by", "organization_name"} <= set(db["papers"].columns_dict)
    paper = paper_from_row(paper_store.day_rows(db, DAY)[0])
    assert (paper.title, paper.abstract, paper.upvotes) == ("Old row", "kept", 7)
    assert (paper.organization, paper.github_stars, paper.thumbnail) == ("nvidia", 12, None)
    hits = db.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'kept'").fetchall()
    assert len(hits) == 1  # the search index still holds the old row
    db.close()
    assert open_db(path)["papers"].count == 1  # opening again changes nothing


def test_the_migration_is_idempotent_on_a_database_that_has_some_columns(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "p.db")
    for name, migration in MIGRATIONS:
        if name < "006":
            migration(db)
    db["papers"].add_column("thumbnail", str)  # as a renumbered copy of 006 may have left it
    migration = dict(MIGRATIONS)["006_hf_signals"]
    migration(db)
    migration(db)  # all there now: nothing to do, no error
    assert {"thumbnail", "submitted_by", "organization_name"} <= set(db["papers"].columns_dict)
