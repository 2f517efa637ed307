"""Relevance blended with community signal: the order of a search's best hits.

The index scores each hit coarsely (`bot.query.search`: a word in the title or keywords 4, in
the text 1), and that score stays the first key: community never lifts an abstract-only hit
over a title hit. Two finer signals are then added, each below one step of that score:

- **Named for the query.** A paper called "DeepSeek-R1: Incentivizing …" *is* what someone
  typing "deepseek" looks for, more than one that mentions DeepSeek in its keywords. A word
  or phrase in the name before the title's colon adds 0.5, plus 1.5 × the share of the name it
  covers (a short name is more about the word: "DeepSeek-R1" over "DeepSeek-Prover-V1.5").
- **Community.** Upvotes, on a log scale squeezed into [0, 1): 1 − 1/(1 + log10(1 + up)).
  Strictly increasing, so among hits the name does not separate, the order is exactly
  "most upvoted first" as before; between named papers, 48 upvotes against 11 weighs less
  than a name that is half the query against one that is a third.

Ties after that go to the newest, then the id. Only a pool of the coarse order's top is
re-ranked (`search.POOL`), so the cost is a few dozen titles, not every candidate.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from bot.query.ast import Node, Phrase, Term
from bot.query.fts_text import index_terms
from bot.query.match import contains_run, query_terms

NAME_HIT = 0.5
NAME_COVERAGE = 1.5
# A name is a short label before a colon; a long clause before one is a sentence, not a name.
_NAME_MAX_TERMS = 8


def title_name(title: str) -> tuple[str, ...]:
    """The indexed terms of the name before the title's colon; () when it has none."""
    head, colon, _ = title.partition(":")
    return name_terms(head) if colon else ()


@functools.lru_cache(maxsize=8192)
def name_terms(head: str) -> tuple[str, ...]:
    """The indexed terms of a title's part before its colon (search reads that part from
    `paper_keys.name`); () when it is too long to be a name. Cached: the same recent papers
    head most searches' pools, and stemming their names is most of the re-rank's time."""
    terms = tuple(index_terms(head))
    return terms if len(terms) <= _NAME_MAX_TERMS else ()


def name_bonus(atoms: Sequence[Node], title: str) -> float:
    """How much the title's name is about the query's words and phrases (0 when it is not)."""
    return Blend(atoms).name_bonus(title)


def community(upvotes: int | None) -> float:
    """Upvotes on a log scale in [0, 1): strictly increasing, so it orders as upvotes do."""
    return 1.0 - 1.0 / (1.0 + math.log10(1 + max(upvotes or 0, 0)))


def blended(score: float, atoms: Sequence[Node], title: str, upvotes: int | None) -> float:
    """The coarse index score plus the name and community signals."""
    return Blend(atoms).of(score, title, upvotes)


class Blend:
    """`blended` for one query's pool: its words' terms are stemmed once, not per title."""

    __slots__ = ("_terms",)

    def __init__(self, atoms: Sequence[Node]) -> None:
        terms = (query_terms(a) for a in atoms if isinstance(a, Term | Phrase))
        self._terms = [t for t in terms if t]

    def name_bonus(self, title: str) -> float:
        return self._bonus(title_name(title) if self._terms else ())

    def of(self, score: float, title: str, upvotes: int | None) -> float:
        head, colon, _ = title.partition(":")
        return self.of_name(score, head if colon else None, upvotes)

    def of_name(self, score: float, head: str | None, upvotes: int | None) -> float:
        """`of` from the title's part before its colon (None: the title has no colon)."""
        name = name_terms(head) if head is not None and self._terms else ()
        return score + self._bonus(name) + community(upvotes)

    def _bonus(self, name: tuple[str, ...]) -> float:
        bonus = 0.0
        for terms in self._terms if name else ():
            if contains_run(name, terms):
                bonus += NAME_HIT + NAME_COVERAGE * len(terms) / len(name)
        return bonus
