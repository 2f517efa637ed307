"""Search the local paper index with a parsed topic query, and count recent matches.

This package compiles a user's query to SQL and runs it, so — the one exception to "SQL only
in storage/" — this module holds its own SELECTs; rows are decoded by storage's own decoder.

Which papers are ranked (a product decision, docs/benchmarks.md "Search: which papers are
ranked"): the newest `CANDIDATES` matches, by arrival order (rowid). A query matching fewer
papers ranks them all, so rare words reach back through the whole archive; a common word
ranks only its most recent 1,000 matches, so a search costs the same at a million papers as
at ten thousand, and what it shows leans to recent work, which is what a daily-papers bot is
for. (bm25 was dropped: FTS5 computes its IDF over the whole index whatever the candidates.)

Order among those: each word or phrase scores 4 in the title or keywords and 1 anywhere;
the first POOL are then re-ranked within that by the paper's name and its upvotes
(bot/query/rank.py), then newest; with only filters (cat:, upvotes>=, …), most upvoted
first, then newest. `sort:upvotes` / `sort:date` order the same candidates otherwise.
Only the page shown is fetched whole, and each hit carries the query parts it matched,
read from the same index tests. `recent_counts` counts topics for /papers topics.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from bot.model import Paper, paper_from_row
from bot.query.ast import TEXT_NODES, And, Node, Not, Or, Query, describe, positive_atoms
from bot.query.match import doc_for, explain_known
from bot.query.plan import Plan, plan_query
from bot.query.rank import Blend
from bot.query.to_sql import TEXT_COLUMNS, fts_match_string
from bot.query.window import WINDOW, window_bounds
from storage.papers import decode_row

CANDIDATES = 1_000
# Up to this many candidates, each test seeks their rowids in the posting list (about 70 µs
# a seek); past it, a test reads the posting lists from the oldest candidate on. A query of
# required words alone always reads the lists: each test is ANDed with the other words, so
# it reads no more than the matches themselves, 2-5x faster than seeking even for a handful
# (docs/benchmarks.md); seeking pays when filters, not words, cut the candidates.
_SEEK_AT_MOST = 24
# Relevance: each word or phrase of the query scores 4 in the title or the keywords (what a
# paper is about) and 1 anywhere; ties go to upvotes, then newest.
# The heading test asks the heading index (storage/bulk.py migration 016: titles and keywords
# alone, so a word's list there is short) instead of the porter index's column filter, which
# reads the word's whole list, abstracts included; "anywhere" asks the porter index.
_HEADING = "{title keywords_text}"
_WEIGHTS = ((_HEADING, 4), (TEXT_COLUMNS, 1))
_IN_RANGE = "(cand.r IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ? AND rowid >= ?))"
_IN_SEEK = (
    "(cand.r IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?"
    " AND rowid IN (SELECT value FROM json_each(?))))"
)
_DAY_FILTER = (
    "EXISTS (SELECT 1 FROM daily_entries WHERE daily_entries.paper_id = papers.id{bounds})"
)
# The newest matches: FTS5 walks the posting list backwards and stops at the budget.
_NEWEST_BY_INDEX = (
    "SELECT papers_fts.rowid FROM papers_fts{join}"
    " WHERE papers_fts MATCH ?{where} ORDER BY papers_fts.rowid DESC LIMIT ?"
)
_JOIN = " JOIN papers ON papers.rowid = papers_fts.rowid"
_NEWEST_BY_ROW = "SELECT papers.rowid FROM papers WHERE {where} ORDER BY papers.rowid DESC LIMIT ?"
# A test of a range's paper (bot.query.window) against the index from the range's oldest
# rowid on (a paper listed again keeps its old rowid: the range then starts there).
_IN_WINDOW_INDEX = (
    "win.r IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
    " AND rowid >= (SELECT MIN(r) FROM win))"
)
# Flag each candidate from the index alone (which columns hold which words), read upvotes,
# dates (for ties) and names (the title before its colon, for the re-rank: storage migration
# 017) only of those that can still reach the pool (a score at least the pool's last, for
# relevance) from the narrow paper_keys, and whole rows for the page alone.
_RANKED = (
    "WITH cand(r) AS MATERIALIZED (SELECT value FROM json_each(?)),"
    " flagged AS MATERIALIZED (SELECT r{flags} FROM cand),"
    " scored AS MATERIALIZED (SELECT *, {score} AS score FROM flagged),"
    " top AS (SELECT scored.*, COALESCE(keys.upvotes, 0) AS up, keys.published_at AS pub,"
    " keys.id AS pid, keys.name AS pname"
    " FROM scored JOIN paper_keys AS keys ON keys.paper_rowid = scored.r WHERE {floor}"
    " ORDER BY {order} LIMIT ? OFFSET ?)"
    " SELECT top.* FROM top"
    " ORDER BY {order}"
)
_FLOOR = "score >= COALESCE((SELECT score FROM scored ORDER BY score DESC LIMIT 1 OFFSET ?), 0)"
_ORDERS = {
    "relevance": "score DESC, up DESC, pub DESC, pid",
    "upvotes": "up DESC, pub DESC, pid",
    "date": "pub DESC, up DESC, pid",
}
SORTS = tuple(_ORDERS)
_ROWS = (
    "SELECT papers.rowid AS _rowid, papers.* FROM papers"
    " WHERE papers.rowid IN (SELECT value FROM json_each(?))"
)
# A page's explanations so far, by which of the query's words a hit holds (search_page).
_Said = dict[tuple[bool, ...], tuple[str, ...] | None]
# How much of the coarse relevance order is re-ranked by name and community (bot.query.rank):
# the first POOL hits are in the blended order, those after them in the coarse order.
POOL = 100


@dataclass(frozen=True, slots=True)
class _Flags:
    """The per-candidate tests of a query: `flags` SQL columns (`, expr AS f0_5`…) with
    their `params`, the `score` over them, and for each word or phrase the column saying
    whether it was found."""

    flags: str
    params: tuple[object, ...]
    score: str
    found: tuple[tuple[Node, str], ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    paper_id: str
    title: str
    upvotes: int | None
    matched: tuple[str, ...]  # "matched: diffusion, video"
    paper: Paper | None = None  # the whole paper, to render a card without another query


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of a search: its hits, and how many papers match — `total` exactly, or, when
    `capped`, at least that many (the candidate window was full: "1,000+ match"); `newest`,
    the rowid of the newest match (None when none), for bot.query.window.listed_between."""

    hits: list[SearchHit]
    total: int
    capped: bool
    newest: int | None = None


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
    return search_page(db, q, per_page=limit, day_from=day_from, day_to=day_to).hits


def search_page(
    db: sqlite_utils.Database,
    q: Query,
    *,
    page: int = 1,
    per_page: int = 10,
    sort: str = "relevance",
    day_from: str | None = None,
    day_to: str | None = None,
) -> SearchPage:
    """Page `page` (from 1) of the papers matching `q`, in `sort` order (one of `SORTS`:
    relevance blended with upvotes, most upvoted, newest), with the count of matches."""
    if per_page <= 0 or page <= 0:
        return SearchPage([], 0, False)
    offset = (page - 1) * per_page
    plan = plan_query(q)
    budget = max(CANDIDATES, offset + per_page)
    cand = _newest(db, plan, budget + 1, day_from, day_to)
    capped = len(cand) > budget
    cand = cand[:budget]
    newest = cand[0] if cand else None
    if offset >= len(cand):
        return SearchPage([], len(cand), capped, newest)
    flags = _flags(q, plan, cand)
    ranked = _ranked(db, q, sort, flags, cand, offset + per_page)[offset:]
    rows = {r["_rowid"]: r for r in db.query(_ROWS, [json.dumps([t["r"] for t in ranked])])}
    said: _Said | None = {} if _words_only(q.root) else None
    hits = [_hit(q, rows[t["r"]], t, flags, said) for t in ranked if t["r"] in rows]
    return SearchPage(hits, len(cand), capped, newest)


def _ranked(
    db: sqlite_utils.Database, q: Query, sort: str, flags: _Flags, cand: list[int], upto: int
) -> list[dict]:
    """The first `upto` candidates in `sort` order, each with its flags, score, upvotes and
    title; by relevance, a pool of the coarse order is re-ranked by name and community."""
    relevance = sort == "relevance"
    pool = max(POOL, upto) if relevance else upto
    order = _ORDERS[sort]
    sql = _RANKED.format(
        flags=flags.flags,
        score=flags.score,
        floor=_FLOOR if relevance else "1",
        order=order,
    )
    floor = [pool - 1] if relevance else []
    cur = db.execute(sql, [json.dumps(cand), *flags.params, *floor, pool, 0])
    names = [c[0] for c in cur.description]
    tops = cur.fetchall()  # tuples: a dict is made only for the rows returned
    if relevance:
        score, name, up = (names.index(c) for c in ("score", "pname", "up"))
        blend = Blend([atom for atom, _ in flags.found])
        # Only the first POOL are re-ranked, whatever the page: every page cuts the same
        # order. Stable: equal blends keep SQL's order (same upvotes, newest, then id).
        head = sorted(tops[:POOL], key=lambda t: -blend.of_name(t[score], t[name], t[up]))
        tops = head + tops[POOL:]
    return [dict(zip(names, t, strict=True)) for t in tops[:upto]]


def _newest(
    db: sqlite_utils.Database, plan: Plan, budget: int, day_from: str | None, day_to: str | None
) -> list[int]:
    """The rowids of the newest `budget` hits, newest first."""
    if plan.match is not None:
        where, params = _conditions(plan, day_from, day_to, "papers_fts.rowid")
        join = _JOIN if where else ""
        sql = _NEWEST_BY_INDEX.format(join=join, where=f" AND {where}" if where else "")
        params = [plan.match, *params]
    else:
        where, params = _conditions(plan, day_from, day_to)
        sql = _NEWEST_BY_ROW.format(where=where or "1")
    return [r for (r,) in db.execute(sql, [*params, budget]).fetchall()]


def _flags(q: Query, plan: Plan, cand: list[int]) -> _Flags:
    """Which columns of candidate `cand.r` hold each positive word or phrase.

    A few candidates are looked up one by one (unless the query is required words alone);
    more are read from the oldest one on, each test ANDed with the query's other required
    words so FTS5 intersects from the rarer side (a superset of the candidates is enough:
    the test is kept to them). A word the whole query requires is in every candidate: that
    one is not looked up."""
    match = plan.match
    atoms = dict.fromkeys(a for a in positive_atoms(q.root) if isinstance(a, TEXT_NODES))
    items = q.root.items if isinstance(q.root, And) else (q.root,)
    required = {i for i in items if isinstance(i, TEXT_NODES)} if match else set()
    words_alone = not (plan.where or plan.narrow) and all(
        i in required or isinstance(i, Not) for i in items
    )
    seek = len(cand) <= _SEEK_AT_MOST and not (match is not None and words_alone)
    flags, params, score, found = [], [], [], []
    for i, atom in enumerate(atoms):
        for columns, weight in _WEIGHTS:
            name = f"f{i}_{weight}"
            if columns == TEXT_COLUMNS:
                found.append((atom, name))
                if atom in required:
                    flags.append(f", 1 AS {name}")
                    continue
            test = fts_match_string(atom, columns)
            heading = columns == _HEADING  # its own index: the other words are not in it
            others = [] if seek or heading else [fts_match_string(r) for r in required if r != atom]
            test = " AND ".join(f"({t})" for t in (test, *others)) if others else test
            params.extend([test, json.dumps(cand) if seek else min(cand)])
            fts = "papers_heading" if heading else "papers_fts"
            flags.append(f", {(_IN_SEEK if seek else _IN_RANGE).format(fts=fts)} AS {name}")
            score.append(f"{weight} * {name}")
    return _Flags("".join(flags), tuple(params), " + ".join(score) or "0", tuple(found))


def recent_counts(
    db: sqlite_utils.Database, queries: Sequence[Query], day_from: str, day_to: str
) -> list[int]:
    """For each query, how many papers listed between the two days (inclusive) it matches.

    Counted by the index, nothing fetched. When the papers listed in the range are exactly a
    run of rowids (papers arrive day by day, so they usually are), a query of words alone is
    one FTS5 count over that run (its bounds are kept: bot.query.window). Otherwise (a paper
    listed again keeps its old rowid, one stored by a search sits between), one statement
    gathers the range's rowids once and tests each query on them, reading rows only for
    queries with filters (cat:, upvotes…)."""
    plans = [plan_query(q) for q in queries]
    lo, hi, n = bounds = window_bounds(db, day_from, day_to)
    if not n:
        return [0 for _ in plans]
    out: list[int | None] = [_count_run(db, p, lo, hi) if bounds.run else None for p in plans]
    rest = [p for p, c in zip(plans, out, strict=True) if c is None]
    if rest:
        params: list[object] = [day_from, day_to]
        counts = [_count_sql(p, params) for p in rest]
        found = iter(db.execute(f"WITH {WINDOW} SELECT {', '.join(counts)}", params).fetchone())
        out = [c if c is not None else next(found) for c in out]
    return [int(c or 0) for c in out]


def _count_run(db: sqlite_utils.Database, plan: Plan, lo: int, hi: int) -> int:
    """The plan's matches among rowids lo..hi: from the index when the query has words, the
    author index next, and rows read last, only for what passed (EXISTS, not a join)."""
    if plan.match is not None:
        rowid, params = "papers_fts.rowid", [plan.match, lo, hi]
        sql = "SELECT COUNT(*) FROM papers_fts WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ?"
    else:
        rowid, params = "papers.rowid", [lo, hi]
        sql = "SELECT COUNT(*) FROM papers WHERE papers.rowid BETWEEN ? AND ?"
    if plan.narrow:
        sql += f" AND {plan.narrow_on(rowid)}"
        params.extend(plan.narrow_params)
    if plan.where:
        if plan.match is not None:
            sql += (
                f" AND EXISTS (SELECT 1 FROM papers WHERE papers.rowid = {rowid} AND {plan.where})"
            )
        else:
            sql += f" AND ({plan.where})"
        params.extend(plan.params)
    return db.execute(sql, params).fetchone()[0]


def _count_sql(plan: Plan, params: list[object]) -> str:
    """A count of the window's rows the plan matches; index tests come first, on the rowid
    alone, so rows are read only for the filters and only of rows that passed the index
    (a correlated EXISTS, not a join: SQLite would build a Bloom filter over every row)."""
    tests = []
    if plan.match is not None:
        tests.append(_IN_WINDOW_INDEX)
        params.append(plan.match)
    if plan.narrow:
        tests.append(plan.narrow_on("win.r"))
        params.extend(plan.narrow_params)
    if plan.where:
        tests.append(f"EXISTS (SELECT 1 FROM papers WHERE papers.rowid = win.r AND {plan.where})")
        params.extend(plan.params)
    return f"(SELECT COUNT(*) FROM win WHERE {' AND '.join(tests) or '1'})"


def _conditions(
    plan: Plan, day_from: str | None, day_to: str | None, rowid: str = "papers.rowid"
) -> tuple[str, list[object]]:
    """The plan's SQL tests plus the day range, as one AND ("" when there are none); the
    index narrowing tests `rowid` (the FTS table's, when it drives: no row read first)."""
    params = [*plan.narrow_params, *plan.params]
    parts = [plan.narrow_on(rowid)] if plan.narrow else []
    parts += [f"({plan.where})"] if plan.where else []
    if day_from is not None or day_to is not None:
        bounds = ""
        if day_from is not None:
            bounds += " AND daily_entries.day >= ?"
            params.append(day_from)
        if day_to is not None:
            bounds += " AND daily_entries.day <= ?"
            params.append(day_to)
        parts.append(_DAY_FILTER.format(bounds=bounds))
    return " AND ".join(parts), params


def _words_only(node: Node) -> bool:
    """Whether every part of the query is a word or phrase: then a hit's explanation is a
    function of which of them it holds alone, the same for every hit that holds the same."""
    if isinstance(node, Not):
        return _words_only(node.item)
    if isinstance(node, And | Or):
        return all(_words_only(item) for item in node.items)
    return isinstance(node, TEXT_NODES)


def _hit(
    q: Query,
    row: dict,
    top: dict,
    flags: _Flags,
    said: _Said | None,
) -> SearchHit:
    """The hit for a row; `said` (when the query is words only) keeps the explanations
    already worked out for this page, by the words found."""
    known = {atom: bool(top[col]) for atom, col in flags.found}
    paper = paper_from_row(decode_row(row))
    key = tuple(known.values())
    if said is not None and key in said:
        matched = said[key]
    else:
        matched = explain_known(q, doc_for(paper, with_text=False), known)
        if said is not None:
            said[key] = matched
    if matched is None:
        # SQL and the matcher disagree (a character newer than SQLite's Unicode tables):
        # SQL found it, so cite what the query asked for.
        matched = tuple(dict.fromkeys(describe(atom) for atom in positive_atoms(q.root)))
    return SearchHit(paper.id, paper.title, paper.upvotes, matched, paper)
