"""The page reads (`day_page`, `top_page`) return exactly the head of the full reads, in order."""

from __future__ import annotations

from bot.model import Paper
from storage import open_db
from storage import papers as paper_store


def _db():
    db = open_db(None)
    day1 = [Paper(f"2501.{i:05d}", f"P{i}", upvotes=(i * 7) % 11 or None) for i in range(30)]
    day2 = [Paper(f"2501.{i:05d}", f"P{i}", upvotes=i % 5) for i in range(20, 45)]
    paper_store.upsert_day(db, "2025-01-01", day1)
    paper_store.upsert_day(db, "2025-01-02", day2)
    # a paper whose own upvotes are unknown sorts by the day's snapshot
    db.execute("UPDATE papers SET upvotes = NULL WHERE id = '2501.00003'")
    return db


def test_day_page_is_the_head_of_day_rows() -> None:
    db = _db()
    for day in ("2025-01-01", "2025-01-02", "2025-01-03"):
        full = paper_store.day_rows(db, day)
        for limit in (1, 5, 10, 100):
            total, rows = paper_store.day_page(db, day, limit)
            assert total == len(full)
            assert rows == full[:limit], (day, limit)


def test_top_page_is_top_rows() -> None:
    db = _db()
    for start, end in [("2025-01-01", "2025-01-02"), ("2025-01-02", "2025-01-02")]:
        for limit in (1, 10, 100):
            assert paper_store.top_page(db, start, end, limit) == paper_store.top_rows(
                db, start, end, limit
            )
