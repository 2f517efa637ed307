"""Day files parsed ahead on a worker thread while a batch is indexed (bot.sources.read_ahead): the
import stores exactly what a one-thread import stores, a bad file parsed ahead still costs
only itself, and the worker works only while the gate is open."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import bot.ingest as ingest
from bot.ingest import import_paths
from bot.sources.read_ahead import ReadAhead
from storage import open_db
from tests.support.core import DAYS, FIXTURES

WAIT = 10.0  # seconds: a bound on a hang, never a synchronisation


class _EagerAhead(ReadAhead):
    """Each time the gate opens, wait until the worker has parsed every file still ahead:
    every file after the first batch is then the worker's, deterministically."""

    parsed_ahead = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for path, done in super().__iter__():
            _EagerAhead.parsed_ahead += done is not None
            yield path, done

    def allow(self, on: bool) -> None:
        super().allow(on)
        if on:
            n = len(self._paths)
            with self._cond:
                assert self._cond.wait_for(
                    lambda: set(range(self._next + 1, n)) <= self._done.keys(), WAIT
                )


class _NoAhead(ReadAhead):
    """The gate never opens: every file is read and parsed by the importing thread."""

    def allow(self, on: bool) -> None:
        pass


def _snapshot(db) -> tuple:  # type: ignore[no-untyped-def]
    papers = db.execute(
        "SELECT id, title, abstract, authors, upvotes, ai_keywords, organization, thumbnail"
        " FROM papers ORDER BY rowid"
    ).fetchall()
    entries = db.execute("SELECT day, paper_id, rank FROM daily_entries ORDER BY 1, 3").fetchall()
    found = db.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'model' ORDER BY rowid"
    ).fetchall()
    authors = db.execute(
        "SELECT rowid FROM papers_authors WHERE authors_text LIKE '%Wang%' ORDER BY rowid"
    ).fetchall()
    return papers, entries, found, authors


def _files(tmp_path: Path) -> list[Path]:
    """The three fixture days, a file that is not JSON and one of the wrong shape between
    them, so that bad files fall in the worker's share too."""
    (tmp_path / "2025-09-29.json").write_text("{not json")
    bad_shape = FIXTURES / "malformed" / "2025-01-10.json"
    return [bad_shape, *sorted(DAYS.glob("*.json"))[:2], tmp_path / "2025-09-29.json",
            *sorted(DAYS.glob("*.json"))[2:]]  # fmt: skip


@pytest.mark.parametrize("batch", [1, 40])
def test_parsing_ahead_stores_what_one_thread_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(ingest, "IMPORT_BATCH_PAPERS", batch)  # a gate after every file or two
    files = _files(tmp_path)
    monkeypatch.setattr(ingest, "ReadAhead", _NoAhead)
    alone_db = open_db(tmp_path / "alone.db")
    alone = import_paths(alone_db, files)
    monkeypatch.setattr(ingest, "ReadAhead", _EagerAhead)
    monkeypatch.setattr(_EagerAhead, "parsed_ahead", 0)
    ahead_db = open_db(tmp_path / "ahead.db")
    ahead = import_paths(ahead_db, files)
    # The first batch is the bad file and the first day; the worker parsed the three after
    # (a day, the file that is not JSON, a day).
    assert _EagerAhead.parsed_ahead == 3
    assert (ahead.files, ahead.papers, ahead.warnings) == (
        alone.files,
        alone.papers,
        alone.warnings,
    )
    assert ahead.rejected == alone.rejected and len(ahead.rejected) == 2
    reasons = dict(ahead.rejected)
    assert "not valid JSON" in reasons[str(tmp_path / "2025-09-29.json")]
    assert _snapshot(ahead_db) == _snapshot(alone_db)
    assert ahead_db["daily_entries"].count == alone_db["daily_entries"].count > 0


def test_a_file_parsed_ahead_that_is_unchanged_is_not_stored_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "IMPORT_BATCH_PAPERS", 1)
    monkeypatch.setattr(ingest, "ReadAhead", _EagerAhead)
    db = open_db(tmp_path / "p.db")
    first = import_paths(db, [DAYS])
    stamps = db.execute("SELECT day, imported_at FROM import_log ORDER BY day").fetchall()
    written = db.execute("SELECT MAX(rowid), COUNT(*) FROM papers").fetchone()
    again = import_paths(db, [DAYS])
    assert (again.files, again.papers) == (first.files, first.papers) == (3, first.papers)
    assert db.execute("SELECT day, imported_at FROM import_log ORDER BY day").fetchall() == stamps
    assert db.execute("SELECT MAX(rowid), COUNT(*) FROM papers").fetchone() == written


def test_the_worker_parses_nothing_while_the_gate_is_closed() -> None:
    calls: list[str] = []
    ahead = ReadAhead([Path(f"f{i}") for i in range(5)], lambda p: calls.append(p.name))
    with ahead:
        seen = [(path.name, done) for path, done in ahead]
    assert seen == [(f"f{i}", None) for i in range(5)] and calls == []


def test_files_parsed_ahead_come_back_in_order_with_their_errors() -> None:
    calls: list[str] = []
    started = threading.Event()

    def prepare(path: Path) -> str:
        calls.append(path.name)
        started.set()
        if path.name == "f2":
            raise ValueError("f2 is bad")
        return path.name.upper()

    paths = [Path(f"f{i}") for i in range(6)]
    with ReadAhead(paths, prepare) as ahead:
        items = iter(ahead)
        assert next(items) == (paths[0], None)  # the caller's own: the gate was closed
        ahead.allow(True)
        assert started.wait(WAIT)
        with ahead._cond:  # let it run to the end of the list, then close the gate
            assert ahead._cond.wait_for(lambda: len(ahead._done) == 5, WAIT)
        ahead.allow(False)
        rest = list(items)
    assert [p for p, _ in rest] == paths[1:]
    assert all(done is not None and done.path == p for p, done in rest)
    assert [done.value for _, done in rest if done and done.error is None] == [
        "F1", "F3", "F4", "F5"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="f2 is bad"):
        rest[1][1].get()  # type: ignore[union-attr]
    assert calls == ["f1", "f2", "f3", "f4", "f5"]  # each file once, f0 never (the caller's)


def test_the_worker_stays_at_most_ahead_files_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ReadAhead, "AHEAD", 2)
    calls: list[str] = []
    two = threading.Event()

    def prepare(path: Path) -> str:
        calls.append(path.name)
        if len(calls) == 2:
            two.set()
        return path.name

    paths = [Path(f"f{i}") for i in range(6)]
    with ReadAhead(paths, prepare) as ahead:
        items = iter(ahead)
        next(items)  # the caller is at f0
        ahead.allow(True)
        assert two.wait(WAIT)
        with ahead._cond:
            claimed = ahead._claimed
        ahead.allow(False)
        assert claimed == 3 and calls == ["f1", "f2"]  # f1 and f2: two ahead of f0
        rest = list(items)
    assert [p.name for p, _ in rest] == ["f1", "f2", "f3", "f4", "f5"]
    assert [d is not None for _, d in rest] == [True, True, False, False, False]


def test_an_import_keeps_its_journals_in_memory_and_puts_the_setting_back(
    tmp_path: Path,
) -> None:
    db = open_db(tmp_path / "p.db")
    before = db.execute("PRAGMA temp_store").fetchone()[0]
    during: list[int] = []
    import_paths(db, [DAYS], progress=lambda _: during.append(
        db.execute("PRAGMA temp_store").fetchone()[0]))  # fmt: skip
    assert during == [2, 2, 2] and before != 2  # 2 = MEMORY
    assert db.execute("PRAGMA temp_store").fetchone()[0] == before
