"""Search the local paper index with a parsed topic query.

This package compiles a user's query to SQL and runs it, so — the one exception to "SQL only
in storage/" — this module holds its own SELECT; rows are decoded by storage's own decoder.

Order: with words in the query, best bm25 relevance first (title counts most, then
keywords, then abstract), ties by upvotes; with only filters (cat:, upvotes>=, …), most
upvoted first, then newest. Each hit carries the query parts it matched.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from bot.model import Paper, paper_from_row
from bot.query.ast import Query, describe, positive_atoms
from bot.query.match import doc_for, explain_match
from bot.query.to_sql import compile_query
from storage.papers import decode_row

# bm25 weights per papers_fts column: title, abstract, keywords_text, authors_text.
_BM25 = "bm25(papers_fts, 5.0, 1.0, 3.0, 0.0)"
_RANK_JOIN = (
    f" LEFT JOIN (SELECT rowid AS fts_rowid, {_BM25} AS fts_score FROM papers_fts"
    " WHERE papers_fts MATCH ?) AS ranked ON ranked.fts_rowid = papers.rowid"
)
_DAY_FILTER = (
    "EXISTS (SELECT 1 FROM daily_entries WHERE daily_entries.paper_id = papers.id{bounds})"
)
_BY_POPULARITY = "COALESCE(papers.upvotes, 0) DESC, papers.published_at DESC, papers.id"


@dataclass(frozen=True, slots=True)
class SearchHit:
    paper_id: str
    title: str
    upvotes: int | None
    matched: tuple[str, ...]  # "matched: diffusion, video"
    paper: Paper | None = None  # the whole paper, to render a card without another query


def search_papers(
    db: sqlite_utils.Database,
    q: Query,
    *,
    limit: int = 10,
    day_from: str | None = None,
    day_to: str | None = None,
) -> list[SearchHit]:
    """Papers matching `q`, best first. `day_from`/`day_to` (YYYY-MM-DD, inclusive) keep
    papers that were on a Daily Papers list in that range."""
    if limit <= 0:
        return []
    compiled = compile_query(q)
    params: list[object] = []
    sql = "SELECT papers.* FROM papers"
    if compiled.rank_match:
        sql += _RANK_JOIN
        params.append(compiled.rank_match)
        order = f"ranked.fts_score IS NULL, ranked.fts_score, {_BY_POPULARITY}"
    else:
        order = _BY_POPULARITY
    sql += f" WHERE ({compiled.where})"
    params.extend(compiled.params)
    if day_from is not None or day_to is not None:
        sql += " AND " + _day_clause(day_from, day_to, params)
    sql += f" ORDER BY {order} LIMIT ?"
    params.append(limit)
    return [_hit(q, row) for row in db.query(sql, params)]


def _day_clause(day_from: str | None, day_to: str | None, params: list[object]) -> str:
    bounds = ""
    if day_from is not None:
        bounds += " AND daily_entries.day >= ?"
        params.append(day_from)
    if day_to is not None:
        bounds += " AND daily_entries.day <= ?"
        params.append(day_to)
    return _DAY_FILTER.format(bounds=bounds)


def _hit(q: Query, row: dict) -> SearchHit:
    paper = paper_from_row(decode_row(row))
    matched = explain_match(q, doc_for(paper))
    if matched is None:
        # SQL and the matcher disagree (a character newer than SQLite's Unicode tables):
        # SQL found it, so cite what the query asked for.
        matched = tuple(dict.fromkeys(describe(atom) for atom in positive_atoms(q.root)))
    return SearchHit(paper.id, paper.title, paper.upvotes, matched, paper)
