"""The day overview line: count, top keywords, top paper; pure and deterministic."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.model import Paper
from bot.summaries.overview import day_overview_line, top_keywords

FIXTURE = Path(__file__).parents[1] / "fixtures" / "summaries" / "papers.json"


def paper(pid: str, title: str, upvotes: int | None = 0, keywords: tuple[str, ...] = ()) -> Paper:
    return Paper(id=pid, title=title, upvotes=upvotes, ai_keywords=keywords)


def test_no_papers() -> None:
    assert day_overview_line([]) == "No papers today."


def test_keywords_from_ai_keywords_and_the_top_paper() -> None:
    papers = [
        paper("1", "MCPMark: A Benchmark", 120, ("agents", "MCP", "Benchmark")),
        paper("2", "Diffusion Agents", 30, ("diffusion", "agents")),
        paper("3", "Fast Diffusion", 5, ("Diffusion", "benchmark", "agents")),
    ]
    assert day_overview_line(papers) == (
        '3 papers · top keywords: agents, benchmark, diffusion · top paper: "MCPMark: A '
        'Benchmark" (120 upvotes)'
    )


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


def test_singulars_missing_upvotes_and_no_keywords() -> None:
    assert day_overview_line([paper("1", "Alone", 1)]) == (
        '1 paper · top keywords: alone · top paper: "Alone" (1 upvote)'
    )
    line = day_overview_line([paper("1", "Zeta", None), paper("2", "Alpha", None)])
    assert line == '2 papers · top paper: "Alpha"'


def test_a_long_top_title_is_shortened_at_a_word() -> None:
    title = "A " + " ".join(["Remarkably"] * 12) + " Long Title"
    line = day_overview_line([paper("1", title, 7)])
    quoted = line.split('top paper: "', 1)[1].split('"', 1)[0]
    assert len(quoted) <= 80 and quoted.endswith("…") and quoted.startswith("A Remarkably")
    assert all(w in ("A", "Remarkably") for w in quoted.removesuffix("…").split())


def test_recorded_day() -> None:
    raw = json.loads(FIXTURE.read_text(encoding="utf-8"))["papers"]
    papers = [
        paper(p["id"], p["title"], p["upvotes"], tuple(p["ai_keywords"] or ()))
        for p in raw
        if p["id"].startswith("2509.")
    ]
    line = day_overview_line(papers)
    assert line.startswith("12 papers · top keywords: ")
    assert line.endswith(
        'top paper: "Vision-Zero: Scalable VLM Self-Improvement via Strategic Gamified '
        'Self-Play" (55 upvotes)'
    )
    assert "\n" not in line


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
    line = day_overview_line(papers)
    assert line == day_overview_line(shuffled) or _same_title_tie(papers)
    assert line.startswith(f"{len(papers)} paper")


def _same_title_tie(papers: list[Paper]) -> bool:
    """Two top papers with equal title and upvotes differ only by id, which the line omits."""
    best = max(p.upvotes or 0 for p in papers)
    tops = [" ".join(p.title.split()) for p in papers if (p.upvotes or 0) == best]
    return len(tops) != len(set(tops))
