"""The "matches nothing lately" shortcut (bot/query/window.py): a search's newest hit says
whether any hit is listed in a range of days without counting, and only when it can."""

from __future__ import annotations

from pathlib import Path

from bot.model import Paper
from bot.query import parse_query
from bot.query.search import recent_counts, search_page
from bot.query.window import listed_between, window_bounds
from storage.db import open_db
from storage.papers import upsert_day, upsert_papers
from storage.tx import transaction
from tests.support.search import make_db

OLD = Paper("2401.00001", "Zebrafish atlas", "zebrafish larvae")
NEWS = [Paper(f"2402.{i:05d}", f"Vision paper {i}", "vision") for i in range(3)]


def _listed(db, text: str, lo: str, hi: str) -> bool | None:
    return listed_between(db, search_page(db, parse_query(text)).newest, lo, hi)


def test_a_hit_listed_in_the_range_says_yes_and_only_older_ones_say_no() -> None:
    db = make_db({"2024-01-01": [OLD], "2024-02-01": NEWS})
    assert _listed(db, "vision", "2024-02-01", "2024-02-28") is True
    assert _listed(db, "zebrafish", "2024-02-01", "2024-02-28") is False
    assert _listed(db, "zebrafish", "2024-01-01", "2024-02-28") is True
    assert _listed(db, "zebrafish", "2025-01-01", "2025-01-31") is False  # nothing listed
    assert listed_between(db, None, "2024-02-01", "2024-02-28") is None  # no hit at all


def test_an_old_paper_listed_again_leaves_it_to_the_count() -> None:
    # OLD keeps its first rowid when listed again, so the range starts at it: a hit newer
    # than OLD but listed only before the range cannot be judged by its rowid.
    later = Paper("2401.00002", "Zebrafish fins", "zebrafish fins")
    db = make_db({"2024-01-01": [OLD], "2024-01-02": [later], "2024-02-01": [OLD, *NEWS]})
    assert _listed(db, "zebrafish", "2024-02-01", "2024-02-28") is None
    assert recent_counts(db, [parse_query("zebrafish")], "2024-02-01", "2024-02-28") == [1]
    assert _listed(db, "fins", "2024-02-01", "2024-02-28") is None
    assert recent_counts(db, [parse_query("fins")], "2024-02-01", "2024-02-28") == [0]


def test_a_paper_stored_outside_any_day_is_not_taken_as_listed() -> None:
    db = make_db({"2024-01-01": [OLD], "2024-02-01": NEWS})
    upsert_papers(db, [Paper("2402.09999", "Zebrafish hearts", "zebrafish")])  # a fallback hit
    assert _listed(db, "zebrafish", "2024-02-01", "2024-02-28") is None


def test_the_bounds_follow_writes_on_the_same_connection() -> None:
    db = make_db({"2024-01-01": [OLD]})
    assert window_bounds(db, "2024-02-01", "2024-02-28").n == 0
    upsert_day(db, "2024-02-01", NEWS)
    assert window_bounds(db, "2024-02-01", "2024-02-28").n == 3
    assert _listed(db, "vision", "2024-02-01", "2024-02-28") is True


def test_the_bounds_follow_another_connections_commits(tmp_path: Path) -> None:
    path = str(tmp_path / "papers.db")
    reader, writer = open_db(path), open_db(path)
    upsert_day(writer, "2024-01-01", [OLD])
    assert window_bounds(reader, "2024-02-01", "2024-02-28").n == 0
    upsert_day(writer, "2024-02-01", NEWS)
    assert window_bounds(reader, "2024-02-01", "2024-02-28").n == 3
    assert recent_counts(reader, [parse_query("vision")], "2024-02-01", "2024-02-28") == [3]


def test_bounds_read_inside_a_rolled_back_transaction_are_not_kept() -> None:
    db = make_db({"2024-01-01": [OLD]})

    class Undo(Exception):
        pass

    try:
        with transaction(db):
            upsert_day(db, "2024-02-01", NEWS)
            assert window_bounds(db, "2024-02-01", "2024-02-28").n == 3
            raise Undo
    except Undo:
        pass
    assert window_bounds(db, "2024-02-01", "2024-02-28").n == 0
