"""The parent of a day's thread in Block Kit: header, bold count, themes, linked top 3, one
button; untrusted labels and titles escaped; no raw URL in the text."""

from __future__ import annotations

import json

from adapters.slack.render import render_reply
from bot.model import DayHeadline, Link, Reply, Theme, TopPaper
from tests.fakes.slack.block_kit_rules import markup_tokens, validate_message

DAY_URL = "https://huggingface.co/papers/date/2025-10-01"


def parent(**kw: object) -> Reply:
    headline = DayHeadline(
        day="2025-10-01",
        total=37,
        kept=15,
        kept_note="the top 15 are in this thread",
        themes=(Theme("large language models", 15), Theme("<!channel> & co", 2)),
        top=(
            TopPaper("Vision-Zero", "https://huggingface.co/papers/2509.25541", 55),
            TopPaper("<@U123> *bold* | x", "https://huggingface.co/papers/2509.25760", 30),
        ),
    )
    headline = DayHeadline(**{**{f: getattr(headline, f) for f in headline.__slots__}, **kw})
    return Reply(
        text="",
        title="Daily Papers — Wed 1 Oct 2025",
        links=(Link("All 37 on Hugging Face", DAY_URL),),
        headline=headline,
    )


def test_parent_blocks_say_the_day_at_a_glance() -> None:
    [body] = render_reply(parent())
    assert validate_message(body).ok
    kinds = [b["type"] for b in body["blocks"]]
    assert kinds == ["header", "section", "section", "section", "actions"]
    texts = [b["text"]["text"] for b in body["blocks"][:4]]
    assert texts[0] == "Daily Papers — Wed 1 Oct 2025"
    assert texts[1] == "*37 papers* today · the top 15 are in this thread"
    assert texts[2].startswith("*Themes:* large language models (15) · ")
    assert texts[3].splitlines()[1] == (
        "▲ 55  <https://huggingface.co/papers/2509.25541|Vision-Zero>"
    )
    [button] = body["blocks"][4]["elements"]
    assert (button["text"]["text"], button["url"]) == ("All 37 on Hugging Face", DAY_URL)
    assert body["text"] == (
        "Daily Papers — Wed 1 Oct 2025 · 37 papers today · the top 15 are in this thread"
    )


def test_untrusted_labels_and_titles_ping_nobody_and_no_url_is_shown_raw() -> None:
    [body] = render_reply(parent())
    tokens = markup_tokens(body)  # the only markup: the title links
    assert tokens and all(t.startswith("https://huggingface.co/papers/") for t in tokens)
    assert "&lt;@U123&gt;" in json.dumps(body)
    assert "&lt;!channel&gt; &amp; co (2)" in json.dumps(body)
    for block in body["blocks"][:4]:
        text = block["text"]["text"]
        assert "https://" not in text.replace("<https://", "")  # URLs only inside links


def test_an_llm_overview_replaces_the_themes() -> None:
    [body] = render_reply(parent(overview="Agents and RL dominate today.", themes=()))
    assert body["blocks"][2]["text"]["text"] == "Agents and RL dominate today."
    assert "Themes" not in json.dumps(body)
