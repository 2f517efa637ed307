"""The summary cache (per paper), the day overviews (per day) and the LLM call budget.

Each read returns plain tuples so the summary chain above stays free of SQL.
"""

from __future__ import annotations

import sqlite_utils

# One statement, so the check and the increment cannot race: the upsert only touches the row
# while it is below the cap, and `changes()` tells whether a call was granted.
_SPEND = (
    "INSERT INTO llm_usage (day, calls) VALUES (?, 1) "
    "ON CONFLICT(day) DO UPDATE SET calls = calls + 1 WHERE calls < ?"
)


def get_summary(db: sqlite_utils.Database, paper_id: str) -> tuple[str, str, str] | None:
    """(text, source, model) cached for a paper, or None."""
    row = db.execute(
        "SELECT text, source, model FROM summaries WHERE paper_id = ?", [paper_id]
    ).fetchone()
    return (row[0] or "", row[1] or "", row[2] or "") if row else None


def put_summary(
    db: sqlite_utils.Database, paper_id: str, text: str, source: str, model: str, at: str
) -> None:
    db.execute(
        "INSERT INTO summaries (paper_id, text, source, model, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(paper_id) DO UPDATE SET text = excluded.text, source = excluded.source,"
        " model = excluded.model, created_at = excluded.created_at",
        [paper_id, text, source, model, at],
    )


def get_overview(db: sqlite_utils.Database, day: str) -> tuple[str, str] | None:
    """(text, source) of a day's cached overview, or None."""
    row = db.execute("SELECT text, source FROM day_overviews WHERE day = ?", [day]).fetchone()
    return (row[0] or "", row[1] or "llm") if row else None


def put_overview(db: sqlite_utils.Database, day: str, text: str, source: str, at: str) -> None:
    db.execute(
        "INSERT INTO day_overviews (day, text, source, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(day) DO UPDATE SET text = excluded.text, source = excluded.source,"
        " created_at = excluded.created_at",
        [day, text, source, at],
    )


def spend_llm_call(db: sqlite_utils.Database, day: str, max_calls: int) -> bool:
    """Count one LLM call on `day` and return True, or False when `max_calls` are used up."""
    return db.execute(_SPEND, [day, max_calls]).rowcount == 1


def llm_calls(db: sqlite_utils.Database, day: str) -> int:
    row = db.execute("SELECT calls FROM llm_usage WHERE day = ?", [day]).fetchone()
    return int(row[0]) if row else 0
