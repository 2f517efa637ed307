"""The Python tokenizer and stemmer against SQLite FTS5 itself (porter over unicode61).

The alert matcher and SQL search agree only if these agree, so SQLite is the oracle.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.query.fts_text import fts_words, index_terms, stem
from tests.support.fts import sqlite_terms

SETTINGS = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("diffusion", "diffus"),
        ("diffusions", "diffus"),
        ("diffuse", "diffus"),
        ("technology", "technolog"),  # revised Porter: logi -> log (snowball's "porter" differs)
        ("possibly", "possibl"),  # bli -> ble
        ("grokking", "grok"),  # any doubled consonant but l/s/z is undoubled
        ("models", "model"),
        ("alignment", "align"),
        ("is", "is"),  # under 3 bytes: not stemmed
        ("generalization", "gener"),
    ],
)
def test_known_stems(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed
    assert sqlite_terms([word]) == [[stemmed]]


SUFFIXES = [
    "", "s", "es", "ies", "ed", "ing", "ly", "ness", "ful", "ational", "tional", "izer",
    "ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti",
    "biliti", "logi", "bli", "alli", "entli", "eli", "ousli", "icate", "iciti", "ical",
    "ative", "alize", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
    "ent", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "eed", "y", "e", "ll",
]  # fmt: skip
english_like = st.tuples(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9),
    st.sampled_from(SUFFIXES),
).map("".join)


@SETTINGS
@given(st.lists(english_like, min_size=1, max_size=30))
def test_stemmer_matches_fts5_porter(words: list[str]) -> None:
    text = " ".join(words)
    assert index_terms(text) == sqlite_terms([text])[0]


# Characters from scripts Unicode 6.1 already had (SQLite's tables are 6.1), plus
# punctuation, digits, combining accents and case-folding oddities.
MIXED = (
    "abcXYZ019 _-.,;:'\"()[]{}!?/\\@#$%^&*+=<>|~`\t\n"
    "àÀéÉïÏôÔüÜçÇñÑøØåÅæÆœŒßẞſİıǅǆǈĳŉ"  # Latin with accents, ligatures, odd cases
    "\u0301\u0308\u0327\u0305\u0332"  # combining accents, kept-and-dropped and separating
    "αβγΣσςάέΐΰ"  # Greek, final sigma, tonos
    "абвЁёЙй"  # Cyrillic
    "日本語中文한국어テキスト"  # CJK
    "٠١٢۳४"  # other digits
    "–—‘’“”…€£©®™°±×÷µ"  # punctuation and symbols
    "\u00a0\u2009\u200b"  # odd spaces
)


@SETTINGS
@given(st.text(alphabet=MIXED, max_size=60))
def test_tokenizer_matches_unicode61(text: str) -> None:
    assert fts_words(text) == sqlite_terms([text], "unicode61")[0]
    assert index_terms(text) == sqlite_terms([text])[0]


def test_every_latin_greek_cyrillic_character_tokenizes_like_sqlite() -> None:
    """Each character between two letters: a separator, part of the word, or folded."""
    ranges = (
        (0x80, 0x52F),  # Latin-1 .. Cyrillic (minus the few letters added after 6.1)
        (0x1E00, 0x1FFF),  # Latin Extended Additional, Greek Extended
        (0x2000, 0x2064),  # general punctuation
        (0x3000, 0x30FF),  # CJK punctuation, kana
        (0x4E00, 0x9FCB),  # CJK ideographs
        (0xFF00, 0xFFEF),  # full-width forms
    )
    newer = (0x37F, 0x528, 0x52A, 0x52C, 0x52E)  # added after Unicode 6.1
    codepoints = [cp for lo, hi in ranges for cp in range(lo, hi + 1) if cp not in newer]
    texts = [f"a{chr(cp)}b" for cp in codepoints]
    expected = sqlite_terms(texts, "unicode61")
    mismatches = [
        (hex(cp), want, fts_words(text))
        for cp, text, want in zip(codepoints, texts, expected, strict=True)
        if fts_words(text) != want
    ]
    assert mismatches == []
