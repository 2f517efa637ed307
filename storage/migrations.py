"""Ordered schema migrations. Append only: a released migration never changes the schema it
makes (001 and 002 were made idempotent — "create if missing" — so they also finish a database
that a crash left half-migrated before migrations were transactional; the schema they give a new
database is unchanged, and tests/storage/test_migrations.py holds it to a recorded copy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlite_utils

from storage import bulk, filled, import_log, topic_version

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


# What Hugging Face sends that a person picks papers by (#11), beside the organisation slug,
# stars, comments and project page the first schema already held.
_HF_SIGNAL_COLUMNS = {"organization_name": str, "thumbnail": str, "submitted_by": str}


def _m006_hf_signals(db: sqlite_utils.Database) -> None:
    # Column by column "if missing": a database that already has one (a renumbered copy of
    # this migration) still gets the others.
    existing = db["papers"].columns_dict
    for name, kind in _HF_SIGNAL_COLUMNS.items():
        if name not in existing:
            db["papers"].add_column(name, kind)


def _m013_org_name_index(db: sqlite_utils.Database) -> None:
    # `org:` takes the display name too ("NVIDIA", bot/query/to_sql.py): an OR of the two
    # lower-cased columns, each side found by its own index, as papers_organization does.
    db.execute(
        "CREATE INDEX IF NOT EXISTS papers_organization_name"
        " ON papers(lower(COALESCE(organization_name, '')))"
    )


def _m007_channel_style(db: sqlite_utils.Database) -> None:
    # How a channel's daily thread shows its papers: "full" cards (NULL reads as full) or
    # "compact" lines, several papers a reply. Column-exists check: idempotent whatever number
    # this migration ends up with.
    if "style" not in db["channels"].columns_dict:
        db["channels"].add_column("style", str)


_THREAD_LIVE = (
    "CREATE TABLE IF NOT EXISTS thread_live (target TEXT NOT NULL, day TEXT NOT NULL,"
    " item TEXT NOT NULL, late INTEGER NOT NULL DEFAULT 0, upvotes INTEGER, comments INTEGER,"
    " stars INTEGER, shown TEXT, edits INTEGER NOT NULL DEFAULT 0, updated_at TEXT,"
    " PRIMARY KEY (target, day, item))"
)


def _m008_live_threads(db: sqlite_utils.Database) -> None:
    # The live thread and the roundup (bot/daily/live.py, roundup.py): per channel whether
    # its thread is kept up to date (`live`, on unless turned off) and its roundup schedule
    # ("weekly fri 16:00", NULL: none); per posted message what it last showed (its counts,
    # the parent's fingerprint), whether it was appended after the morning, and its edits.
    # Column checks and IF NOT EXISTS: the migration may be renumbered at merge time.
    columns = db["channels"].columns_dict
    if "live" not in columns:
        db["channels"].add_column("live", int, not_null_default=1)
    if "roundup" not in columns:
        db["channels"].add_column("roundup", str)
    db.execute(_THREAD_LIVE)


def _m009_arxiv_source(db: sqlite_utils.Database) -> None:
    # arXiv's announcement feeds as a second source (bot/ingest.py): `source` says which list a
    # paper came from ("hf", the default every existing row gets without being rewritten, or
    # "arxiv" when only arXiv announced it), `arxiv_announced` the day arXiv first announced
    # it (new or cross-list; a replacement never sets it), which the day's alerts read by index.
    # Each user's alert scope ("hf" | "arxiv" | "all"; NULL = the default for the config).
    # Column checks and IF NOT EXISTS: the number may change when branches merge.
    papers = db["papers"].columns_dict
    if "source" not in papers:
        db.execute("ALTER TABLE papers ADD COLUMN source TEXT NOT NULL DEFAULT 'hf'")
    if "arxiv_announced" not in papers:
        db.execute("ALTER TABLE papers ADD COLUMN arxiv_announced TEXT")
    db.execute(
        "CREATE INDEX IF NOT EXISTS papers_arxiv_announced ON papers(arxiv_announced)"
        " WHERE arxiv_announced IS NOT NULL"
    )
    if "alerts_scope" not in db["user_prefs"].columns_dict:
        db.execute("ALTER TABLE user_prefs ADD COLUMN alerts_scope TEXT")


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


def _m014_vote_channel(db: sqlite_utils.Database) -> None:
    # Which channel's thread a vote was cast in (the delivery target of the message reacted
    # to): a channel's roundup is led by its own most-👍 papers, not the whole workspace's.
    if "target" not in db["votes"].columns_dict:
        db["votes"].add_column("target", str)


# The name before a title's colon ("DeepSeek-R1" of "DeepSeek-R1: Incentivizing …", NULL
# without a colon), kept in paper_keys by its triggers: search re-ranks its pool of 100 by
# it (bot/query/rank.py) and read 100 whole rows for their titles before, about 0.5 ms of a
# median search at 100,000 papers. SQLite's instr/substr count characters, as Python's
# str.partition does, so it is exactly `title.partition(":")[0]`.
_NAME_OF = "CASE WHEN instr({t}, ':') > 0 THEN substr({t}, 1, instr({t}, ':') - 1) END"
_PAPER_NAMES = (
    "DROP TRIGGER IF EXISTS paper_keys_ai",
    "DROP TRIGGER IF EXISTS paper_keys_au",
    "CREATE TRIGGER paper_keys_ai AFTER INSERT ON papers BEGIN"
    " INSERT OR REPLACE INTO paper_keys (paper_rowid, upvotes, published_at, id, name) VALUES"
    f" (new.rowid, new.upvotes, new.published_at, new.id, {_NAME_OF.format(t='new.title')});"
    " END",
    "CREATE TRIGGER paper_keys_au AFTER UPDATE OF upvotes, published_at, id, title ON papers"
    " BEGIN UPDATE paper_keys SET upvotes = new.upvotes, published_at = new.published_at,"
    f" id = new.id, name = {_NAME_OF.format(t='new.title')} WHERE paper_rowid = new.rowid; END",
    f"UPDATE paper_keys SET name = (SELECT {_NAME_OF.format(t='title')} FROM papers"
    " WHERE papers.rowid = paper_keys.paper_rowid)",
)


def _m017_paper_names(db: sqlite_utils.Database) -> None:
    if "name" not in db["paper_keys"].columns_dict:
        db.execute("ALTER TABLE paper_keys ADD COLUMN name TEXT")
    for sql in _PAPER_NAMES:
        db.execute(sql)


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", _m001_initial),
    ("002_delivery_plan", _m002_delivery_plan),
    ("003_dm_pause", _m003_dm_pause),
    ("004_app_state", _m004_app_state),
    ("005_search_indexes", _m005_search_indexes),
    ("006_hf_signals", _m006_hf_signals),
    ("007_channel_style", _m007_channel_style),
    ("008_live_threads", _m008_live_threads),
    ("009_arxiv_source", _m009_arxiv_source),
    ("010_recommend", _m010_recommend),
    ("011_deferred_index", bulk.migrate),  # storage/bulk.py: bulk writes index once
    ("012_import_log", import_log.migrate),  # storage/import_log.py: unchanged files skipped
    ("013_org_name_index", _m013_org_name_index),
    ("014_vote_channel", _m014_vote_channel),
    ("015_topics_version", topic_version.migrate),  # storage/topic_version.py: alerts cache
    ("016_heading_index", bulk.migrate_heading),  # storage/bulk.py: titles and keywords alone
    ("017_paper_names", _m017_paper_names),
    ("018_filled_indexes", filled.migrate),  # storage/filled.py: "no paper has categories"
]
