"""Bulk writes that index their new papers in one pass: `with deferred_index(db): …`.

Why: every row inserted into `papers` fires the text indexes' triggers (`papers_fts`, the
porter index search uses, `papers_authors`, the trigram index of author names, and
`papers_heading`, titles and keywords alone), one index insert per row. A fresh import of the
393 recorded days spent two thirds of its time there, and one `INSERT … SELECT` per index over
the same rows is three times cheaper (measured in docs/benchmarks.md "Import"). So inside
`deferred_index` the triggers stand aside for the rows the block inserts, and the block's end
indexes them all at once.

How it stays correct: the triggers consult one row, `index_defer.after_rowid`. It is NULL
except inside a deferring transaction, where it holds the largest rowid stored before the
block; rows above it are the block's own (SQLite gives a new row the largest rowid + 1) and
are indexed at the end with their final values, so an update or delete of one of them in the
meantime must not touch the index either. The flag is set and cleared inside one
transaction, so no other connection ever sees it set and a crash rolls it back with the
rows: the index can never miss a committed paper. Every other writer goes through the
ordinary per-row path.

Its migration (`011_deferred_index`) also narrows the porter index's update trigger to the
indexed columns: a refetch that only changes upvotes, stars or comments no longer rewrites the
paper's index entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from storage.tx import transaction

_ON = "(SELECT after_rowid FROM index_defer)"
_PER_ROW = f"{_ON} IS NULL"
_OLD_ROW = f"({_ON} IS NULL OR old.rowid <= {_ON})"  # a row stored before the block


def _kept(index: str, columns: tuple[str, ...]) -> dict[str, str]:
    """The three triggers that keep external-content FTS5 table `index` (over `columns` of
    `papers`) in step: insert, delete, and an update that really changes an indexed column.
    `UPDATE … SET title = ?` fires `AFTER UPDATE OF title` even when the value is the same,
    and the upsert sets every column a source sent: only a real change may rewrite an entry.
    Rows a deferring block inserted are left to the block's end (`_INDEX_NEW`)."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    add = f"INSERT INTO {index} (rowid, {cols}) VALUES (new.rowid, {new});"
    drop = f"INSERT INTO {index} ({index}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    prefix = "papers" if index == "papers_fts" else index  # the porter index's names are older
    return {
        f"{prefix}_ai": f"AFTER INSERT ON papers WHEN {_PER_ROW} BEGIN {add} END",
        f"{prefix}_ad": f"AFTER DELETE ON papers WHEN {_OLD_ROW} BEGIN {drop} END",
        f"{prefix}_au": f"AFTER UPDATE OF {cols} ON papers WHEN {_OLD_ROW} AND ({changed})"
        f" BEGIN {drop} {add} END",
    }


# The text indexes of `papers`: the porter index search matches words in, the trigram index
# of author names (`author:`), and the heading index (below).
_INDEXES = {
    "papers_fts": ("title", "abstract", "keywords_text", "authors_text"),
    "papers_authors": ("authors_text",),
    # Migration 016: a paper's heading (title and keywords) in an index of its own, beside the
    # porter index that holds them with the abstract. Why: search scores a word 4 when it is
    # in the heading, and asked the porter index `{title keywords_text} : word` for every
    # candidate page, which reads the word's whole posting list, abstracts included ("model"
    # is in 96% of abstracts, far fewer headings): about 1.4 ms of a 5 ms median search at
    # 100,000 papers. Same tokenizer, same two columns from the same rows, so it answers
    # exactly what the column filter answered (tests/storage/test_heading_index.py).
    "papers_heading": ("title", "keywords_text"),
}
_TRIGGERS = {**_kept("papers_fts", _INDEXES["papers_fts"]),
             **_kept("papers_authors", _INDEXES["papers_authors"])}  # fmt: skip
_HEADING_TRIGGERS = _kept("papers_heading", _INDEXES["papers_heading"])
HEADING_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS papers_heading"
    f" USING fts5({', '.join(_INDEXES['papers_heading'])},"
    " content='papers', content_rowid='rowid', tokenize='porter')"
)
_INDEX_NEW = tuple(
    f"INSERT INTO {index} (rowid, {', '.join(cols)}) SELECT rowid, {', '.join(cols)}"
    " FROM papers WHERE rowid > ?"
    for index, cols in _INDEXES.items()
)


def migrate(db: sqlite_utils.Database) -> None:
    """Migration 011: the flag row and the triggers that consult it (idempotent: the
    triggers are replaced by name, the flag is created once)."""
    db.execute("CREATE TABLE IF NOT EXISTS index_defer (after_rowid INTEGER)")
    if db.execute("SELECT COUNT(*) FROM index_defer").fetchone()[0] == 0:
        db.execute("INSERT INTO index_defer (after_rowid) VALUES (NULL)")
    for name, body in _TRIGGERS.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(f"CREATE TRIGGER {name} {body}")


def migrate_heading(db: sqlite_utils.Database) -> None:
    """Migration 016: the heading index, filled from every stored paper, and its triggers
    (which stand aside inside `deferred_index` like the others). Idempotent."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'papers_heading'"
    ).fetchone()
    db.execute(HEADING_TABLE)
    if not exists:
        db.execute("INSERT INTO papers_heading (papers_heading) VALUES ('rebuild')")
    for name, body in _HEADING_TRIGGERS.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(f"CREATE TRIGGER {name} {body}")


@contextmanager
def deferred_index(db: sqlite_utils.Database) -> Iterator[None]:
    """Run the block in a transaction whose newly inserted papers are indexed once, at its
    end. Nested inside another deferring block it simply joins that one."""
    with transaction(db):
        (current,) = db.execute("SELECT after_rowid FROM index_defer").fetchone()
        if current is not None:
            yield
            return
        (before,) = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM papers").fetchone()
        db.execute("UPDATE index_defer SET after_rowid = ?", [before])
        yield
        for sql in _INDEX_NEW:
            db.execute(sql, [before])
        db.execute("UPDATE index_defer SET after_rowid = NULL")


@contextmanager
def journals_in_memory(db: sqlite_utils.Database) -> Iterator[None]:
    """Keep SQLite's statement and savepoint journals in memory for the block (`PRAGMA
    temp_store=MEMORY`), then put the setting back.

    Why: an import writes each day file under its own savepoint, and each paper's upsert
    (a statement with triggers) under a statement journal; SQLite writes the first change of
    every page inside them to a temporary file first. A fresh import of the 393 recorded days
    wrote 101,000 such pages to /var/tmp, five times what it wrote to the database, and in
    memory it is about a fifth faster (docs/benchmarks.md "Import"). These journals only undo
    a failed statement or file within the transaction and are never read after a crash (the
    WAL is), so memory loses nothing. Only around a bulk write: it would also keep big sorts'
    spill files in memory. SQLite refuses the change inside a transaction and drops the
    connection's TEMP tables and triggers on it, so with either the block runs as it is."""
    temp_objects = db.execute("SELECT EXISTS (SELECT 1 FROM sqlite_temp_schema)").fetchone()[0]
    if db.conn.in_transaction or temp_objects:
        yield
        return
    (before,) = db.execute("PRAGMA temp_store").fetchone()
    db.execute("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        db.execute(f"PRAGMA temp_store={int(before)}")
