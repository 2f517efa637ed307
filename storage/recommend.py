"""The recommender's rows: each paper's term counts, the corpus's document frequencies, the
papers a recommendation may offer, and each user's votes (reactions on the thread's papers).

Vectors are bytes here (numpy arrays' raw buffers, never pickles: loading a pickle runs
code, and a database file is not a place to trust code from); `bot/recommend/` gives them
meaning. They live in the database, not a file beside it, so a paper and its vector are
backed up, copied and deleted together, and an incremental update is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from storage.sql import like_escape, placeholders
from storage.tx import transaction
from storage.users import UserKey

_WHERE = "platform = ? AND workspace_id = ? AND user_id = ?"
BATCH = 500  # ids per IN list: far under SQLite's parameter limit


@dataclass(frozen=True, slots=True)
class StoredVector:
    paper_id: str
    terms: bytes
    counts: bytes


@dataclass(frozen=True, slots=True)
class Corpus:
    n_features: int
    docs: int
    df: bytes


def _batches(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


# --- the index ---------------------------------------------------------------------------------
def stale_ids(db: sqlite_utils.Database, ids: Sequence[str] | None = None) -> list[str]:
    """Papers (of `ids`, else all) with no vector yet, or one made before their title or
    abstract last changed."""
    sql = (
        "SELECT p.id FROM papers p LEFT JOIN rec_vectors v ON v.paper_id = p.id"
        " WHERE (v.paper_id IS NULL OR v.stale)"
    )
    if ids is None:
        return [r[0] for r in db.execute(sql + " ORDER BY p.rowid").fetchall()]
    out: list[str] = []
    for chunk in _batches(list(dict.fromkeys(ids))):
        out += [r[0] for r in db.execute(f"{sql} AND p.id IN ({placeholders(chunk)})", chunk)]
    return out


def paper_texts(db: sqlite_utils.Database, ids: Sequence[str]) -> list[dict[str, Any]]:
    """id, title and abstract of these papers."""
    rows: list[dict[str, Any]] = []
    for chunk in _batches(list(dict.fromkeys(ids))):
        rows += db.query(
            f"SELECT id, title, abstract FROM papers WHERE id IN ({placeholders(chunk)})",
            list(chunk),
        )
    return rows


def vectors(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, StoredVector]:
    out: dict[str, StoredVector] = {}
    for chunk in _batches(list(dict.fromkeys(ids))):
        for r in db.execute(
            "SELECT paper_id, terms, counts FROM rec_vectors"
            f" WHERE paper_id IN ({placeholders(chunk)})",
            list(chunk),
        ).fetchall():
            out[r[0]] = StoredVector(*r)
    return out


def corpus(db: sqlite_utils.Database) -> Corpus | None:
    row = db.execute("SELECT n_features, docs, df FROM rec_corpus WHERE id = 1").fetchone()
    return Corpus(*row) if row else None


def store_vectors(
    db: sqlite_utils.Database, rows: Sequence[StoredVector], new_corpus: Corpus
) -> None:
    """Write (or replace) these vectors and the corpus they leave, together."""
    with transaction(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO rec_vectors (paper_id, stale, terms, counts)"
            " VALUES (?, 0, ?, ?)",
            [(v.paper_id, v.terms, v.counts) for v in rows],
        )
        db.execute(
            "INSERT OR REPLACE INTO rec_corpus (id, n_features, docs, df) VALUES (1, ?, ?, ?)",
            [new_corpus.n_features, new_corpus.docs, new_corpus.df],
        )


def clear_index(db: sqlite_utils.Database) -> None:
    with transaction(db):
        db.execute("DELETE FROM rec_vectors")
        db.execute("DELETE FROM rec_corpus")


def indexed_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM rec_vectors").fetchone()[0]


# --- what may be recommended ---------------------------------------------------------------------
def recent_ids(db: sqlite_utils.Database, start: str, end: str) -> list[str]:
    """Papers listed by Hugging Face on a day from `start` to `end` (YYYY-MM-DD, inclusive) or
    published (announced, for arXiv's feed) then — newest first."""
    rows = db.execute(
        "SELECT id, MAX(d) AS d FROM ("
        " SELECT paper_id AS id, day AS d FROM daily_entries WHERE day BETWEEN ? AND ?"
        " UNION ALL SELECT id, substr(published_at, 1, 10) FROM paper_keys"
        " WHERE published_at >= ? AND published_at < ?)"
        " GROUP BY id ORDER BY d DESC, id DESC",
        [start, end, start, end + "\uffff"],
    ).fetchall()
    return [r[0] for r in rows]


def titles(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _batches(list(dict.fromkeys(ids))):
        out.update(
            db.execute(
                f"SELECT id, title FROM papers WHERE id IN ({placeholders(chunk)})", list(chunk)
            ).fetchall()
        )
    return out


def library_ids(db: sqlite_utils.Database, user: UserKey) -> list[str]:
    """The user's saved papers that are stored, newest saved first."""
    rows = db.execute(
        "SELECT l.paper_id FROM library l JOIN papers p ON p.id = l.paper_id"
        " WHERE l.platform = ? AND l.workspace_id = ? AND l.user_id = ?"
        " ORDER BY l.saved_at DESC, l.paper_id",
        user.params(),
    ).fetchall()
    return [r[0] for r in rows]


# --- votes -------------------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_vote(
    db: sqlite_utils.Database,
    user: UserKey,
    paper_id: str,
    reaction: str,
    vote: int,
    target: str | None = None,
) -> None:
    """Record one reaction (+1 or -1) of a user on a paper, cast in the channel `target` (the
    delivery target of the message reacted to); the same reaction twice is one."""
    with transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO votes (platform, workspace_id, user_id, paper_id, reaction,"
            " vote, voted_at, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [*user.params(), paper_id, reaction, vote, _now(), target],
        )


def remove_vote(db: sqlite_utils.Database, user: UserKey, paper_id: str, reaction: str) -> bool:
    with transaction(db):
        cur = db.execute(
            f"DELETE FROM votes WHERE {_WHERE} AND paper_id = ? AND reaction = ?",
            [*user.params(), paper_id, reaction],
        )
    return cur.rowcount > 0


def channel_upvotes(db: sqlite_utils.Database, target: str, ids: Sequence[str]) -> dict[str, int]:
    """paper id → how many people gave it a 👍/✅ in the channel `target`'s threads (papers
    with none left out): what leads the channel's roundup."""
    out: dict[str, int] = {}
    for chunk in _batches(list(dict.fromkeys(ids))):
        rows = db.execute(
            "SELECT paper_id, COUNT(DISTINCT user_id) FROM votes WHERE target = ? AND vote > 0"
            f" AND paper_id IN ({placeholders(chunk)}) GROUP BY paper_id",
            [target, *chunk],
        ).fetchall()
        out.update({r[0]: int(r[1]) for r in rows})
    return out


def user_votes(db: sqlite_utils.Database, user: UserKey) -> dict[str, int]:
    """paper id → the user's net vote on it (👍 ✅ +1, 👎 ❌ −1); zero sums left out."""
    rows = db.execute(
        f"SELECT paper_id, SUM(vote) FROM votes WHERE {_WHERE} GROUP BY paper_id"
        " HAVING SUM(vote) != 0 ORDER BY MAX(voted_at) DESC, paper_id",
        user.params(),
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


# --- the "Recommended for you" DM section ------------------------------------------------------
def recommend_dm(db: sqlite_utils.Database, user: UserKey) -> bool:
    row = db.execute(
        f"SELECT recommend_dm FROM user_prefs WHERE {_WHERE}", user.params()
    ).fetchone()
    return bool(row and row[0])


def set_recommend_dm(db: sqlite_utils.Database, user: UserKey, on: bool) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO user_prefs (platform, workspace_id, user_id, alerts, recommend_dm,"
            " updated_at) VALUES (?, ?, ?, 'off', ?, ?) ON CONFLICT (platform, workspace_id,"
            " user_id) DO UPDATE SET recommend_dm = excluded.recommend_dm,"
            " updated_at = excluded.updated_at",
            [*user.params(), int(on), _now()],
        )


def recommend_dm_users(db: sqlite_utils.Database) -> list[tuple[str, str, str]]:
    """(platform, workspace_id, user_id) of everyone whose daily alert DM carries the section:
    DM alerts on and `alerts recommend on`."""
    rows = db.execute(
        "SELECT platform, workspace_id, user_id FROM user_prefs"
        " WHERE recommend_dm = 1 AND alerts = 'dm' ORDER BY platform, workspace_id, user_id"
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def sent_message(db: sqlite_utils.Database, target: str, message_id: str) -> tuple[str, str] | None:
    """(item, the exact target it went to) the delivery ledger sent to `target` as message
    `message_id` (the item a paper id, or "parent" and the like, which the caller tells
    apart). A `target` ending in ":" is a whole workspace (a Discord thread's messages are
    filed under the channel it hangs from, and message ids are unique across Discord)."""
    where = "target = ?" if not target.endswith(":") else "target LIKE ? ESCAPE '\\'"
    param = target if not target.endswith(":") else like_escape(target) + "%"
    row = db.execute(
        f"SELECT item, target FROM deliveries WHERE {where} AND message_id = ? AND status = 'sent'"
        " ORDER BY day DESC LIMIT 1",
        [param, message_id],
    ).fetchone()
    return (row[0], row[1]) if row else None
