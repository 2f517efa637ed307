"""SQLite FTS5 itself as the oracle of what a text indexes to."""

from __future__ import annotations

import sqlite3


def sqlite_terms(texts: list[str], tokenize: str = "porter") -> list[list[str]]:
    """The terms FTS5 indexes for each text, in order."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{tokenize}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", list(enumerate(texts, 1)))
    out: list[list[str]] = [[] for _ in texts]
    for doc, term in conn.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        out[doc - 1].append(term)
    conn.close()
    return out
