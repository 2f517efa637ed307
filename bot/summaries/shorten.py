"""Shortening text to a character limit without ever cutting a word.

A TL;DR that ends in "transfor…" reads as broken; one that ends at a clause ("X, a method
that…") reads as a deliberate abridgement. The ellipsis counts toward the limit.
"""

from __future__ import annotations

ELLIPSIS = "…"

# Places where a sentence can stop and still read as a phrase, best first.
_CLAUSE_BREAKS = ("; ", ": ", " — ", " – ", " -- ", ", ", " (")
# How much of the room a clause break must keep to be preferred over a plain word break.
_MIN_CLAUSE_SHARE = 0.6
_DANGLING = frozenset(
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "for", "in", "on", "at", "by", "with",
        "from", "via", "as", "that", "which", "while", "whose", "where", "when", "than", "into",
        "onto", "its", "their", "our", "this", "these", "those", "such", "both", "either", "is",
        "are", "was", "were", "be", "been", "being", "can", "could", "may", "might", "will",
        "would", "should", "must", "has", "have", "had", "also", "nor", "so", "then", "thus"
    }
)  # fmt: skip
_TRAILING_PUNCT = ",;:—–-([{/'\"“‘"


def fit_to_length(text: str, max_chars: int) -> str:
    """`text` unchanged when it fits, else its longest clean prefix plus "…" (≤ max_chars).

    Returns "…" alone when not even one whole word fits (only for absurdly small limits).
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    room = max_chars - len(ELLIPSIS)
    head = _cut_at_clause(text, room) or _cut_at_word(text, room)
    head = _tidy_end(head)
    return f"{head}{ELLIPSIS}" if head else ELLIPSIS


def fit_label(text: str, max_chars: int) -> str:
    """`fit_to_length` for a title, keyword or name: when not one whole word fits (a 100 KB
    keyword is one word), the word itself is cut before the "…" rather than lost."""
    short = fit_to_length(text, max_chars)
    if short != ELLIPSIS or max_chars <= len(ELLIPSIS):
        return short
    return " ".join(text.split())[: max_chars - len(ELLIPSIS)] + ELLIPSIS


def _cut_at_clause(text: str, room: int) -> str:
    """The longest prefix ending at a clause break that keeps enough of the room."""
    best = -1
    for mark in _CLAUSE_BREAKS:
        pos = text.rfind(mark, 0, room + 1)
        if pos > best:
            best = pos
    if best >= _MIN_CLAUSE_SHARE * room:
        return text[:best]
    return ""


def _cut_at_word(text: str, room: int) -> str:
    """The longest prefix of whole words within `room` (a space must follow the cut)."""
    if room <= 0:
        return ""
    pos = text.rfind(" ", 0, room + 1)
    return text[:pos] if pos > 0 else ""


def _tidy_end(head: str) -> str:
    """Drop dangling connectives, unclosed brackets and trailing punctuation before "…"."""
    words = head.split()
    while words:
        last = words[-1].rstrip(_TRAILING_PUNCT)
        if not last or last.lower() in _DANGLING:
            words.pop()
            continue
        words[-1] = last
        break
    head = " ".join(words)
    opened = head.rfind("(")
    if opened > head.rfind(")") and opened > 0:
        head = _tidy_end(head[:opened])
    return head
