"""`show`'s detailed view: what a card leaves out, as the reply's plain body.

A card is the compact face of a paper (title, TL;DR, signals, links, three authors). `show`
is the one place a person reads a paper in full before opening it: every author, the
abstract (shortened, with a link to the whole), who submitted it to the daily list, and its
arXiv categories. It is said as the reply's `text`, below no heading of its own, so each
adapter renders it with the escaping and splitting it already gives every reply body, and
nothing on the card is said twice (the authors line says how many there are in all).
"""

from __future__ import annotations

from bot.cards import arxiv_abs_url
from bot.model import Paper
from bot.summaries.shorten import fit_label, fit_to_length
from bot.text import AUTHOR_MAX, collapse_whitespace, plural

ABSTRACT_MAX = 700
# Past this, a paper of hundreds of authors (a collaboration) names the first ones and counts.
AUTHORS_TEXT_MAX = 1_200


def detail_text(paper: Paper) -> str:
    """The lines `show` adds beside the card, plain text (the adapter escapes it)."""
    lines = []
    if paper.authors:
        lines.append(f"{plural(len(paper.authors), 'author')}: {_authors(paper.authors)}")
    facts = []
    if paper.submitted_by:
        facts.append(f"Submitted by {collapse_whitespace(paper.submitted_by)}")
    if paper.categories:
        facts.append("arXiv " + ", ".join(paper.categories))
    if facts:
        lines.append(" · ".join(facts))
    abstract = collapse_whitespace(paper.abstract or "")
    if abstract:
        short = fit_to_length(abstract, ABSTRACT_MAX)
        lines.append(f"Abstract: {short}")
        if short != abstract:
            lines.append(f"More: {arxiv_abs_url(paper.id)}")
    return "\n".join(lines)


def _authors(authors: tuple[str, ...]) -> str:
    shown: list[str] = []
    used = 0
    for name in authors:
        name = fit_label(collapse_whitespace(name), AUTHOR_MAX)
        if used + len(name) > AUTHORS_TEXT_MAX:
            break
        shown.append(name)
        used += len(name) + 2
    rest = len(authors) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")
