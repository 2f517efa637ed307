"""Hostile source data (issue #9, item 4): one bad field or entry costs only itself.

Every case here is legal JSON a server (or a saved file) can hand us: integers past SQLite's
64-bit range, nesting deep enough to exhaust Python's recursion limit, lone surrogates
(`"\\ud800"` decodes to a `str` that SQLite cannot encode), and digits from other scripts
that `\\d` would accept in an arXiv id.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.ingest import import_paths
from bot.sources.arxiv_ids import base_id, find_arxiv_id, split_version
from bot.sources.arxiv_parse import parse_atom
from bot.sources.hf_parse import parse_daily_papers
from storage import open_db
from storage import papers as paper_store
from tests.support.cli import paperbot
from tests.support.core import DAYS

DAY = "2025-10-01"
SQLITE_MAX = 2**63 - 1


def _entries() -> list:
    return json.loads((DAYS / f"{DAY}.json").read_text())


def _write(tmp_path: Path, entries: list, raw: str | None = None) -> Path:
    path = tmp_path / f"{DAY}.json"
    # ensure_ascii (the default) writes a lone surrogate as the legal escape "\ud800"
    path.write_text(raw if raw is not None else json.dumps(entries))
    return path


# --- integers past SQLite's INTEGER range -------------------------------------------------
@pytest.mark.parametrize("value", [2**63, 10**30, -(2**63) - 1])
@pytest.mark.parametrize(
    ("where", "key", "column"),
    [("paper", "upvotes", "upvotes"), ("paper", "githubStars", "github_stars"),
     ("entry", "numComments", "num_comments")],
)  # fmt: skip
def test_an_integer_sqlite_cannot_hold_costs_only_that_field(
    tmp_path: Path, value: int, where: str, key: str, column: str
) -> None:
    entries = _entries()
    target = entries[0]["paper"] if where == "paper" else entries[0]
    target[key] = value
    db = open_db(None)
    report = import_paths(db, [_write(tmp_path, entries)])
    assert report.files == 1 and not report.rejected and report.papers == 37
    row = db["papers"].get(entries[0]["paper"]["id"])
    assert row[column] is None and row["title"]


def test_an_integer_too_long_for_python_to_read_costs_only_that_field(tmp_path: Path) -> None:
    entries = _entries()
    entries[0]["paper"]["upvotes"] = "PLACEHOLDER"
    raw = json.dumps(entries).replace('"PLACEHOLDER"', "9" * 5000)  # past int's 4,300 digits
    db = open_db(None)
    report = import_paths(db, [_write(tmp_path, [], raw)])
    assert report.files == 1 and not report.rejected and report.papers == 37
    assert db["papers"].get(entries[0]["paper"]["id"])["upvotes"] is None


def test_the_largest_sqlite_integer_is_kept(tmp_path: Path) -> None:
    entries = _entries()
    entries[0]["paper"]["upvotes"] = SQLITE_MAX
    db = open_db(None)
    import_paths(db, [_write(tmp_path, entries)])
    assert db["papers"].get(entries[0]["paper"]["id"])["upvotes"] == SQLITE_MAX


def test_a_huge_arxiv_version_never_reaches_storage() -> None:
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/2401.12345v99999999999999999999999</id><title>T</title>"
        "</entry></feed>"
    )
    papers = parse_atom(feed)
    db = open_db(None)
    paper_store.upsert_papers(db, papers)  # raised OverflowError before
    assert all(p.version is None or p.version <= SQLITE_MAX for p in papers)


def test_importing_huge_numbers_from_the_command_line_is_no_traceback(tmp_path: Path) -> None:
    entries = _entries()
    entries[0]["paper"]["upvotes"] = 10**30
    out = paperbot("--db", str(tmp_path / "x.db"), "import", str(_write(tmp_path, entries)))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "imported 1 file, 37 daily entries" in out.stdout


# --- nesting --------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["whole file", "inside one entry"])
def test_json_nested_too_deeply_is_a_named_rejection(tmp_path: Path, where: str) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    if where == "whole file":
        raw = deep
    else:
        entries = json.dumps(_entries())
        raw = entries[:-1] + ', {"paper": {"id": "2510.00001", "extra": ' + deep + "}}]"
    db = open_db(None)
    report = import_paths(db, [_write(tmp_path, [], raw)])
    (path, reason), *_ = report.rejected
    assert report.files == 0 and path.endswith(f"{DAY}.json")
    assert "nested too deeply" in reason


def test_deep_nesting_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, [], "[" * 200_000 + "]" * 200_000)
    out = paperbot("--db", str(tmp_path / "x.db"), "import", str(path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "nested too deeply" in out.stderr


# --- lone surrogates ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Good \ud800 title"), ("summary", "An \udfff abstract."),
     ("ai_summary", "\ud83d"), ("ai_keywords", ["fine", "bad \ud800"]),
     ("authors", [{"name": "A \udc00 B"}]), ("githubRepo", "https://github.com/a/\ud800")],
)  # fmt: skip
def test_a_lone_surrogate_costs_at_most_its_field(tmp_path: Path, field: str, value) -> None:
    entries = _entries()
    entries[2]["paper"][field] = value
    db = open_db(None)
    report = import_paths(db, [_write(tmp_path, entries)])
    assert report.files == 1 and not report.rejected and report.papers == 37
    row = db["papers"].get(entries[2]["paper"]["id"])
    assert row["title"]
    for column in row.values():
        if isinstance(column, str):
            column.encode("utf-8")  # storable and printable: no surrogate survived


def test_a_surrogate_in_an_id_skips_only_that_entry(tmp_path: Path) -> None:
    entries = _entries()
    entries[4]["paper"]["id"] = "2510.\ud800"
    db = open_db(None)
    report = import_paths(db, [_write(tmp_path, entries)])
    assert report.files == 1 and report.papers == 36 and len(report.warnings) == 1
    report.warnings[0].encode("utf-8")  # the warning is printable


def test_surrogates_on_the_command_line_import_the_day(tmp_path: Path) -> None:
    entries = _entries()
    entries[0]["paper"]["title"] = "T \ud800"
    entries[1]["paper"]["id"] = "\udfff"
    entries[2]["organization"] = {"name": "\ud800"}
    out = paperbot("--db", str(tmp_path / "x.db"), "import", str(_write(tmp_path, entries)))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "imported 1 file, 36 daily entries" in out.stdout


def test_parse_never_returns_a_surrogate() -> None:
    entries = _entries()[:2]
    entries[0]["title"] = entries[0]["paper"]["title"] = "\ud800"  # nothing left: skipped
    entries[1]["paper"]["summary"] = "ok \udbff\udfff ok"  # a *paired* surrogate is a character
    day = parse_daily_papers(json.loads(json.dumps(entries)))
    assert len(day.papers) == 1 and "no title" in day.warnings[0]
    assert day.papers[0].abstract == "ok \U0010ffff ok"


# --- ids are ASCII ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    ["٢٦١٢.٠٠٠٠١", "２４０１.１２３４５", "2401.1234５", "hep-th/９９０１００１",
     "\u017fstro-ph/0601001", "math.G\u212a/0309136"],
)  # fmt: skip
def test_non_ascii_lookalikes_are_not_arxiv_ids(raw: str) -> None:
    assert split_version(raw) is None and base_id(raw) is None
    assert find_arxiv_id(f"https://arxiv.org/abs/{raw}") is None
    assert find_arxiv_id(f"arXiv:{raw}") is None


def test_a_non_ascii_version_is_no_version() -> None:
    assert split_version("2401.12345v٢") is None and split_version("2401.12345v99999") is None
    # in running text the id before it is still found, without the lookalike version
    assert find_arxiv_id("https://arxiv.org/abs/2401.12345v٢") == "2401.12345"


def test_ascii_ids_still_work() -> None:
    assert split_version("2401.12345v2") == ("2401.12345", 2)
    assert base_id("math.GT/0309136") == "math.GT/0309136"
    assert find_arxiv_id("see ARXIV: 2401.12345v3") == "2401.12345"


def test_an_entry_with_a_non_ascii_id_is_skipped_and_the_rest_kept() -> None:
    entries = _entries()
    entries[0]["paper"]["id"] = "٢٦١٢.٠٠٠٠١"
    day = parse_daily_papers(entries)
    assert len(day.papers) == 36 and "not an arXiv id" in day.warnings[0]


# --- an organisation is a name ------------------------------------------------------------
def test_an_organisation_longer_than_a_name_is_dropped_and_the_paper_kept() -> None:
    entries = _entries()[:3]
    entries[0]["organization"] = {"name": "O" * 100_000}
    entries[1]["organization"] = {"name": "N" * 100}
    day = parse_daily_papers(entries)
    assert [p.organization for p in day.papers[:2]] == [None, "N" * 100]
    assert len(day.papers) == 3 and not day.warnings
