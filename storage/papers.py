"""Papers and daily lists: upserts that never duplicate, and the reads the commands need.

Rows store list fields as JSON text plus a joined `*_text` copy for the FTS index.
Functions take plain dicts or attribute objects so `storage` stays free of `bot` imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from storage.sql import like_escape, placeholders
from storage.tx import transaction

LIST_FIELDS = ("authors", "ai_keywords", "categories")
SCALAR_FIELDS = (
    "title",
    "abstract",
    "published_at",
    "upvotes",
    "num_comments",
    "ai_summary",
    "github_repo",
    "github_stars",
    "project_page",
    "organization",
    "organization_name",  # migration 006
    "thumbnail",  # migration 006
    "submitted_by",  # migration 006
    "primary_category",
    "version",
    "comment",
    "doi",
    "journal_ref",
)


_HF = {"source": "hf"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def paper_row(paper: Any) -> dict[str, Any]:
    """A `papers` row from a Paper-like object; empty values are left out so merges keep data."""
    row: dict[str, Any] = {"id": paper.id}
    for f in SCALAR_FIELDS:
        v = getattr(paper, f, None)
        if v is not None and v != "":
            row[f] = v
    for f in LIST_FIELDS:
        v = tuple(getattr(paper, f, ()) or ())
        if v:
            row[f] = json.dumps(list(v), ensure_ascii=False)
    if "authors" in row:
        row["authors_text"] = ", ".join(paper.authors)
    if "ai_keywords" in row:
        row["keywords_text"] = ", ".join(paper.ai_keywords)
    return row


def upsert_papers(
    db: sqlite_utils.Database,
    papers: Iterable[Any],
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> int:
    """Insert or merge papers by id; fields a source did not send keep their stored values.

    `extra[id]` adds columns the model does not carry (`source`, `arxiv_announced`) to that
    paper's row, written in the same statement (a second UPDATE would re-index its text)."""
    count = 0
    now = _now()
    papers = list(papers)
    with transaction(db):
        stored = _stored_ids(db, [p.id for p in papers])  # one lookup, not one per paper
        for p in papers:
            row = paper_row(p)
            if extra and p.id in extra:
                row.update(extra[p.id])
            row["updated_at"] = now
            if p.id in stored:
                # Only a row that differs is written: an unchanged paper (re-import, refetch)
                # costs no rewrite and no FTS churn; updated_at is when it last changed.
                cols = [c for c in row if c not in ("id", "updated_at")]
                values = [row[c] for c in cols]
                sets = ", ".join(f"[{c}] = ?" for c in cols)
                differs = " OR ".join(f"[{c}] IS NOT ?" for c in cols) or "0"
                db.execute(
                    f"UPDATE papers SET {sets}, [updated_at] = ? WHERE id = ? AND ({differs})",
                    [*values, now, p.id, *values],
                )
            else:
                row.setdefault("abstract", "")
                cols = list(row)
                names = ", ".join(f"[{c}]" for c in cols)
                marks = ", ".join("?" for _ in cols)
                db.execute(f"INSERT INTO papers ({names}) VALUES ({marks})", [row[c] for c in cols])
                stored.add(p.id)  # the same paper twice in one call: the second merges
            count += 1
    return count


_ID_BATCH = 500  # ids per lookup (SQLite's default variable limit is far above it)


def _stored_ids(db: sqlite_utils.Database, ids: Sequence[str]) -> set[str]:
    """Which of `ids` are stored papers."""
    found: set[str] = set()
    for i in range(0, len(ids), _ID_BATCH):
        chunk = ids[i : i + _ID_BATCH]
        sql = f"SELECT id FROM papers WHERE id IN ({placeholders(chunk)})"
        found.update(r for (r,) in db.execute(sql, chunk).fetchall())
    return found


def upsert_day(
    db: sqlite_utils.Database, day: str, papers: Sequence[Any], seen_at: str | None = None
) -> int:
    """Store `papers` as `day`'s list: ranked by upvotes, snapshot refreshed, no duplicates.

    The papers and their day entries commit together: a day is never half stored."""
    ranked = sorted(papers, key=lambda p: (-(p.upvotes or 0), p.id))
    seen = seen_at or _now()
    with transaction(db):
        # Listed by HF: an HF paper from now on, even if arXiv's feed brought it first.
        upsert_papers(db, papers, {p.id: _HF for p in papers})
        db.conn.executemany(
            "INSERT INTO daily_entries (day, paper_id, rank, upvotes, seen_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(day, paper_id) DO UPDATE SET rank = excluded.rank,"
            " upvotes = excluded.upvotes, seen_at = excluded.seen_at",
            [(day, p.id, rank, p.upvotes, seen) for rank, p in enumerate(ranked, 1)],
        )
    return len(ranked)


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with its JSON list columns decoded (a corrupt value reads as empty)."""
    out = dict(row)
    for f in LIST_FIELDS:
        raw = out.get(f)
        if isinstance(raw, str):
            try:
                value = json.loads(raw) if raw else []
            except ValueError:
                value = []
            out[f] = [str(v) for v in value] if isinstance(value, list) else []
    return out


def _decoded(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [decode_row(r) for r in rows]


def get_paper_row(db: sqlite_utils.Database, paper_id: str) -> dict[str, Any] | None:
    rows = _decoded(db.query("SELECT * FROM papers WHERE id = ?", [paper_id]))
    return rows[0] if rows else None


def day_rows(db: sqlite_utils.Database, day: str) -> list[dict[str, Any]]:
    """A day's papers, most upvoted first (the day's own upvote snapshot)."""
    return _decoded(
        db.query(
            "SELECT papers.*, d.upvotes AS day_upvotes FROM daily_entries d"
            " JOIN papers ON papers.id = d.paper_id WHERE d.day = ?"
            " ORDER BY COALESCE(papers.upvotes, d.upvotes, 0) DESC, papers.id",
            [day],
        )
    )


# The page first, from narrow rows (the ids index and paper_keys), whole rows for it alone.
_DAY_PAGE = (
    "SELECT papers.*, page.day_upvotes FROM (SELECT p.rowid AS r, d.upvotes AS day_upvotes,"
    " COALESCE(k.upvotes, d.upvotes, 0) AS up, p.id AS pid FROM daily_entries d"
    " JOIN papers p ON p.id = d.paper_id JOIN paper_keys k ON k.paper_rowid = p.rowid"
    " WHERE d.day = ? ORDER BY up DESC, pid LIMIT ?) AS page"
    " JOIN papers ON papers.rowid = page.r ORDER BY page.up DESC, page.pid"
)
_TOP_PAGE = (
    "SELECT papers.*, page.last_day FROM (SELECT p.rowid AS r, MAX(d.day) AS last_day,"
    " COALESCE(k.upvotes, 0) AS up, p.id AS pid FROM daily_entries d"
    " JOIN papers p ON p.id = d.paper_id JOIN paper_keys k ON k.paper_rowid = p.rowid"
    " WHERE d.day BETWEEN ? AND ? GROUP BY p.rowid ORDER BY up DESC, pid LIMIT ?) AS page"
    " JOIN papers ON papers.rowid = page.r ORDER BY page.up DESC, page.pid"
)


def day_page(db: sqlite_utils.Database, day: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """How many papers `day` lists, and its `limit` most upvoted (as `day_rows` orders them),
    reading whole rows only for those."""
    (n,) = db.execute("SELECT COUNT(*) FROM daily_entries WHERE day = ?", [day]).fetchone()
    return n, _decoded(db.query(_DAY_PAGE, [day, limit]))


def top_page(db: sqlite_utils.Database, day_from: str, day_to: str, limit: int) -> list[dict]:
    """`top_rows`, reading whole rows only for the page."""
    return _decoded(db.query(_TOP_PAGE, [day_from, day_to, limit]))


def latest_day(db: sqlite_utils.Database, on_or_before: str | None = None) -> str | None:
    sql = "SELECT MAX(day) FROM daily_entries"
    params: list[Any] = []
    if on_or_before:
        sql += " WHERE day <= ?"
        params.append(on_or_before)
    return db.execute(sql, params).fetchone()[0]


def top_rows(db: sqlite_utils.Database, day_from: str, day_to: str, limit: int) -> list[dict]:
    """Most upvoted papers that appeared on a daily list between two days, inclusive."""
    return _decoded(
        db.query(
            "SELECT papers.*, MAX(d.day) AS last_day FROM daily_entries d"
            " JOIN papers ON papers.id = d.paper_id WHERE d.day BETWEEN ? AND ?"
            " GROUP BY papers.id ORDER BY COALESCE(papers.upvotes, 0) DESC, papers.id LIMIT ?",
            [day_from, day_to, limit],
        )
    )


def recent_papers(db: sqlite_utils.Database, prefix: str, limit: int) -> list[dict[str, Any]]:
    """For autocomplete: recent papers whose id or title starts with / contains `prefix`."""
    like = f"%{like_escape(prefix)}%"
    return list(
        db.query(
            "SELECT papers.id, papers.title FROM papers"
            " LEFT JOIN (SELECT paper_id, MAX(day) AS day FROM daily_entries GROUP BY paper_id) d"
            " ON d.paper_id = papers.id"
            " WHERE papers.id LIKE ? ESCAPE '\\' OR papers.title LIKE ? ESCAPE '\\'"
            " ORDER BY d.day DESC, papers.upvotes DESC LIMIT ?",
            [like, like, limit],
        )
    )


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {
        "papers": db["papers"].count,
        "days": db.execute("SELECT COUNT(DISTINCT day) FROM daily_entries").fetchone()[0],
        # papers on a daily list; the rest were stored by a search or a lookup (`show <id>`)
        "listed": db.execute("SELECT COUNT(DISTINCT paper_id) FROM daily_entries").fetchone()[0],
        "daily_entries": db["daily_entries"].count,
    }


def unenriched(db: sqlite_utils.Database, ids: Sequence[str]) -> list[str]:
    """Those of `ids` that arXiv has not enriched yet (unknown ids included), in order."""
    if not ids:
        return []
    rows = db.execute(
        f"SELECT id FROM papers WHERE id IN ({placeholders(ids)})"
        " AND arxiv_enriched_at IS NOT NULL",
        list(ids),
    ).fetchall()
    done = {r[0] for r in rows}
    return [i for i in ids if i not in done]


def mark_enriched(db: sqlite_utils.Database, ids: Iterable[str], at: str) -> None:
    ids = list(ids)
    if ids:
        db.execute(
            f"UPDATE papers SET arxiv_enriched_at = ? WHERE id IN ({placeholders(ids)})",
            [at, *ids],
        )
