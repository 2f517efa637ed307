"""An inverted index over one day's papers, so a topic is only tested on papers that could match.

`candidates(node)` returns a superset of the papers a query node can match (or None: "any
paper"); `explain_match` then decides exactly. Words and phrases use the stemmed-term postings,
`cat:` and `org:` their own postings, `author:` one substring scan; exclusions and thresholds
narrow nothing (they only filter what the positive part found).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate

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
            for org in (d.organization, d.organization_name):  # org: takes either
                if org:
                    orgs[org].add(i)
        self._terms = {k: frozenset(v) for k, v in terms.items()}
        self._cats = {k: frozenset(v) for k, v in cats.items()}
        self._orgs = {k: frozenset(v) for k, v in orgs.items()}
        # Every paper's author names in one string, papers apart by NUL (never in a query):
        # `author:` finds a name with str.find instead of testing each paper.
        names = ["\n".join(d.authors) for d in self.docs]
        self._author_names = names
        self._author_starts = list(accumulate((len(n) + 1 for n in names[:-1]), initial=0))
        self._author_blob = "\0".join(names)
        self._author_grams: dict[str, frozenset[int]] | None = None  # built on first use
        self._none: frozenset[int] = frozenset()

    def candidates(self, node: Node) -> Candidates:
        if isinstance(node, Term | Phrase | Field):
            return _compiled_atom(node)(self)
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
        return None  # exclusions, thresholds and flags only filter

    def clause_keys(self) -> set[str]:
        """Every key (`node_clauses`) some paper of the day holds."""
        keys = set(self._terms)
        keys.update(CAT + c for c in self._cats)
        keys.update(ORG + o for o in self._orgs)
        blob = self._author_blob
        keys.update({AUTHOR + blob[k : k + 3] for k in range(len(blob) - 2)})
        return keys

    def words_hits(self, form: WordsForm) -> frozenset[int]:
        """The papers a WordsForm matches (exactly)."""
        if isinstance(form, str):
            return self._terms.get(form, self._none)
        parts = [self.words_hits(p) for p in form[1:]]
        if form[0] == "&":
            return frozenset.intersection(*parts)
        if form[0] == "-":  # the first part, minus papers any exclusion matches
            return parts[0].difference(*parts[1:])
        return frozenset().union(*parts)

    def term_postings(self, terms: tuple[str, ...]) -> frozenset[int]:
        """Papers holding every one of `terms` (a word's or a phrase's stems)."""
        out: frozenset[int] | None = None
        for t in terms:
            hit = self._terms.get(t, self._none)
            out = hit if out is None else out & hit
        return out if out is not None else self._none

    def field_postings(self, node: Field) -> Candidates:
        if node.name == "cat":
            exact, _prefix = category_patterns(node.value)
            return self._cats.get(exact, self._none)
        if node.name == "org":
            return self._orgs.get(ascii_lower(node.value), self._none)
        if node.name == "author":
            return frozenset(
                i for v in author_variants(node.value) for i in self._author_hits(ascii_lower(v))
            )
        return None

    def _author_hits(self, needle: str) -> set[int]:
        """The papers whose joined author names contain `needle`."""
        found: set[int] = set()
        if not needle or "\0" in needle:
            return found if needle else set(range(len(self.docs)))
        if len(needle) >= 3 and len(self.docs) >= _GRAMS_FROM:
            return self._author_gram_hits(needle)
        at = self._author_blob.find(needle)
        while at != -1:
            found.add(bisect_right(self._author_starts, at) - 1)
            at = self._author_blob.find(needle, at + 1)
        return found

    def _author_gram_hits(self, needle: str) -> set[int]:
        """`_author_hits` through trigram postings: a day of a thousand papers holds some
        60 KB of names, too much to scan once per author topic; a needle's papers hold every
        one of its trigrams, and only those are searched."""
        if self._author_grams is None:
            grams: dict[str, set[int]] = defaultdict(set)
            for i, names in enumerate(self._author_names):
                for g in {names[k : k + 3] for k in range(len(names) - 2)}:
                    grams[g].add(i)
            self._author_grams = {g: frozenset(v) for g, v in grams.items()}
        postings = sorted(
            (self._author_grams.get(needle[k : k + 3], self._none) for k in range(len(needle) - 2)),
            key=len,
        )
        cands = postings[0].intersection(*postings[1:4])  # the rarest few narrow enough
        names = self._author_names
        return {i for i in cands if needle in names[i]}


# Below this many papers one scan of the joined names beats building trigram postings.
_GRAMS_FROM = 200

CandidateFn = Callable[[DayIndex], Candidates]


@lru_cache(maxsize=262_144)  # one function per distinct word or field, shared by topics
def _compiled_atom(node: Term | Phrase | Field) -> CandidateFn:
    if isinstance(node, Field):
        return lambda index: index.field_postings(node)
    terms = _terms_of(node.word if isinstance(node, Term) else " ".join(node.words))
    return lambda index: index.term_postings(terms)


# A topic of plain words in its smallest form: a stem, or ("&" | "|", part, part, …), or
# ("-", part, excluded, …) for words with exclusions (`a OR b -survey`). Made of strings and
# tuples only, so the garbage collector stops tracking it: 100,000 cached topics would
# otherwise be a million objects for every full collection to walk.
WordsForm = str | tuple


def words_form(node: Node) -> WordsForm | None:
    """`node` as a WordsForm when it is single-word terms under AND and OR, with any
    exclusions of such terms under AND (its index hits are then exactly its matches), else
    None."""
    if isinstance(node, Term):
        terms = _terms_of(node.word)
        return terms[0] if len(terms) == 1 else None
    if isinstance(node, And | Or):
        parts, excluded = [], []
        for item in node.items:
            if isinstance(item, Not) and isinstance(node, And):
                excluded.append(words_form(item.item))
            else:
                parts.append(words_form(item))
        if not parts or any(p is None for p in (*parts, *excluded)):
            return None
        form = ("&" if isinstance(node, And) else "|", *parts)
        if excluded:
            return ("-", form if len(parts) > 1 else parts[0], *excluded)
        return form
    return None


def candidates_are_exact(node: Node) -> bool:
    """`candidates(node)` is exactly the matches: plain words, no exclusions (exclusions only
    filter, so candidates are a superset there; `words_hits` is still exact)."""
    form = words_form(node)
    return form is not None and not _excludes(form)


def _excludes(form: WordsForm) -> bool:
    return isinstance(form, tuple) and (form[0] == "-" or any(_excludes(p) for p in form[1:]))


# Clauses: what a paper must hold for a topic to match it, as sets of keys (a stem, or CAT /
# ORG and a `cat:` / `org:` posting key: the keys `candidates` reads), each set needed — some
# key of every clause. Alerts file each stored topic under one clause once, and a day then
# looks only at topics filed under a key it holds and whose other clauses it also meets: most
# of 100,000 topics name no word of a 50-paper day and are never looked at.
CAT, ORG, AUTHOR = "\x01", "\x02", "\x03"  # never in a stem (letters and digits)
Clauses = list[frozenset[str]]  # [] needs no key; a clause frozenset() can never be met


def node_clauses(node: Node) -> Clauses:
    """`node`'s clauses: every paper it matches holds a key of each."""
    if isinstance(node, Term | Phrase):
        terms = _terms_of(node.word if isinstance(node, Term) else " ".join(node.words))
        return [frozenset((t,)) for t in dict.fromkeys(terms)] or [frozenset()]
    if isinstance(node, Field):
        if node.name == "cat":
            return [frozenset((CAT + category_patterns(node.value)[0],))]
        if node.name == "org":
            return [frozenset((ORG + ascii_lower(node.value),))]
        if node.name == "author":
            return _author_clauses({ascii_lower(v) for v in author_variants(node.value)})
        return []
    if isinstance(node, And):
        return [c for item in node.items for c in node_clauses(item)]
    if isinstance(node, Or):
        return _any_of([node_clauses(item) for item in node.items])
    return []  # exclusions, thresholds and flags need no key


def _author_clauses(needles: set[str]) -> Clauses:
    """A name holding one of `needles` holds each trigram of it: per trigram position, a
    clause of every needle's trigram there (none for a needle under three letters). The
    trigrams across a space ("g c" of "yang chen") are what a day's names rarely hold."""
    if any(len(n) < 3 or "\0" in n for n in needles):
        return []
    spots = range(min(map(len, needles)) - 2)
    return list(dict.fromkeys(frozenset(AUTHOR + n[k : k + 3] for n in needles) for k in spots))


def form_clauses(form: WordsForm) -> Clauses:
    """`node_clauses` of a WordsForm."""
    if isinstance(form, str):
        return [frozenset((form,))]
    if form[0] == "&":
        return [c for p in form[1:] for c in form_clauses(p)]
    if form[0] == "|":
        return _any_of([form_clauses(p) for p in form[1:]])
    return form_clauses(form[1])  # "-": the included part's


def _any_of(options: list[Clauses]) -> Clauses:
    """One clause for a disjunction: any of each option's cheapest clause (none when an
    option needs no key)."""
    if any(not o for o in options):
        return []
    return [frozenset().union(*(cheapest(o) for o in options))]


def cheapest(clauses: Clauses) -> frozenset[str]:
    """The clause a day is least likely to meet: fewest keys, stems before name trigrams
    before `cat:`/`org:` keys (a category is on many papers), longer stems before shorter
    (rarer, as a rule)."""
    return min(clauses, key=lambda c: (sum(_WEIGHT.get(k[0], 1) for k in c), -sum(map(len, c))))


_WEIGHT = {CAT: 50, ORG: 50, AUTHOR: 10}
