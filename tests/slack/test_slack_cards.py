"""A paper reply on Slack shows every signal it has (and only those), the https thumbnail as
the section's accessory, and the buttons PDF, Code ⭐N, Project, Save — never HF or arXiv."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.slack.render import card_blocks, render_reply
from bot.model import Link, Reply
from tests.fakes.slack.block_kit_rules import validate_message
from tests.support.cards import BARE, CONTEXT, SIGNALS, THUMB, UNSAFE_THUMBNAILS


def _labels(blocks: list[dict]) -> list[str]:
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_every_signal_shows_in_one_context_line() -> None:
    section, context, _actions = card_blocks(SIGNALS)
    # one element, facts then keywords, so they wrap as one line of text (#11: a reply's height);
    # at most 3 keywords; "self-play" repeats the title ("…Gamified Self-Play") and is left out
    keywords = "_Vision language models · visual games · image pairs_"
    assert [e["text"] for e in context["elements"]] == [f"{CONTEXT} · {keywords}"]
    assert section["accessory"] == {"type": "image", "image_url": THUMB, "alt_text": SIGNALS.title}
    assert _labels(card_blocks(SIGNALS)) == [
        "PDF",
        "Code ⭐6.3k",
        "Project",
        "Save",
        "More like this",
    ]
    [body] = render_reply(Reply(text="", cards=(SIGNALS,)))
    assert validate_message(body).ok


def test_absent_signals_are_left_out_not_shown_empty() -> None:
    section, context, _actions = card_blocks(BARE)
    assert [e["text"] for e in context["elements"]] == [
        "▲ 55 · _Vision language models · visual games · image pairs_"
    ]
    assert "accessory" not in section
    assert _labels(card_blocks(BARE)) == ["PDF", "Save", "More like this"]


def test_project_is_left_out_when_it_is_the_code_link() -> None:
    same = replace(
        SIGNALS,
        links=(Link("Code", "https://github.com/a/b"), Link("Project", "https://github.com/a/b/")),
    )
    assert _labels(card_blocks(same)) == ["Code ⭐6.3k", "Save", "More like this"]


@pytest.mark.parametrize("url", UNSAFE_THUMBNAILS)
def test_a_thumbnail_that_is_not_https_is_never_shown(url: str) -> None:
    section, *_ = card_blocks(replace(SIGNALS, thumbnail=url))
    assert "accessory" not in section
