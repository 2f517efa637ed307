"""Match a parsed query against one paper in Python, and say why it matched.

Alerts run every topic against each new paper; building a `PaperDoc` once per paper and
matching in memory avoids a SQL query per (topic, paper). The rules mirror `to_sql`
exactly (same tokeniser and stemmer as FTS5, same case rules as SQLite's LIKE and
lower()), and tests hold the two to agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from bot.model import Paper
from bot.query.ast import And, Compare, Field, Flag, Node, Not, Or, Phrase, Query, Term, describe
from bot.query.fts_text import index_terms
from bot.query.to_sql import ascii_lower, author_variants, category_patterns

_COMPARE = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}


@dataclass(frozen=True, slots=True)
class PaperDoc:
    """What a query can look at in one paper, pre-digested."""

    paper_id: str
    stems: frozenset[str]  # every indexed term of title, abstract and keywords
    # Each field's terms in order as one string, " term term … ": a phrase is then a
    # substring search (" a b "), done in C, instead of a walk over the field's terms.
    fields: tuple[str, ...]
    categories: frozenset[str]  # A-Z lower-cased, primary included
    authors: tuple[str, ...]  # A-Z lower-cased, as LIKE compares them
    organization: str  # the slug ("nvidia"), A-Z lower-cased; "" when none
    organization_name: str  # the display name ("NVIDIA"), A-Z lower-cased; "" when none
    upvotes: int  # missing counts as 0, as in SQL
    has_code: bool
    has_project: bool


def doc_for(paper: Paper, *, with_text: bool = True) -> PaperDoc:
    """Build the matcher's view of `paper`, from the same text storage indexes
    (without its words when `with_text` is False: for `explain_known`)."""
    texts = (paper.title, paper.abstract or "", ", ".join(paper.ai_keywords)) if with_text else ()
    fields = tuple(tuple(index_terms(text)) for text in texts)
    runs = tuple(f" {' '.join(field)} " for field in fields)
    categories = {ascii_lower(c) for c in paper.categories}
    if paper.primary_category:
        categories.add(ascii_lower(paper.primary_category))
    return PaperDoc(
        paper_id=paper.id,
        stems=frozenset(term for field in fields for term in field),
        fields=runs,
        categories=frozenset(categories),
        authors=tuple(ascii_lower(a) for a in paper.authors),
        organization=ascii_lower(paper.organization or ""),
        organization_name=ascii_lower(paper.organization_name or ""),
        upvotes=paper.upvotes or 0,
        has_code=bool(paper.github_repo),
        has_project=bool(paper.project_page),
    )


def explain_match(q: Query, doc: PaperDoc) -> tuple[str, ...] | None:
    """None if `doc` does not match; else the positive terms and filters that matched,
    in query order (empty only for a query that just excludes)."""
    return _explain(q.root, lambda node: _atom_matches(node, doc))


def explain_known(q: Query, doc: PaperDoc, known: Mapping[Node, bool]) -> tuple[str, ...] | None:
    """`explain_match`, taking each word or phrase in `known` as found (True) or not.

    Search already asked the index which words each hit holds; this spares tokenising the
    hit's whole text again, and `doc` may then carry no text at all."""
    return _explain(q.root, lambda node: known[node] if node in known else _atom_matches(node, doc))


def _explain(node: Node, test: Callable[[Node], bool]) -> tuple[str, ...] | None:
    if isinstance(node, Not):
        return () if _explain(node.item, test) is None else None
    if isinstance(node, And):
        parts: list[str] = []
        for item in node.items:
            found = _explain(item, test)
            if found is None:
                return None
            parts.extend(found)
        return tuple(dict.fromkeys(parts))
    if isinstance(node, Or):
        branches = [found for item in node.items if (found := _explain(item, test)) is not None]
        if not branches:
            return None
        return tuple(dict.fromkeys(part for found in branches for part in found))
    return (describe(node),) if test(node) else None


def _atom_matches(node: Node, doc: PaperDoc) -> bool:
    if isinstance(node, Term | Phrase):
        return _text_matches(query_terms(node), doc)
    if isinstance(node, Field):
        return _field_matches(node, doc)
    if isinstance(node, Compare):
        return _COMPARE[node.op](doc.upvotes, node.value)
    if isinstance(node, Flag):
        return doc.has_code if node.name == "code" else doc.has_project
    raise ValueError(f"cannot match {node!r}")


@lru_cache(maxsize=4096)  # search and explanations; alerts tokenise once in compile_match
def query_terms(node: Term | Phrase) -> tuple[str, ...]:
    return tuple(index_terms(node.word if isinstance(node, Term) else " ".join(node.words)))


def _text_matches(terms: tuple[str, ...], doc: PaperDoc) -> bool:
    if not terms:
        return False
    if len(terms) == 1:
        return terms[0] in doc.stems
    if not doc.stems.issuperset(terms):
        return False
    run = _run(terms)
    return any(run in field for field in doc.fields)


def contains_run(field: tuple[str, ...], terms: tuple[str, ...]) -> bool:
    """`terms` side by side somewhere in `field` (tuple.index jumps between first words): for
    word tuples such as a title's name (bot/query/rank.py); documents use `_run`'s substring."""
    first, n = terms[0], len(terms)
    at = -1
    while True:
        try:
            at = field.index(first, at + 1)
        except ValueError:
            return False
        if field[at : at + n] == terms:
            return True


@lru_cache(maxsize=65_536)
def _run(terms: tuple[str, ...]) -> str:
    """`terms` as the substring of a `PaperDoc.fields` string that holds them side by side
    (terms are letters and digits, never a space, so a match cannot straddle terms)."""
    return f" {' '.join(terms)} "


def _field_matches(node: Field, doc: PaperDoc) -> bool:
    if node.name == "cat":
        exact, prefix = category_patterns(node.value)
        return exact in doc.categories or (
            prefix is not None and any(c.startswith(exact + ".") for c in doc.categories)
        )
    if node.name == "author":
        needles = [ascii_lower(v) for v in author_variants(node.value)]
        return any(needle in author for needle in needles for author in doc.authors)
    if node.name == "org":
        return ascii_lower(node.value) in (doc.organization, doc.organization_name)
    raise ValueError(f"cannot match field {node.name!r}")


Predicate = Callable[[PaperDoc], bool]


def compile_match(q: Query) -> Predicate:
    """`q` as one function of a doc: True exactly when `explain_match` is not None.

    For matching many topics against a day: the words are tokenised once, here, and no
    explanation is built; `LazyMatch` builds one only for a match that is shown."""
    return _compiled(q.root)


def _compiled(node: Node) -> Predicate:
    if isinstance(node, Not):
        inner = _compiled(node.item)
        return lambda doc: not inner(doc)
    if isinstance(node, And | Or):
        parts = tuple(_compiled(item) for item in node.items)
        if len(parts) == 2:  # the usual shape: two closures beat a generator
            a, b = parts
            if isinstance(node, And):
                return lambda doc: a(doc) and b(doc)
            return lambda doc: a(doc) or b(doc)
        if isinstance(node, And):
            return lambda doc: all(p(doc) for p in parts)
        return lambda doc: any(p(doc) for p in parts)
    return _compiled_atom(node)


# Topics share their words: one function per distinct word, not one per topic (fewer
# long-lived objects for every full garbage collection to walk).
@lru_cache(maxsize=262_144)
def _compiled_atom(node: Node) -> Predicate:
    if isinstance(node, Term | Phrase):
        terms = query_terms(node)
        if len(terms) == 1:
            term = terms[0]
            return lambda doc: term in doc.stems
        return lambda doc: _text_matches(terms, doc)
    return lambda doc: _atom_matches(node, doc)


@lru_cache(maxsize=4096)  # the topics whose matches get shown, parsed again once each
def _reparsed(text: str) -> Query:
    from bot.query.parser import parse_query  # the parser sits beside this module

    return parse_query(text)


class LazyMatch:
    """A (paper, matched) pair whose `matched` is worked out on first use.

    Alerts find hundreds of thousands of (user, paper) matches and show a few: explaining
    each costs more than finding it. Unpacks like the tuple it stands for."""

    __slots__ = ("paper", "_query", "_doc", "_matched")

    def __init__(self, paper: Paper, query: Query | str, doc: PaperDoc) -> None:
        """`query` parsed, or its stored text (parsed only if the match is explained)."""
        self.paper = paper
        self._query = query
        self._doc = doc
        self._matched: tuple[str, ...] | None = None

    @property
    def matched(self) -> tuple[str, ...]:
        if self._matched is None:
            q = self._query
            self._matched = explain_match(_reparsed(q) if isinstance(q, str) else q, self._doc)
            self._matched = self._matched or ()
        return self._matched

    def __iter__(self) -> Iterator[Paper | tuple[str, ...]]:
        return iter((self.paper, self.matched))

    def __getitem__(self, i: int) -> Paper | tuple[str, ...]:
        return (self.paper, self.matched)[i]

    def __len__(self) -> int:
        return 2
