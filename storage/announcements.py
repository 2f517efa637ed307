"""arXiv's announcements in the papers table: what is stored of them, and a day's papers.

A paper only arXiv announced has `source` "arxiv" and no `daily_entries` row, so the daily
thread, `today`, `top` and the days the bot counts stay Hugging Face's; search and alerts read
`papers` and so see both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from storage.papers import decode_row
from storage.sql import placeholders


def stored(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored rows among `ids` (decoded), keyed by id, in batches SQLite accepts."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        batch = list(ids[start : start + 500])
        for row in db.query(f"SELECT * FROM papers WHERE id IN ({placeholders(batch)})", batch):
            out[row["id"]] = decode_row(row)
    return out


def arxiv_day_rows(db: sqlite_utils.Database, day: str) -> list[dict[str, Any]]:
    """The papers arXiv first announced on `day` that Hugging Face has not listed, by id.

    A paper HF lists is matched on its HF day, so it is never alerted twice."""
    return [
        decode_row(r)
        for r in db.query(
            "SELECT * FROM papers WHERE arxiv_announced = ? AND source = 'arxiv' ORDER BY id",
            [day],
        )
    ]
