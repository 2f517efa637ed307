"""Compile a parsed query into a parameterised WHERE fragment over the `papers` table.

Each word or phrase becomes its own `papers.rowid IN (… papers_fts MATCH ?)` sub-select, so
AND, OR and NOT compose in plain SQL and a query that only excludes still works. The MATCH
strings are built only from double-quoted strings (inner quotes doubled) under a column
filter, so user text can never be read as FTS5 syntax, and authors never match plain words.
Every predicate is NULL-safe (a missing value is "no"), so NOT means exactly "not matched".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.query.ast import (
    TEXT_NODES,
    And,
    Compare,
    Field,
    Flag,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    Term,
    positive_atoms,
)
from storage.sql import like_escape

TEXT_COLUMNS = "{title abstract keywords_text}"
_FTS_SUBSELECT = "papers.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
_SAFE_JSON = "CASE WHEN json_valid({col}) THEN {col} ELSE '[]' END"
_FLAG_COLUMNS = {"code": "papers.github_repo", "project": "papers.project_page"}
_COMPARE_OPS = frozenset({">=", ">", "<=", "<", "="})
_COMPARE_COLUMNS = {"upvotes": "papers.upvotes"}


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """`where` uses `papers.` columns and `?` placeholders filled from `params`, in order.

    `rank_match` is an FTS5 MATCH string for the query's positive words (None if it has
    none): join it to papers_fts to order hits by bm25.
    """

    where: str
    params: tuple[object, ...]
    rank_match: str | None = None


def compile_query(q: Query) -> CompiledQuery:
    params: list[object] = []
    where = _sql(q.root, params)
    texts = [
        fts_match_string(atom) for atom in positive_atoms(q.root) if isinstance(atom, TEXT_NODES)
    ]
    rank = " OR ".join(dict.fromkeys(texts)) if texts else None
    return CompiledQuery(where=where, params=tuple(params), rank_match=rank)


def fts_quote(text: str) -> str:
    """An FTS5 string literal: the tokenizer reads its words, the parser no syntax."""
    return '"' + text.replace('"', '""') + '"'


def fts_match_string(node: Term | Phrase, columns: str = TEXT_COLUMNS) -> str:
    """An FTS5 query for one word or phrase in `columns` (an FTS5 column filter)."""
    text = node.word if isinstance(node, Term) else " ".join(node.words)
    return f"{columns} : {fts_quote(text)}"


def ascii_lower(text: str) -> str:
    """Lower-case A-Z only, as SQLite's lower() and LIKE do without ICU."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def author_variants(name: str) -> tuple[str, ...]:
    """The spellings an author filter tries, each as a case-insensitive (A-Z) substring.

    SQLite's LIKE ignores case for A-Z only, so "étienne" would miss "Étienne": we also
    try the name title-cased, which is how names are written.
    """
    return tuple(dict.fromkeys((name, name.lower(), name.title())))


def category_patterns(value: str) -> tuple[str, str | None]:
    """(exact, prefix-or-None): `cat:cs` also matches every `cs.*` category."""
    exact = ascii_lower(value)
    return exact, (None if "." in exact else like_escape(exact) + ".%")


def node_sql(node: Node, params: list[object]) -> str:
    """The WHERE fragment for one node, its parameters appended to `params`."""
    return _sql(node, params)


def _sql(node: Node, params: list[object]) -> str:
    if isinstance(node, Term | Phrase):
        params.append(fts_match_string(node))
        return _FTS_SUBSELECT
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(_sql(item, params) for item in node.items) + ")"
    if isinstance(node, Not):
        return f"NOT ({_sql(node.item, params)})"
    if isinstance(node, Field):
        return _field_sql(node, params)
    if isinstance(node, Compare):
        if node.op not in _COMPARE_OPS or node.field not in _COMPARE_COLUMNS:
            raise ValueError(f"cannot compile {node}")
        params.append(node.value)
        return f"COALESCE({_COMPARE_COLUMNS[node.field]}, 0) {node.op} ?"
    if isinstance(node, Flag):
        return f"COALESCE({_FLAG_COLUMNS[node.name]}, '') != ''"
    raise ValueError(f"cannot compile {node!r}")


def _field_sql(node: Field, params: list[object]) -> str:
    if node.name == "cat":
        exact, prefix = category_patterns(node.value)
        test = "lower(value) = ?"
        params.append(exact)
        if prefix is not None:
            test += " OR lower(value) LIKE ? ESCAPE '\\'"
            params.append(prefix)
        params.append(exact)
        each = _SAFE_JSON.format(col="papers.categories")
        return (
            f"(EXISTS (SELECT 1 FROM json_each({each}) WHERE {test})"
            " OR lower(COALESCE(papers.primary_category, '')) = ?)"
        )
    if node.name == "author":
        patterns = tuple(f"%{like_escape(v)}%" for v in author_variants(node.value))
        params.extend(patterns)
        test = " OR ".join(["value LIKE ? ESCAPE '\\'"] * len(patterns))
        each = _SAFE_JSON.format(col="papers.authors")
        return f"EXISTS (SELECT 1 FROM json_each({each}) WHERE {test})"
    if node.name == "org":
        # the slug ("nvidia") or the display name ("NVIDIA", "AI at Meta"), any A-Z case
        params.extend([ascii_lower(node.value)] * 2)
        return (
            "(lower(COALESCE(papers.organization, '')) = ?"
            " OR lower(COALESCE(papers.organization_name, '')) = ?)"
        )
    raise ValueError(f"cannot compile field {node.name!r}")
