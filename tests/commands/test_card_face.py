"""What every platform's card face shows, decided once in bot/cards.py: short counts, the
first authors, keywords that do not repeat the title, and the link buttons."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.cards import card_keywords, card_links, context_authors
from bot.model import Link
from bot.text import short_count
from tests.support.cards import SIGNALS


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, "0"), (999, "999"), (1000, "1k"), (6300, "6.3k"), (12_345, "12k"), (999_999, "1M"),
     (1_250_000, "1.2M")],
)  # fmt: skip
def test_short_count(n: int, shown: str) -> None:
    assert short_count(n) == shown


def test_keywords_repeating_the_title_are_dropped_case_and_plural_insensitive() -> None:
    card = replace(
        SIGNALS,
        title="Diffusion Models for Video Generation",
        keywords=(
            "diffusion model",
            "VIDEO GENERATION",
            "video",
            "Video",
            "transformers",
            "x",
            "y",
        ),
    )
    assert card_keywords(card) == ("transformers", "x", "y")


def test_authors_are_the_first_two_then_et_al() -> None:
    assert context_authors(SIGNALS) == "Qinsi Wang, Bo Liu et al."
    assert context_authors(replace(SIGNALS, authors=("A", "B"), authors_total=2)) == "A, B"
    assert context_authors(replace(SIGNALS, authors=(), authors_total=0)) == ""


def test_link_buttons_are_pdf_code_with_stars_and_a_distinct_project() -> None:
    assert [link.label for link in card_links(SIGNALS)] == ["PDF", "Code ⭐6.3k", "Project"]
    no_stars = replace(SIGNALS, stars=None, links=(Link("Code", "https://github.com/a/b"),))
    assert [link.label for link in card_links(no_stars)] == ["Code"]
