"""Tokenise text the way SQLite FTS5's `porter` (over `unicode61`) tokenizer does.

The alert matcher runs in Python, the search in SQL; both must cut and stem words the
same way or a topic would match in one and not the other. Rules mirrored from unicode61
with its defaults (remove_diacritics=1): letters, digits and private-use characters make
tokens, everything else separates; case is folded; a Latin letter with exactly one
accent loses it; combining accents inside a word vanish. Known gap: SQLite's tables are
Unicode 6.1, so characters added later (e.g. newer emoji) are word characters there and
separators here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.query.porter import stem_bytes

# The combining accents unicode61 treats as part of a word and then drops.
_DROPPED_ACCENTS = frozenset(
    chr(cp)
    for lo, hi in (
        (0x300, 0x304), (0x306, 0x30C), (0x30F, 0x30F), (0x311, 0x311), (0x31B, 0x31B),
        (0x323, 0x328), (0x32D, 0x32E), (0x330, 0x331),
    )
    for cp in range(lo, hi + 1)
)  # fmt: skip
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str | None:
    """The folded form of one non-ASCII character: None if it separates words, "" if dropped."""
    if ch in _DROPPED_ACCENTS:
        return ""
    category = unicodedata.category(ch)
    if category[0] not in "LN" and category not in ("Co", "Cn"):
        return None
    folded = ch.casefold()
    if len(folded) != 1:
        lowered = ch.lower()
        folded = lowered if len(lowered) == 1 else unicodedata.normalize("NFD", ch)[0].lower()
    base, *accents = unicodedata.normalize("NFD", folded)
    if len(accents) == 1 and accents[0] in _DROPPED_ACCENTS and base.isascii() and base.isalpha():
        return base
    return folded


def is_word_char(ch: str) -> bool:
    """True when FTS5 would keep `ch` inside a word (letters, digits, some accents)."""
    if ch.isascii():
        return ch.isalnum()
    return _fold(ch) is not None


def fts_words(text: str) -> list[str]:
    """Case-folded, accent-stripped words of `text`, not stemmed."""
    if text.isascii():
        return [m.group().lower() for m in _ASCII_WORD.finditer(text)]
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        folded = ch.lower() if ch.isascii() and ch.isalnum() else None
        if folded is None and not ch.isascii():
            folded = _fold(ch)
        if folded is None:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(folded)
    if current:
        words.append("".join(current))
    return [w for w in words if w]


@lru_cache(maxsize=65536)  # word frequencies are Zipfian: most calls are repeats
def stem(word: str) -> str:
    """Porter stem of one folded word, as FTS5 stores it."""
    if word.isascii():
        return stem_bytes(word.encode()).decode()
    return stem_bytes(word.encode()).decode("utf-8", "surrogateescape")


def index_terms(text: str) -> list[str]:
    """The terms FTS5 `porter` would index for `text`, in order."""
    return [stem(word) for word in fts_words(text)]
