"""The day's top keywords (the roundup's): HF keywords or title words; pure and deterministic."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.model import Paper
from bot.summaries.overview import top_keywords

FIXTURE = Path(__file__).parents[1] / "fixtures" / "summaries" / "papers.json"


def paper(pid: str, title: str, upvotes: int | None = 0, keywords: tuple[str, ...] = ()) -> Paper:
    return Paper(id=pid, title=title, upvotes=upvotes, ai_keywords=keywords)


def test_title_words_when_no_paper_has_keywords() -> None:
    papers = [
        paper("1", "Scaling Agents via Self-Play", 3),
        paper("2", "An Agent for Video Reasoning", 9),
        paper("3", "Reasoning About Video With LLMs", 4),
        paper("4", "LLMs as Judges: a Large Language Model Study", 1),
    ]
    # "Agents"/"Agent" count together (spelling tie → alphabetical); "via", "a", "model",
    # "large", "language", "study" never count.
    assert top_keywords(papers, 5) == ["agent", "LLMs", "reasoning", "video"]


def test_keywords_need_two_papers_and_ties_break_alphabetically() -> None:
    papers = [paper("1", "Zebra Yak", 1), paper("2", "Yak Zebra", 1), paper("3", "Lonely Words", 1)]
    assert top_keywords(papers, 3) == ["yak", "zebra"]
    assert top_keywords([paper("1", "Quantum Gravity Tricks", 1)], 2) == ["gravity", "quantum"]
    assert top_keywords(papers, 0) == []


def test_recorded_day() -> None:
    raw = json.loads(FIXTURE.read_text(encoding="utf-8"))["papers"]
    papers = [
        paper(p["id"], p["title"], p["upvotes"], tuple(p["ai_keywords"] or ()))
        for p in raw
        if p["id"].startswith("2509.")
    ]
    assert len(papers) == 12
    # Spellings are kept apart here (the thread's themes merge them: tests of themes.py).
    assert top_keywords(papers, 3) == ["LLMs", "reinforcement learning", "large language models"]


_titles = st.text(alphabet="abcde XYZ-", min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(_titles, st.one_of(st.none(), st.integers(0, 50)), st.lists(_titles, max_size=3)),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_order_of_papers_does_not_matter(specs: list, rnd) -> None:
    papers = [paper(str(i), t, u, tuple(k)) for i, (t, u, k) in enumerate(specs)]
    shuffled = papers[:]
    rnd.shuffle(shuffled)
    assert top_keywords(papers, 5) == top_keywords(shuffled, 5)
