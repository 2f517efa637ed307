"""Ordered schema migrations. Append only: a released migration is never edited."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]

FTS_COLUMNS = ["title", "abstract", "keywords_text", "authors_text"]


def _m001_initial(db: sqlite_utils.Database) -> None:
    db["papers"].create(
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
        pk="id",
        not_null={"title"},
    )
    db["papers"].enable_fts(
        FTS_COLUMNS, fts_version="FTS5", create_triggers=True, tokenize="porter"
    )
    db["daily_entries"].create(
        {"day": str, "paper_id": str, "rank": int, "upvotes": int, "seen_at": str},
        pk=("day", "paper_id"),
        foreign_keys=[("paper_id", "papers", "id")],
    )
    db["daily_entries"].create_index(["paper_id"])
    db["summaries"].create(
        {"paper_id": str, "text": str, "source": str, "model": str, "created_at": str},
        pk="paper_id",
    )
    db["day_overviews"].create(
        {"day": str, "text": str, "source": str, "created_at": str}, pk="day"
    )
    db["channels"].create(
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
        pk=("platform", "workspace_id", "channel_id"),
    )
    db["topics"].create(
        {
            "id": int,
            "platform": str,
            "workspace_id": str,
            "user_id": str,
            "query": str,
            "created_at": str,
        },
        pk="id",
    )
    db["topics"].create_index(["platform", "workspace_id", "user_id"])
    db["user_prefs"].create(
        {
            "platform": str,
            "workspace_id": str,
            "user_id": str,
            "alerts": str,  # "off" | "dm" | "thread"
            "dm_time": str,
            "updated_at": str,
        },
        pk=("platform", "workspace_id", "user_id"),
    )
    db["library"].create(
        {
            "platform": str,
            "workspace_id": str,
            "user_id": str,
            "paper_id": str,
            "saved_at": str,
        },
        pk=("platform", "workspace_id", "user_id", "paper_id"),
    )
    db["deliveries"].create(
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
        pk=("target", "day", "item"),
    )
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "platform": str,
            "workspace_id": str,
            "user_id": str,
            "action": str,
            "detail": str,
        },
        pk="id",
    )
    db["fetch_log"].create(
        {"source": str, "key": str, "fetched_at": str, "papers": int, "error": str},
        pk=("source", "key"),
    )
    db["llm_usage"].create({"day": str, "calls": int}, pk="day")


def _m002_delivery_plan(db: sqlite_utils.Database) -> None:
    # The order a thread's items go out in, fixed when the thread is planned.
    db["deliveries"].add_column("position", int)
    db["deliveries"].create_index(["target", "status"])


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", _m001_initial),
    ("002_delivery_plan", _m002_delivery_plan),
]
