"""The offline TL;DR: sentence splitting, word-safe shortening, contribution picking."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.summaries.extractive import extractive_tldr, method_name
from bot.summaries.sentences import clean_abstract, split_sentences
from bot.summaries.shorten import ELLIPSIS, fit_to_length

FIXTURE = Path(__file__).parents[1] / "fixtures" / "summaries" / "papers.json"
SHARED_DAYS = Path(__file__).resolve().parents[3] / "shared" / "data" / "hf-daily-papers"
_RUN = re.compile(r"[^\W_]+")
_LEAD_IN = re.compile(r"(in this (paper|work), )?(we|this paper) (propose|introduce|present)", re.I)


def load_fixture_papers() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["papers"]


def assert_whole_words(output: str, source: str) -> None:
    """Every word of `output` is a whole word of `source` as it reads — LaTeX turned into
    text ("\\ie" reads "i.e.", "\\textbf{X}" reads "X") — case-insensitive, "…" aside."""
    words = {w.casefold() for w in _RUN.findall(clean_abstract(source))}
    for word in _RUN.findall(output.removesuffix(ELLIPSIS)):
        assert word.casefold() in words, f"{word!r} is not a whole word of the source"


# --- sentence splitting -------------------------------------------------------------------


def test_split_keeps_abbreviations_decimals_and_urls_inside_sentences() -> None:
    text = (
        "Prior work (e.g. GPT-4, i.e. large models) by Smith et al. fails. "
        "As Fig. 3 shows, accuracy rises from 3.5 to 7.25 points vs. baselines. "
        "Code: https://github.com/org/Repo.Name and www.Example.org. Done!"
    )
    assert split_sentences(text) == [
        "Prior work (e.g. GPT-4, i.e. large models) by Smith et al. fails.",
        "As Fig. 3 shows, accuracy rises from 3.5 to 7.25 points vs. baselines.",
        "Code: https://github.com/org/Repo.Name and www.Example.org.",
        "Done!",
    ]


def test_split_joins_arxiv_hard_line_breaks_and_glued_sentences() -> None:
    text = "We study the\n  problem of graphs.\nOur method\n  works.Results improve by 5%."
    assert split_sentences(text) == [
        "We study the problem of graphs.",
        "Our method works.",
        "Results improve by 5%.",
    ]


def test_split_unescapes_latex_punctuation() -> None:
    assert split_sentences(r"It gains 20\% on Q\&A. The model\'s size is small.") == [
        "It gains 20% on Q&A.",
        "The model's size is small.",
    ]


def test_split_of_blank_text_is_empty() -> None:
    assert split_sentences("  \n ") == []


# --- shortening ---------------------------------------------------------------------------


def test_fit_leaves_short_text_alone() -> None:
    assert fit_to_length("A short sentence.", 300) == "A short sentence."


def test_fit_prefers_a_clause_break_and_drops_dangling_words() -> None:
    text = "FDG, an effective approach that decomposes guidance into low and high frequencies"
    assert fit_to_length(text, 40) == "FDG, an effective approach…"  # not "… that…"
    clause = "X is a framework for visual reasoning, trained by self-play games"
    assert fit_to_length(clause, 50) == "X is a framework for visual reasoning…"
    assert fit_to_length("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"


def test_fit_never_leaves_an_unclosed_bracket() -> None:
    out = fit_to_length("Our method (which uses many tricks and more) wins", 30)
    assert out == "Our method…"


def test_fit_when_no_word_fits_returns_the_ellipsis() -> None:
    assert fit_to_length("Supercalifragilistic", 5) == ELLIPSIS
    with pytest.raises(ValueError):
        fit_to_length("x", 0)


# --- the TL;DR ----------------------------------------------------------------------------


def test_picks_the_contribution_and_drops_the_lead_in() -> None:
    abstract = (
        "Classifier-free guidance (CFG) is essential to diffusion models. However, its "
        "mechanisms are not well understood. Based on these insights, we propose "
        "frequency-decoupled guidance (FDG), an effective approach that applies separate "
        "guidance strengths to low and high frequencies. Code is available at "
        "https://github.com/x/fdg."
    )
    out = extractive_tldr(abstract, "Guidance in the Frequency Domain")
    assert out.startswith("Frequency-decoupled guidance (FDG), an effective approach")
    assert "Code" not in out


def test_prefers_the_sentence_naming_the_titles_method() -> None:
    abstract = (
        "Large models are costly. We also propose a small auxiliary dataset for ablations "
        "of many kinds. In this paper we introduce Vision-Zero, a framework for self-play "
        "with visual games."
    )
    out = extractive_tldr(abstract, "Vision-Zero: Scalable VLM Self-Improvement")
    assert out.startswith("Vision-Zero, a framework for self-play")


def test_adds_a_result_sentence_when_both_stay_short() -> None:
    abstract = (
        "Training is slow. We propose FastNet, a pruning method for transformers. "
        "FastNet outperforms baselines by 12% on GLUE."
    )
    out = extractive_tldr(abstract, "FastNet: Pruning")
    assert out == (
        "FastNet, a pruning method for transformers. FastNet outperforms baselines by 12% on GLUE."
    )


def test_long_single_sentence_is_shortened_at_a_boundary_with_an_ellipsis() -> None:
    abstract = "We propose Tiny, " + ", ".join(
        f"a method number {i} for task {i}" for i in range(40)
    )
    out = extractive_tldr(abstract, "Tiny: a test", max_chars=120)
    assert len(out) <= 120 and out.endswith(ELLIPSIS)
    assert_whole_words(out, abstract)


def test_empty_abstract_falls_back_to_the_title() -> None:
    assert extractive_tldr("", "A Title\n  Over Two Lines") == "A Title Over Two Lines"
    assert extractive_tldr("   ", "") == ""


def test_method_name_comes_from_a_short_title_prefix() -> None:
    assert method_name("Vision-Zero: Scalable VLM\n  Self-Improvement") == "Vision-Zero"
    assert method_name("A Very Long Prefix That Is Clearly Not A Name: Subtitle") == ""
    assert method_name("No colon here") == ""


@pytest.mark.parametrize("paper", load_fixture_papers(), ids=lambda p: p["id"])
def test_recorded_abstracts_give_short_whole_word_tldrs(paper: dict) -> None:
    out = extractive_tldr(paper["summary"], paper["title"])
    assert 20 <= len(out) <= 300
    assert_whole_words(out, paper["summary"])
    assert not _LEAD_IN.match(out), "the 'we propose' lead-in should have been dropped"


def test_recorded_examples_read_as_the_contribution() -> None:
    papers = {p["id"]: p for p in load_fixture_papers()}
    vision_zero = papers["2509.25541"]
    assert extractive_tldr(vision_zero["summary"], vision_zero["title"]).startswith(
        "Vision-Zero, a domain-agnostic framework"
    )
    mcpmark = papers["2509.24002"]
    assert extractive_tldr(mcpmark["summary"], mcpmark["title"]).startswith(
        "MCPMark, a benchmark to evaluate MCP use"
    )


# --- properties ---------------------------------------------------------------------------

_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG0123456789-é", min_size=1, max_size=25)
_separators = st.sampled_from(
    [" ", "  ", "\n  ", ". ", ", ", "; ", "! ", "? ", " (", ") ", ".", " e.g. "]
)


@st.composite
def abstracts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 80))):
        parts.append(draw(_words))
        parts.append(draw(_separators))
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(abstract=abstracts(), title=st.text(max_size=60), max_chars=st.integers(1, 400))
def test_tldr_fits_never_cuts_a_word_and_is_never_empty(
    abstract: str, title: str, max_chars: int
) -> None:
    out = extractive_tldr(abstract, title, max_chars)
    assert len(out) <= max_chars
    if abstract.strip():
        assert out
        assert_whole_words(out, abstract)
    if out.endswith(ELLIPSIS):
        head = out.removesuffix(ELLIPSIS)
        assert head == "" or head[-1] not in " ,;:("


@settings(max_examples=200, deadline=None)
@given(text=abstracts(), max_chars=st.integers(1, 300))
def test_fit_is_a_prefix_of_whole_words(text: str, max_chars: int) -> None:
    out = fit_to_length(text, max_chars)
    flat = " ".join(text.split())
    assert len(out) <= max_chars
    if out == flat:
        return
    head = out.removesuffix(ELLIPSIS)
    assert out.endswith(ELLIPSIS)
    assert flat.startswith(head)
    if head:  # the cut falls between words: what follows in the source is not a letter/digit
        rest = flat[len(head) :]
        assert not rest or not _RUN.match(rest[0])


def test_every_recorded_abstract_gives_a_valid_tldr() -> None:
    """All 5,841 recorded abstracts: ≤ 300 characters, non-empty, whole words only."""
    if not SHARED_DAYS.is_dir():
        pytest.skip(f"shared data {SHARED_DAYS} not available")
    checked = 0
    for path in sorted(SHARED_DAYS.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            paper = entry.get("paper") or {}
            abstract, title = paper.get("summary") or "", paper.get("title") or ""
            out = extractive_tldr(abstract, title)
            assert len(out) <= 300 and (out or not (abstract.strip() or title.strip()))
            assert_whole_words(out, abstract or title)
            checked += 1
    assert checked > 5000
