"""An inverted index over one day's papers, so a topic is only tested on papers that could match.

`candidates(node)` returns a superset of the papers a query node can match (or None: "any
paper"); `explain_match` then decides exactly. Words and phrases use the stemmed-term postings,
`cat:` and `org:` their own postings, `author:` one substring scan; exclusions and thresholds
narrow nothing (they only filter what the positive part found).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from bot.model import Paper
from bot.query.ast import And, Field, Node, Not, Or, Phrase, Term
from bot.query.fts_text import index_terms
from bot.query.match import PaperDoc, doc_for
from bot.query.to_sql import ascii_lower, author_variants, category_patterns

Candidates = frozenset[int] | None


@lru_cache(maxsize=100_000)
def _terms_of(words: str) -> tuple[str, ...]:
    return tuple(index_terms(words))


class DayIndex:
    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = list(papers)
        self.docs: list[PaperDoc] = [doc_for(p) for p in self.papers]
        terms: dict[str, set[int]] = defaultdict(set)
        cats: dict[str, set[int]] = defaultdict(set)
        orgs: dict[str, set[int]] = defaultdict(set)
        for i, d in enumerate(self.docs):
            for t in d.stems:
                terms[t].add(i)
            for c in d.categories:
                cats[c].add(i)
                cats[c.split(".", 1)[0]].add(i)  # `cat:cs` covers every cs.*
            if d.organization:
                orgs[d.organization].add(i)
        self._terms = {k: frozenset(v) for k, v in terms.items()}
        self._cats = {k: frozenset(v) for k, v in cats.items()}
        self._orgs = {k: frozenset(v) for k, v in orgs.items()}
        self._authors = ["\n".join(d.authors) for d in self.docs]
        self._none: frozenset[int] = frozenset()

    def candidates(self, node: Node) -> Candidates:
        if isinstance(node, Term | Phrase):
            words = node.word if isinstance(node, Term) else " ".join(node.words)
            out: frozenset[int] | None = None
            for t in _terms_of(words):
                hit = self._terms.get(t, self._none)
                out = hit if out is None else out & hit
            return out if out is not None else self._none
        if isinstance(node, And):
            result: Candidates = None
            for item in node.items:
                c = self.candidates(item)
                if c is not None:
                    result = c if result is None else result & c
            return result
        if isinstance(node, Or):
            union: set[int] = set()
            for item in node.items:
                c = self.candidates(item)
                if c is None:
                    return None
                union |= c
            return frozenset(union)
        if isinstance(node, Field):
            return self._field(node)
        if isinstance(node, Not):
            return None
        return None  # thresholds and flags only filter

    def _field(self, node: Field) -> Candidates:
        if node.name == "cat":
            exact, _prefix = category_patterns(node.value)
            return self._cats.get(exact, self._none)
        if node.name == "org":
            return self._orgs.get(ascii_lower(node.value), self._none)
        if node.name == "author":
            needles = [ascii_lower(v) for v in author_variants(node.value)]
            return frozenset(i for i, a in enumerate(self._authors) if any(n in a for n in needles))
        return None
