"""A day's themes: synonyms, abbreviations, plurals and case merged; golden cases from real days."""

from __future__ import annotations

import json

import pytest

from bot.model import Paper, Theme
from bot.sources.hf_parse import parse_daily_papers
from bot.summaries import themes
from bot.summaries.themes import day_themes
from tests.support.core import shared_data


def day(name: str) -> list[Paper]:
    path = shared_data("hf-daily-papers") / f"{name}.json"
    return list(parse_daily_papers(json.loads(path.read_text(encoding="utf-8"))).papers)


def paper(pid: str, *keywords: str, title: str = "T") -> Paper:
    return Paper(id=pid, title=title, ai_keywords=keywords)


# --- golden cases: real days -----------------------------------------------------------------
GOLDEN = {
    # ai_keywords era: "Large Language Models", "large language models", "LLMs", "MLLMs",
    # "vision-aware LLMs" … are one theme; "RL" and "Reinforcement Learning" another; GRPO,
    # "group relative policy optimization" and "Iterative Self-Play Policy Optimization" a third.
    "2025-10-01": [
        ("large language models", 15),
        ("reinforcement learning", 9),
        ("policy optimization", 5),
        ("supervised fine-tuning", 4),
    ],
    "2025-06-25": [
        ("large language models", 7),
        ("fine-tuning", 4),
        ("diffusion models", 3),
        ("reinforcement learning", 3),
    ],
    "2025-12-15": [("diffusion models", 3), ("large language models", 3), ("latent spaces", 2)],
    # before ai_keywords (titles only): "LLMs" and "Large Language Models" in titles are one
    "2024-07-15": [("LLMs", 4), ("context", 2), ("evolution", 2), ("images", 2)],
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_days(name: str) -> None:
    assert [(t.label, t.count) for t in day_themes(day(name))] == GOLDEN[name]


def test_the_llm_theme_counts_every_spelling_of_it_once() -> None:
    papers = day("2025-10-01")
    spellings = {"large language models", "large language model", "llms", "llm"}
    spelled = {p.id for p in papers if {k.casefold() for k in p.ai_keywords} & spellings}
    (llm,) = [t for t in day_themes(papers) if t.label == "large language models"]
    assert len(spelled) >= 9 and llm.count >= len(spelled)
    labels = [t.label.casefold() for t in day_themes(papers)]
    assert "llms" not in labels and "reinforcement learning" in labels and "rl" not in labels


def test_on_real_days_no_theme_repeats_another() -> None:
    for name in ("2024-05-27", "2024-12-10", "2025-03-13", "2025-05-01", "2025-09-10", *GOLDEN):
        papers = day(name)
        found = day_themes(papers)
        keys = [themes._key_of(t.label, themes.ABBREVIATIONS) for t in found]
        assert len(found) <= themes.THEMES_MAX
        assert [t.count for t in found] == sorted((t.count for t in found), reverse=True)
        assert all(2 <= t.count <= len(papers) for t in found)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                assert not themes._contains(a, b) and not themes._contains(b, a), (name, found)


# --- the merges, one by one ------------------------------------------------------------------
def test_abbreviation_plural_and_case_are_one_theme() -> None:
    papers = [
        paper("1", "LLMs", "agents"),
        paper("2", "Large Language Models"),
        paper("3", "large language model", "Agent"),
        paper("4", "LLM"),
    ]
    assert day_themes(papers) == (Theme("large language models", 4), Theme("agents", 2))


def test_an_acronym_the_day_spells_out_is_matched_by_its_initials() -> None:
    papers = [paper("1", "supervised fine-tuning"), paper("2", "SFT"), paper("3", "KTO")]
    assert day_themes(papers) == (Theme("supervised fine-tuning", 2),)
    moe = [paper("1", "Mixture-of-Experts"), paper("2", "MoE"), paper("3", "mixture of experts")]
    assert [t.count for t in day_themes(moe)] == [3]


def test_hyphens_and_split_prefixes_do_not_split_a_theme() -> None:
    papers = [paper("1", "multi-modal reasoning"), paper("2", "Multimodal Reasoning")]
    assert day_themes(papers) == (Theme("multi-modal reasoning", 1 + 1),)


def test_a_narrower_keyword_joins_the_broader_theme() -> None:
    papers = [
        paper("1", "diffusion models"),
        paper("2", "video diffusion models"),
        paper("3", "consistency-aware RL framework"),
        paper("4", "reinforcement learning"),
    ]
    assert day_themes(papers) == (
        Theme("diffusion models", 2),
        Theme("reinforcement learning", 2),
    )


def test_a_trailing_abbreviation_in_parentheses_is_the_same_keyword() -> None:
    papers = [paper("1", "large language models (LLMs)"), paper("2", "LLMs")]
    assert day_themes(papers) == (Theme("large language models", 2),)


def test_generic_keywords_and_one_paper_keywords_are_not_themes() -> None:
    papers = [paper("1", "benchmark", "x-ray"), paper("2", "Benchmarks"), paper("3", "y")]
    assert day_themes(papers) == ()
    assert day_themes([paper("1", "solo topic")]) == (Theme("solo topic", 1),)
    assert day_themes([]) == ()


def test_titles_are_used_on_days_without_keywords() -> None:
    papers = [
        Paper("1", "Video Agents for Large Language Models"),
        Paper("2", "LLMs as Video Critics"),
        Paper("3", "Agent Swarms"),
    ]
    assert day_themes(papers) == (
        Theme("agents", 2),
        Theme("large language models", 2),
        Theme("video", 2),
    )
