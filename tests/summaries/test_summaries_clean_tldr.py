"""Offline TL;DRs a person can read on their own: no LaTeX, no URL, no opener leaning on the
sentence before ("However, …", "These models …", "In this paper, …")."""

from __future__ import annotations

import json
import re

from bot.summaries.extractive import extractive_tldr
from tests.support.core import shared_data

# Written here, independently of the summariser's own patterns.
MACRO = re.compile(r"\\[A-Za-z]+|\\[{}]")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
LEANING = re.compile(
    r"^(?:however|these|this|those|such|it|its|they|their|our|moreover|furthermore|"
    r"additionally|also|thus|therefore|hence|in this|in addition|here|then|besides|instead|"
    r"nevertheless|nonetheless|consequently|to this end|building on|as a result|in contrast)\b",
    re.IGNORECASE,
)


def test_latex_formatting_becomes_text() -> None:
    abstract = (
        "We introduce \\textbf{FastCache}, a training-free strategy that accelerates video "
        "diffusion inference by 2x. It uses {\\em dynamic} caching, \\ie, reuse of features."
    )
    out = extractive_tldr(abstract, "FastCache: Faster Video Diffusion")
    assert out.startswith("FastCache, a training-free strategy")
    assert not MACRO.search(out)


def test_a_sentence_with_an_unexpandable_macro_loses_to_a_readable_one() -> None:
    abstract = (
        "We present \\OurMethod, a model for reading charts. "
        "We propose a chart-reading model that answers questions about plots and tables well."
    )
    out = extractive_tldr(abstract, "ChartReader: Reading Charts")
    assert "\\" not in out and "chart-reading model" in out


def test_when_every_sentence_has_a_macro_the_macro_is_dropped() -> None:
    out = extractive_tldr("We present \\OurMethod, a model for reading charts and tables.", "")
    assert not MACRO.search(out) and out.startswith("A model for reading charts")


def test_a_url_never_reaches_the_tldr() -> None:
    abstract = (
        "We release our code at https://github.com/org/repo for everyone. "
        "We propose a retrieval method that halves the latency of question answering systems."
    )
    out = extractive_tldr(abstract, "")
    assert not URL.search(out) and "retrieval method" in out
    only_url = extractive_tldr("Code and data: https://github.com/org/repo and our demo page.", "")
    assert not URL.search(only_url)


def test_a_problem_statement_opening_with_however_loses_to_the_contribution() -> None:
    abstract = (
        "Large models are costly. However, the viability of these growth methods in efficient "
        "pre-training remains underexplored. We propose GrowNet, a method that grows a small model "
        "into a large one during pre-training."
    )
    out = extractive_tldr(abstract, "GrowNet: Growing Language Models")
    assert out.startswith("GrowNet, a method, grows")


def test_leaning_openers_are_rewritten_into_self_contained_starts() -> None:
    out = extractive_tldr(
        "In this work, we consider the problem of automatic curation of datasets for pre-training.",
        "",
    )
    assert out.startswith("We consider the problem of automatic curation")
    out = extractive_tldr(
        "This paper examines whether large language models have a theory of mind.", ""
    )
    assert out.startswith("Examines whether large language models")
    out = extractive_tldr(
        "Our recaptioning pipeline is simple and improves the captions of images.", ""
    )
    assert out.startswith("The recaptioning pipeline is simple")


def test_the_recorded_corpus_has_no_latex_no_url_and_almost_no_leaning_opener() -> None:
    days = shared_data("hf-daily-papers")
    papers: dict[str, dict] = {}
    for path in sorted(days.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            paper = entry.get("paper") or {}
            if paper.get("id"):
                papers[paper["id"]] = paper
    tldrs = [extractive_tldr(p.get("summary") or "", p.get("title") or "") for p in papers.values()]
    assert len(tldrs) > 5000
    assert [t for t in tldrs if MACRO.search(t)] == []
    assert [t for t in tldrs if URL.search(t)] == []
    leaning = [t for t in tldrs if LEANING.match(t)]
    assert len(leaning) < 0.01 * len(tldrs), leaning[:5]
