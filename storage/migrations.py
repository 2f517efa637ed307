"""Ordered schema migrations. Append only: a released migration never changes the schema it
makes (001 and 002 were made idempotent — "create if missing" — so they also finish a database
that a crash left half-migrated before migrations were transactional; the schema they give a new
database is unchanged, and tests/storage/test_migrations.py holds it to a recorded copy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

FTS_COLUMNS = ["title", "abstract", "keywords_text", "authors_text"]


_USER = {"platform": str, "workspace_id": str, "user_id": str}
_USER_PK = ("platform", "workspace_id", "user_id")

# The first schema as data: table → (columns, create() options). Kept exactly as released.
_INITIAL_TABLES: dict[str, tuple[dict[str, type], dict[str, Any]]] = {
    "papers": (
        {
            "id": str,
            "title": str,
            "abstract": str,
            "authors": str,  # JSON list of names
            "authors_text": str,  # names joined for FTS
            "published_at": str,
            "upvotes": int,
            "num_comments": int,
            "ai_summary": str,
            "ai_keywords": str,  # JSON list
            "keywords_text": str,  # keywords joined for FTS
            "github_repo": str,
            "github_stars": int,
            "project_page": str,
            "organization": str,
            "categories": str,  # JSON list, primary first
            "primary_category": str,
            "version": int,
            "comment": str,
            "doi": str,
            "journal_ref": str,
            "arxiv_enriched_at": str,
            "updated_at": str,
        },
        {"pk": "id", "not_null": {"title"}},
    ),
    "daily_entries": (
        {"day": str, "paper_id": str, "rank": int, "upvotes": int, "seen_at": str},
        {"pk": ("day", "paper_id"), "foreign_keys": [("paper_id", "papers", "id")]},
    ),
    "summaries": (
        {"paper_id": str, "text": str, "source": str, "model": str, "created_at": str},
        {"pk": "paper_id"},
    ),
    "day_overviews": (
        {"day": str, "text": str, "source": str, "created_at": str},
        {"pk": "day"},
    ),
    "channels": (
        {
            "platform": str,
            "workspace_id": str,
            "channel_id": str,
            "enabled": int,
            "time": str,
            "timezone": str,
            "days": str,  # "mon,tue,..."
            "min_upvotes": int,
            "max_papers": int,
            "filter": str,
            "post_empty": int,
            "paused_reason": str,
            "updated_by": str,
            "updated_at": str,
        },
        {"pk": ("platform", "workspace_id", "channel_id")},
    ),
    "topics": ({"id": int, **_USER, "query": str, "created_at": str}, {"pk": "id"}),
    "user_prefs": (
        # alerts: "off" | "dm" | "thread"
        {**_USER, "alerts": str, "dm_time": str, "updated_at": str},
        {"pk": _USER_PK},
    ),
    "library": (
        {**_USER, "paper_id": str, "saved_at": str},
        {"pk": (*_USER_PK, "paper_id")},
    ),
    "deliveries": (
        {
            "target": str,  # "slack:T1:C1" or "slack:T1:dm:U1"
            "day": str,
            "item": str,  # "parent" | paper id | "dm"
            "status": str,  # "pending" | "sent" | "failed"
            "message_id": str,
            "nonce": str,
            "reason": str,
            "attempts": int,
            "updated_at": str,
        },
        {"pk": ("target", "day", "item")},
    ),
    "audit_log": (
        {"id": int, "at": str, **_USER, "action": str, "detail": str},
        {"pk": "id"},
    ),
    "fetch_log": (
        {"source": str, "key": str, "fetched_at": str, "papers": int, "error": str},
        {"pk": ("source", "key")},
    ),
    "llm_usage": ({"day": str, "calls": int}, {"pk": "day"}),
}


def _m001_initial(db: sqlite_utils.Database) -> None:
    # Every step is "if missing", so the migration also completes a database that an old,
    # non-transactional run left half-migrated; on a new database the schema is the same.
    for name, (columns, options) in _INITIAL_TABLES.items():
        db[name].create(columns, **options, if_not_exists=True)
        if name == "papers":
            db["papers"].enable_fts(
                FTS_COLUMNS,
                fts_version="FTS5",
                create_triggers=True,
                tokenize="porter",
                replace=True,  # keeps a complete index, rebuilds one missing its triggers
            )
    db["daily_entries"].create_index(["paper_id"], if_not_exists=True)
    db["topics"].create_index(["platform", "workspace_id", "user_id"], if_not_exists=True)


def _m002_delivery_plan(db: sqlite_utils.Database) -> None:
    # The order a thread's items go out in, fixed when the thread is planned.
    if "position" not in db["deliveries"].columns_dict:
        db["deliveries"].add_column("position", int)
    db["deliveries"].create_index(["target", "status"], if_not_exists=True)


def _m003_dm_pause(db: sqlite_utils.Database) -> None:
    # Why a user's alert DMs stopped (a platform refused them for good); NULL while they flow.
    db["user_prefs"].add_column("dm_paused_reason", str)


def _m004_app_state(db: sqlite_utils.Database) -> None:
    # Small facts the bot keeps about itself between runs (e.g. the hash of the slash
    # commands last synced to Discord, so an unchanged tree is not sent again).
    db["app_state"].create({"key": str, "value": str, "updated_at": str}, pk="key")


# Indexes for search at scale (bot/query/search.py, docs/benchmarks.md "Search"):
# - papers_authors: trigrams of `authors_text` so `author:wang` finds its rows through an
#   index, not a scan of every row's JSON; content is read from `papers` itself, detail=none
#   keeps it small (rowids only) and LIKE on it still checks each candidate's text. Search
#   uses it only to narrow; the exact per-name test stays in SQL.
# - paper_keys: the columns search, `today` and `top` sort on, a few dozen bytes a row, so
#   ranking a thousand candidates reads a few pages instead of a thousand whole rows.
# - papers_organization: `org:` counts and searches find their rows by index.
# The first two are kept by triggers, whatever writes `papers`.
_SEARCH_INDEXES = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS papers_authors USING fts5(authors_text, content='papers',"
    " content_rowid='rowid', tokenize='trigram', detail=none)",
    "CREATE TRIGGER IF NOT EXISTS papers_authors_ai AFTER INSERT ON papers BEGIN"
    " INSERT INTO papers_authors (rowid, authors_text) VALUES (new.rowid, new.authors_text); END",
    "CREATE TRIGGER IF NOT EXISTS papers_authors_ad AFTER DELETE ON papers BEGIN"
    " INSERT INTO papers_authors (papers_authors, rowid, authors_text)"
    " VALUES ('delete', old.rowid, old.authors_text); END",
    "CREATE TRIGGER IF NOT EXISTS papers_authors_au AFTER UPDATE OF authors_text ON papers BEGIN"
    " INSERT INTO papers_authors (papers_authors, rowid, authors_text)"
    " VALUES ('delete', old.rowid, old.authors_text);"
    " INSERT INTO papers_authors (rowid, authors_text) VALUES (new.rowid, new.authors_text); END",
    "INSERT INTO papers_authors (papers_authors) VALUES ('rebuild')",
    "CREATE TABLE IF NOT EXISTS paper_keys (paper_rowid INTEGER PRIMARY KEY, upvotes INTEGER,"
    " published_at TEXT, id TEXT NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS paper_keys_ai AFTER INSERT ON papers BEGIN"
    " INSERT OR REPLACE INTO paper_keys VALUES"
    " (new.rowid, new.upvotes, new.published_at, new.id); END",
    "CREATE TRIGGER IF NOT EXISTS paper_keys_ad AFTER DELETE ON papers BEGIN"
    " DELETE FROM paper_keys WHERE paper_rowid = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS paper_keys_au"
    " AFTER UPDATE OF upvotes, published_at, id ON papers BEGIN"
    " UPDATE paper_keys SET upvotes = new.upvotes, published_at = new.published_at,"
    " id = new.id WHERE paper_rowid = new.rowid; END",
    "INSERT OR REPLACE INTO paper_keys SELECT rowid, upvotes, published_at, id FROM papers",
    # org: tests exactly this expression (bot/query/to_sql.py), so it can use the index.
    "CREATE INDEX IF NOT EXISTS papers_organization ON papers(lower(COALESCE(organization, '')))",
)


def _m005_search_indexes(db: sqlite_utils.Database) -> None:
    # "If not exists" throughout: databases built while this migration was numbered 003 (the
    # benchmarks' generated ones) already hold these indexes under another record.
    for sql in _SEARCH_INDEXES:
        db.execute(sql)


# The recommender (bot/recommend/): one row of term counts per paper, kept beside the paper
# row so it lands in the same database file and transaction and is rebuilt from it at will
# (a trigger marks it stale when the paper's title or abstract changes, whoever writes it);
# the corpus's document frequencies as one array; each user's votes (reactions on the
# thread's papers); whether their alert DM carries a "Recommended for you" section.
_RECOMMEND = (
    "CREATE TABLE IF NOT EXISTS rec_vectors (paper_id TEXT PRIMARY KEY,"
    " stale INTEGER NOT NULL DEFAULT 0, terms BLOB NOT NULL, counts BLOB NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS rec_vectors_stale AFTER UPDATE OF title, abstract ON papers"
    " WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN"
    " UPDATE rec_vectors SET stale = 1 WHERE paper_id = new.id; END",
    "CREATE TABLE IF NOT EXISTS rec_corpus (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " n_features INTEGER NOT NULL, docs INTEGER NOT NULL, df BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS votes (platform TEXT NOT NULL, workspace_id TEXT NOT NULL,"
    " user_id TEXT NOT NULL, paper_id TEXT NOT NULL, reaction TEXT NOT NULL,"
    " vote INTEGER NOT NULL, voted_at TEXT,"
    " PRIMARY KEY (platform, workspace_id, user_id, paper_id, reaction))",
    "CREATE INDEX IF NOT EXISTS paper_keys_published ON paper_keys(published_at)",
)


def _m010_recommend(db: sqlite_utils.Database) -> None:
    for sql in _RECOMMEND:
        db.execute(sql)
    if "recommend_dm" not in db["user_prefs"].columns_dict:
        db["user_prefs"].add_column("recommend_dm", int)


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", _m001_initial),
    ("002_delivery_plan", _m002_delivery_plan),
    ("003_dm_pause", _m003_dm_pause),
    ("004_app_state", _m004_app_state),
    ("005_search_indexes", _m005_search_indexes),
    ("010_recommend", _m010_recommend),
]
