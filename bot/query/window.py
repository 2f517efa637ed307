"""The papers listed in a range of days, as rowid bounds, and whether a search's newest hit
says by itself that some hit is listed there.

Gathering a range's rowids (every daily entry of 30 days, each joined to its paper) costs a
few milliseconds at 100,000 papers, and `search`'s "matches nothing lately" note, `topics`
and `subscribe` all ask for the same range, which changes only when papers or days are
written. So the bounds are kept per database connection, keyed by the range and by what
says the database changed: the connection's own `total_changes` and `PRAGMA data_version`
(which moves when another connection commits; https://www.sqlite.org/pragma.html#pragma_data_version);
nothing read inside an open transaction is kept, as a rollback moves neither.

`listed_between` is the note's shortcut (docs/benchmarks.md "Search"): a search already
knows its newest hit (candidates are walked newest rowid first). If that paper is listed in
the range, some hit is; if every paper listed in the range is newer than it (a smaller
rowid than the range's smallest), none is: no count is needed either way. Otherwise (a
paper listed again keeps its old rowid, one stored by a search fallback sits among them)
the caller counts.
"""

from __future__ import annotations

import weakref
from typing import NamedTuple

import sqlite_utils

WINDOW = (
    "win(r) AS MATERIALIZED (SELECT DISTINCT papers.rowid FROM daily_entries"
    " JOIN papers ON papers.id = daily_entries.paper_id"
    " WHERE daily_entries.day >= ? AND daily_entries.day <= ?)"
)
_LISTED = (
    "SELECT EXISTS (SELECT 1 FROM paper_keys"
    " JOIN daily_entries ON daily_entries.paper_id = paper_keys.id"
    " WHERE paper_keys.paper_rowid = ? AND daily_entries.day >= ? AND daily_entries.day <= ?)"
)


class Bounds(NamedTuple):
    """The smallest and largest rowid of the papers listed in a range, and how many there
    are (lo and hi None when none is)."""

    lo: int | None
    hi: int | None
    n: int

    @property
    def run(self) -> bool:
        """Whether those papers are exactly the rowids lo..hi (days arrived one by one)."""
        return self.n > 0 and self.hi - self.lo + 1 == self.n


_CACHE: weakref.WeakKeyDictionary[sqlite_utils.Database, tuple[tuple, Bounds]] = (
    weakref.WeakKeyDictionary()
)


def window_bounds(db: sqlite_utils.Database, day_from: str, day_to: str) -> Bounds:
    """The rowid bounds of the papers listed between the two days (inclusive)."""
    version = db.execute("PRAGMA data_version").fetchone()[0]
    key = (day_from, day_to, db.conn.total_changes, version)
    cached = _CACHE.get(db)
    if cached is not None and cached[0] == key:
        return cached[1]
    row = db.execute(
        f"WITH {WINDOW} SELECT MIN(r), MAX(r), COUNT(*) FROM win", [day_from, day_to]
    ).fetchone()
    bounds = Bounds(*row)
    if not db.conn.in_transaction:  # what a transaction saw may yet be rolled back
        _CACHE[db] = (key, bounds)
    return bounds


def listed_between(
    db: sqlite_utils.Database, newest: int | None, day_from: str, day_to: str
) -> bool | None:
    """Whether some hit of a search whose newest hit (by rowid) is `newest` is listed
    between the two days: True or False when that paper's rowid tells, None when only a
    count can (or the search had no hit)."""
    if newest is None:
        return None
    bounds = window_bounds(db, day_from, day_to)
    if not bounds.n or newest < bounds.lo:
        return False
    if db.execute(_LISTED, [newest, day_from, day_to]).fetchone()[0]:
        return True
    return None
