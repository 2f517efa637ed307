"""Plan a search: the part of a query one FTS5 MATCH answers, and the SQL that checks the rest.

The per-word sub-selects of `to_sql` are exact and compose in plain SQL, but each one reads a
word's whole posting list, and ranking needed a second MATCH. Here the query's top-level AND
is split instead: every item made only of words and phrases (with AND, OR and `-` inside)
joins one FTS5 expression, so the index alone finds the matching rowids, newest first, and
ranks them in the same pass; what remains (cat:, org:, upvotes, has:, an OR that mixes words
and filters, a query that only excludes) stays a `to_sql` fragment tested on those rows.

`author:` stays an exact SQL test (a substring of one name, as LIKE reads it) but is first
narrowed through the trigram index of author names (`papers_authors`, storage migration 003),
so it never reads every row's JSON. Names under 3 characters, or with LIKE wildcards in them,
are not narrowed (a trigram cannot find them): they are only slower, never wrong. `org:` is
narrowed the same way through its two expression indexes.

The expression is built only from `fts_match_string` pieces (double-quoted, under a column
filter) joined by AND / OR / NOT and parentheses, so user text is never FTS5 syntax; an empty
phrase matches nothing in FTS5 exactly as in the per-word SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.query.ast import And, Field, Node, Not, Or, Phrase, Query, Term
from bot.query.to_sql import ascii_lower, author_variants, fts_match_string, node_sql

_AUTHOR_NARROW = "{{rowid}} IN ({})"
_AUTHOR_LIKE = "SELECT rowid FROM papers_authors WHERE authors_text LIKE ?"
_MIN_TRIGRAM = 3
# org: through the two expression indexes of storage migrations 005 and 013 (the slug and the
# display name), so a count over a month reads the organisation's rows, not the month's.
# Named: where nearly every paper has no display name, ANALYZE's statistics make SQLite scan
# the table rather than probe that index for a name most papers lack (100 ms at 100,000).
_ORG_NARROW = (
    "{rowid} IN (SELECT rowid FROM papers INDEXED BY papers_organization"
    " WHERE lower(COALESCE(organization, '')) = ?"
    " UNION SELECT rowid FROM papers INDEXED BY papers_organization_name"
    " WHERE lower(COALESCE(organization_name, '')) = ?)"
)


@dataclass(frozen=True, slots=True)
class Plan:
    """Hits are the rows that match `match` (an FTS5 expression over papers_fts; None: no
    constraint) and satisfy `where` (SQL over `papers.` with `params`; "" when nothing).

    `narrow` (with `narrow_params`) is a test on a rowid alone, `{rowid}` standing for it,
    that every hit passes ("" when none): put first, it spares reading the other rows."""

    match: str | None
    where: str
    params: tuple[object, ...]
    narrow: str = ""
    narrow_params: tuple[object, ...] = ()

    def narrow_on(self, rowid: str) -> str:
        return self.narrow.format(rowid=rowid)


def plan_query(q: Query) -> Plan:
    items = q.root.items if isinstance(q.root, And) else (q.root,)
    match = _fts_and(items, strict=False)
    rest = items if match is None else tuple(i for i in items if not _in_fts(i))
    narrow_params: list[object] = []
    narrow = [p for i in rest if isinstance(i, Field) and (p := _narrow(i, narrow_params))]
    params: list[object] = []
    where = " AND ".join(node_sql(item, params) for item in rest)
    return Plan(match, where, tuple(params), " AND ".join(narrow), tuple(narrow_params))


def _in_fts(item: Node) -> bool:
    return _fts(item) is not None or (isinstance(item, Not) and _fts(item.item) is not None)


def _fts(node: Node) -> str | None:
    """The exact FTS5 expression for `node`, or None when FTS5 cannot say it alone."""
    if isinstance(node, Term | Phrase):
        return fts_match_string(node)
    if isinstance(node, Or):
        parts = [_fts(item) for item in node.items]
        return None if None in parts else " OR ".join(f"({p})" for p in parts)
    if isinstance(node, And):
        return _fts_and(node.items, strict=True)
    return None


def _fts_and(items: Sequence[Node], *, strict: bool) -> str | None:
    """AND of the words in `items`, minus their excluded words; None if none is positive
    (FTS5's NOT needs a left side) or, when `strict`, if any item is not text."""
    positive: list[str] = []
    negative: list[str] = []
    for item in items:
        if (expr := _fts(item)) is not None:
            positive.append(expr)
        elif isinstance(item, Not) and (expr := _fts(item.item)) is not None:
            negative.append(expr)
        elif strict:
            return None
    if not positive:
        return None
    expr = " AND ".join(f"({p})" for p in positive)
    if negative:
        expr = f"({expr}) NOT ({' OR '.join(f'({n})' for n in negative)})"
    return expr


def _narrow(node: Field, params: list[object]) -> str | None:
    """A rowid test through an index that every row matching `node` passes, or None."""
    if node.name == "org":
        params.extend([ascii_lower(node.value)] * 2)
        return _ORG_NARROW
    if node.name != "author":
        return None
    value = node.value
    if len(value) < _MIN_TRIGRAM or any(ch in value for ch in "%_\\"):
        return None
    # LIKE ignores A-Z case only, so variants that differ just there are one pattern.
    variants = {ascii_lower(v): v for v in author_variants(value)}.values()
    params.extend(f"%{v}%" for v in variants)
    return _AUTHOR_NARROW.format(" UNION ".join(_AUTHOR_LIKE for _ in variants))
