"""A paper reply on Discord: one embed (no fields) with every signal it has in the footer,
the https thumbnail, and one row of buttons PDF, Code ⭐N, Project, Save."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.discord.cards import card_embeds
from adapters.discord.render import reply_bodies
from bot.model import Reply
from tests.fakes.discord.validate import message_problems
from tests.support.cards import BARE, CONTEXT, SIGNALS, THUMB, UNSAFE_THUMBNAILS


def _labels(card) -> list[str]:  # type: ignore[no-untyped-def]
    [body] = reply_bodies(Reply(text="", cards=(card,)))
    assert not message_problems(body)
    return [b["label"] for row in body["components"] for b in row["components"]]


def test_every_signal_shows_in_the_footer() -> None:
    (embed,) = card_embeds(SIGNALS)
    # the keywords follow the facts in the footer; the description is the TL;DR alone (#11)
    keywords = "Vision language models · visual games · image pairs"
    assert embed["footer"]["text"] == f"{CONTEXT} · {keywords}" and "fields" not in embed
    assert embed["thumbnail"] == {"url": THUMB}
    assert embed["description"] == SIGNALS.tldr
    assert _labels(SIGNALS) == ["PDF", "Code ⭐6.3k", "Project", "Save", "More like this"]


def test_absent_signals_are_left_out_not_shown_empty() -> None:
    (embed,) = card_embeds(BARE)
    keywords = "Vision language models · visual games · image pairs"
    assert embed["footer"]["text"] == f"▲ 55 · {keywords}" and "thumbnail" not in embed
    assert _labels(BARE) == ["PDF", "Save", "More like this"]


@pytest.mark.parametrize("url", UNSAFE_THUMBNAILS)
def test_a_thumbnail_that_is_not_https_is_never_shown(url: str) -> None:
    (embed,) = card_embeds(replace(SIGNALS, thumbnail=url))
    assert "thumbnail" not in embed
