"""Sentence splitting for arXiv abstracts.

A naive split on ". " breaks on "e.g. GPT", "et al. showed", "Fig. 3" and initials, which
turns a summary into a fragment. Abstracts also arrive with arXiv's hard line breaks, so the
text is whitespace-normalised first; decimals ("3.5") and URLs never contain ". " and so
never split.
"""

from __future__ import annotations

import re

from bot.text import collapse_whitespace

# Tokens that end with "." but almost never end a sentence in an abstract (lower-cased,
# without the final dot). "etc" is deliberately absent: it usually does end one.
ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "al", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "ref", "refs",
        "vs", "cf", "approx", "resp", "vol", "pp", "dr", "mr", "mrs", "prof", "inc", "ltd",
        "corp", "jr", "viz", "w.r.t", "a.k.a", "incl", "thm", "appx",
    }
)  # fmt: skip

# A boundary candidate: end punctuation, optional closing quotes/brackets, whitespace, then
# something that can start a sentence.
_BOUNDARY = re.compile(
    r"""([.!?])(["'\u201d\u2019)\]]*)\s+(?=["'\u201c\u2018(\[]?[A-Z0-9])"""
    # Sentences glued without a space ("budgets.While"), seen in real abstracts.
    r"|(?<=[a-z]{2})([.!?])()(?=[A-Z][a-z]{2})"
)
_WORD_BEFORE = re.compile(r"(\S+)$")


_LATEX_ESCAPE = re.compile(r"\\([%&_#$'])")
# Formatting commands whose argument is the text: "\textbf{X}" → "X".
_LATEX_ARG = re.compile(
    r"\\(?:textbf|textit|emph|texttt|textsc|textrm|textsf|underline|text|mathrm|mathbf|mathit"
    r"|mathcal|mathsf|mathtt|url|href\{[^{}]*\})\{([^{}]*)\}"
)
# Old-style switches inside braces: "{\em X}" → "X"; a macro alone in braces: "{\name}" → "\name".
_LATEX_SWITCH = re.compile(r"\{\\(?:em|bf|it|sc|tt|rm|sf)\s+([^{}]*)\}")
_LATEX_BRACED = re.compile(r"\{(\\[A-Za-z]+)\}")
_LATEX_WORDS = {
    "\\ie": "i.e.",
    "\\eg": "e.g.",
    "\\etal": "et al.",
    "\\wrt": "w.r.t.",
    "\\vs": "vs.",
}
_LATEX_WORD = re.compile(r"\\(?:ie|eg|etal|wrt|vs)\b\.?")
# What is left of LaTeX after cleaning: a macro we cannot expand (an author's own \OurMethod).
LATEX_MACRO = re.compile(r"\\[A-Za-z]+")


def clean_latex(text: str) -> str:
    """LaTeX an abstract carries turned into what it reads as: escaped punctuation ("20\\%"),
    formatting commands ("\\textbf{X}", "{\\em X}") and abbreviations ("\\ie") become text.
    Macros only the authors' own preamble defines ("\\OurMethod") are left for the caller."""
    text = _LATEX_ESCAPE.sub(r"\1", text)
    for _ in range(2):  # one level of nesting: \textbf{\textit{X}}
        text = _LATEX_ARG.sub(r"\1", text)
    text = _LATEX_SWITCH.sub(r"\1", text)
    text = _LATEX_BRACED.sub(r"\1", text)
    return _LATEX_WORD.sub(lambda m: _LATEX_WORDS[m.group(0).rstrip(".")], text)


def clean_abstract(text: str) -> str:
    """Whitespace collapsed and LaTeX turned into plain text (see `clean_latex`)."""
    return clean_latex(collapse_whitespace(text))


def _is_abbreviation(before: str) -> bool:
    """True when the word ending at a "." is an abbreviation or an initial, not a sentence end."""
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1).lstrip("([\"'").lower()
    if word in ABBREVIATIONS:
        return True
    # Single-letter initials ("J. Smith") and dotted abbreviations ("U.S", "e.g").
    return len(word) == 1 and word.isalpha() or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _in_url(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    return bool(match) and ("/" in match.group(1) or match.group(1).lower().startswith("www"))


def split_sentences(text: str) -> list[str]:
    """Split an abstract into sentences, keeping each sentence's own punctuation."""
    text = clean_abstract(text)
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        mark = 1 if match.group(1) else 3
        before = text[start : match.start(mark)]
        if match.group(mark) == "." and _is_abbreviation(before):
            continue
        if mark == 3 and _in_url(before):
            continue
        end = match.end(mark + 1)
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
