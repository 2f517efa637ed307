"""The day's overview: how many papers, what they are about, which ones people liked most.

`headline_text` is a day's `DayHeadline` (the parent of its thread, themes from
`bot.summaries.themes`) as plain text, for places without markup (the terminal, JSON);
`top_keywords` and `keyword_counts` count HF's keywords (or title words) for the roundup and its
chart. Pure and deterministic (ties break alphabetically), so a digest renders the same every
time and tests can pin the exact text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from bot.model import DayHeadline, Paper, TopPaper
from bot.summaries.shorten import fit_label
from bot.summaries.vocab import TITLE_STOPWORDS, TITLE_WORD, stem
from bot.text import KEYWORD_MAX

SEPARATOR = " · "


def headline_text(headline: DayHeadline) -> str:
    """The parent of a day's thread as plain lines, e.g.

    `37 papers today · the top 15 are in this thread`
    `Themes: large language models (15) · reinforcement learning (9)`
    `Most upvoted:` then `  ▲ 117 Vision-Zero: …`, one line each
    """
    count, rest = headline.count_parts
    lines = [count + rest]
    if headline.overview:
        lines.append(headline.overview)
    elif headline.themes:
        lines.append("Themes: " + SEPARATOR.join(f"{t.label} ({t.count})" for t in headline.themes))
    if headline.top:
        lines.append("Most upvoted:")
        lines += [f"  {_top_entry(t)}" for t in headline.top]
    return "\n".join(lines)


def _top_entry(top: TopPaper) -> str:
    return f"▲ {top.upvotes} {top.title}" if top.upvotes is not None else top.title


def top_keywords(papers: Sequence[Paper], n: int = 3) -> list[str]:
    """The day's most frequent keywords: HF's ai_keywords when the day has them, else title words.

    Each paper counts a keyword once; with more than one paper a keyword must appear in at
    least two, otherwise it says nothing about the day.
    """
    if n <= 0:
        return []
    if any(p.ai_keywords for p in papers):
        per_paper = [_keyword_terms(p.ai_keywords) for p in papers]
    else:
        per_paper = [_title_terms(p.title) for p in papers]
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for terms in per_paper:
        for key, spelling in terms.items():
            counts[key] += 1
            spellings.setdefault(key, Counter())[spelling] += 1
    minimum = 2 if len(papers) > 1 else 1
    ranked = sorted((k for k, c in counts.items() if c >= minimum), key=lambda k: (-counts[k], k))
    return [fit_label(_most_common_spelling(spellings[k]), KEYWORD_MAX) for k in ranked[:n]]


def _keyword_terms(keywords: Iterable[str]) -> dict[str, str]:
    """casefolded key → spelling, one entry per distinct keyword of a paper."""
    terms: dict[str, str] = {}
    for kw in keywords:
        spelling = " ".join(_display_case(w) for w in str(kw).split())
        if spelling:
            terms.setdefault(spelling.casefold(), spelling)
    return terms


def _title_terms(title: str) -> dict[str, str]:
    """stem → spelling for a title's meaningful words, so "Agents" and "agent" count together."""
    terms: dict[str, str] = {}
    for word in TITLE_WORD.findall(title):
        lower = word.lower()
        if len(word) < 3 or lower in TITLE_STOPWORDS:
            continue
        terms.setdefault(stem(lower), _display_case(word))
    return terms


def _display_case(word: str) -> str:
    """Acronyms and names keep their casing ("LLMs", "GPT-4"); title-cased words are lowered."""
    return word if any(c.isupper() for c in word[1:]) else word.lower()


def _most_common_spelling(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda s: (-spellings[s], s))


def keyword_counts(papers: Sequence[Paper]) -> dict[str, tuple[int, str]]:
    """casefolded keyword → (how many of `papers` have it, its commonest spelling), from HF's
    ai_keywords: what the roundup's chart compares between two periods."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for p in papers:
        for key, spelling in _keyword_terms(p.ai_keywords).items():
            counts[key] += 1
            spellings.setdefault(key, Counter())[spelling] += 1
    return {k: (c, _most_common_spelling(spellings[k])) for k, c in counts.items()}
