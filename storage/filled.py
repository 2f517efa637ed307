"""Whether any stored paper has the data a filter reads (`cat:`, `org:`, `has:code`,
`has:project`), answered by an index.

Why: `subscribe`, `search` and `channel enable filter` explain a filter that matches nothing
("no stored paper has arXiv categories yet — `paperbot fetch` adds them"), and asked it with
`EXISTS (SELECT 1 FROM papers WHERE …)`. When no paper has the data, the usual case for
`cat:` on imported days, that reads every row: 80–110 ms at 100,000 papers, and `org:` 57 ms
where organisations arrived late (docs/benchmarks.md "Topics and subscribe"). A partial index
holds only the rows that have the data, so the question is one index probe, and on a database
of Hugging Face days alone the categories index stays empty and costs nothing to keep.
`org:` already has its index (migration 005), read through the same expression.
"""

from __future__ import annotations

import sqlite_utils

# What a filter needs stored to ever match. Each condition is written exactly as its index's
# WHERE, which is how SQLite knows the partial index answers it.
FILLED = {
    "cat": "categories IS NOT NULL AND categories NOT IN ('', '[]')",
    "org": "lower(COALESCE(organization, '')) > ''",  # papers_organization (migration 005)
    "code": "github_repo IS NOT NULL AND github_repo != ''",
    "project": "project_page IS NOT NULL AND project_page != ''",
}
_PARTIAL = {"cat": "papers_with_categories", "code": "papers_with_code",
            "project": "papers_with_project"}  # fmt: skip


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 018 (idempotent): the partial indexes."""
    for what, name in _PARTIAL.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON papers(id) WHERE {FILLED[what]}")


def any_stored_with(db: sqlite_utils.Database, what: str) -> bool:
    """Whether any stored paper has the data filter `what` (cat, org, code, project) reads."""
    return bool(
        db.execute(f"SELECT EXISTS (SELECT 1 FROM papers WHERE {FILLED[what]})").fetchone()[0]
    )
