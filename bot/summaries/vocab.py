"""The vocabulary a day's themes and keywords are counted in: title words, the words that say
nothing about a day, and one cached stemmer — shared by `themes` and `overview`, so a title
word counts the same way in the thread's themes and in the roundup's keywords.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

# A title's words, hyphenated and apostrophe forms whole ("High-Resolution", "don't").
TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
# Words that say nothing about a day's themes: grammar, and the vocabulary every ML title uses.
TITLE_STOPWORDS = frozenset(
    {
        "a", "about", "across", "after", "against", "all", "an", "and", "any", "are", "as", "at",
        "be", "beyond", "between", "both", "but", "by", "can", "do", "does", "don't", "for", "from",
        "how", "in", "into", "is", "it", "its", "just", "less", "more", "not", "of", "off", "on",
        "one", "only", "or", "our", "over", "should", "than", "that", "the", "their", "them",
        "this", "those", "through", "to", "toward", "towards", "under", "up", "upon", "us", "via",
        "vs", "versus", "we", "what", "when", "where", "which", "while", "who", "why", "will",
        "with", "within", "without", "you", "your", "model", "models", "modeling", "modelling",
        "learning", "learn", "based", "approach", "approaches", "method", "methods", "framework",
        "frameworks", "using", "use", "new", "novel", "study", "analysis", "efficient", "effective",
        "improving", "improve", "improved", "enhancing", "enhance", "enhanced", "better", "large",
        "scale", "scaling", "data", "task", "tasks", "system", "systems", "paper", "work", "made",
        "make", "making", "simple", "general", "generalist", "language"
    }
)  # fmt: skip
# Snowball is pure Python (the theme search's whole cost); a day's words repeat across days.
stem = lru_cache(maxsize=50_000)(snowballstemmer.stemmer("english").stemWord)
