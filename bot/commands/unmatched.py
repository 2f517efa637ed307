"""Why a query matches nothing lately: one sentence `subscribe`, `search` and `channel
enable filter` show, so a filter that cannot match says so instead of staying silent.

`cat:` is the trap this exists for: categories come only from arXiv enrichment, so on
imported days no paper has any and `cat:cs.CL` matches nothing, forever. The reason names
the part of the query that matches nothing in the last `RECENT_DAYS` days, and when it is a
filter whose data no stored paper has, what adds it.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core import Core
from bot.query.ast import Field, Flag, Node, Query, describe, positive_atoms
from bot.query.search import recent_counts
from bot.text import word_list
from storage.filled import any_stored_with

RECENT_DAYS = 30
_MISSING = {
    "cat": "no stored paper has arXiv categories yet — `paperbot fetch` adds them",
    "org": "no stored paper has an organisation yet — `paperbot fetch` adds them",
    "code": "no stored paper has a code repository yet — `paperbot fetch` adds them",
    "project": "no stored paper has a project page yet — `paperbot fetch` adds them",
}


def recent_window(core: Core) -> tuple[str, str] | None:
    """The last RECENT_DAYS days up to the latest stored day, or None when none is stored."""
    end = core.latest_day()
    if end is None:
        return None
    return (date.fromisoformat(end) - timedelta(days=RECENT_DAYS - 1)).isoformat(), end


def unmatched_notes(core: Core, q: Query | None, count: int | None = None) -> list[str]:
    """[] when `q` matches a paper of the last RECENT_DAYS days (`count` of them, when the
    caller has counted already), nothing is stored, or there is no query; else one line:
    "Note: it matches no paper of the last 30 days: no stored paper has arXiv categories…"."""
    window = recent_window(core)
    if q is None or window is None:
        return []
    if count is None:
        count = recent_counts(core.db, [q], *window)[0]
    if count:
        return []
    reason = unmatched_reason(core, q)
    why = f", because {reason}" if reason else ""
    return [f"Note: it matches no paper of the last {RECENT_DAYS} days{why}."]


def unmatched_reason(core: Core, q: Query) -> str:
    """Which part of `q` matches no paper of the last RECENT_DAYS days, and why ("" when
    every part matches some, or nothing is stored)."""
    window = recent_window(core)
    if window is None:
        return ""
    atoms = list(dict.fromkeys(positive_atoms(q.root)))
    for atom in atoms:
        missing = _missing_data(core, atom)
        if missing:
            return missing
    if len(atoms) == 1:
        return ""  # the query is its one part: "it matches none" says it all (nothing to count)
    counts = recent_counts(core.db, [Query(a, describe(a)) for a in atoms], *window)
    empty = [describe(a) for a, n in zip(atoms, counts, strict=True) if n == 0]
    if empty:
        verb = "matches" if len(empty) == 1 else "match"
        return f"{word_list(empty)} {verb} none of the last {RECENT_DAYS} days' papers"
    return f"each part matches some of the last {RECENT_DAYS} days' papers, but none matches all"


def _missing_data(core: Core, atom: Node) -> str:
    """The reason a filter can never match: no stored paper has what it reads."""
    key = None
    if isinstance(atom, Field) and atom.name in ("cat", "org") or isinstance(atom, Flag):
        key = atom.name
    if key is None or any_stored_with(core.db, key):
        return ""
    return _MISSING[key]
