"""The parent of a day's thread on Discord: the title as content, one embed with the count,
themes and linked top 3, one link button; untrusted text escaped; checked against the spec."""

from __future__ import annotations

from adapters.discord.render import reply_bodies
from bot.model import DayHeadline, Link, Reply, Theme, TopPaper
from tests.fakes.discord import openapi
from tests.fakes.discord.validate import message_problems

DAY_URL = "https://huggingface.co/papers/date/2025-10-01"
HEADLINE = DayHeadline(
    day="2025-10-01",
    total=37,
    kept=15,
    kept_note="the top 15 are in this thread",
    themes=(Theme("large language models", 15), Theme("@everyone *x*", 2)),
    top=(
        TopPaper("Vision-Zero", "https://huggingface.co/papers/2509.25541", 55),
        TopPaper("A [link](https://evil.example) title", "https://huggingface.co/papers/1", 3),
    ),
)
PARENT = Reply(
    text="",
    title="Daily Papers — Wed 1 Oct 2025",
    links=(Link("All 37 on Hugging Face", DAY_URL),),
    headline=HEADLINE,
)


def test_parent_is_title_embed_and_one_link_button() -> None:
    [body] = reply_bodies(PARENT, key="2025-10-01:parent@1")
    assert body["content"].startswith("**Daily Papers — Wed 1 Oct 2025**")
    [embed] = body["embeds"]
    lines = embed["description"].split("\n")
    assert lines[0] == "**37 papers** today · the top 15 are in this thread"
    assert lines[2].startswith("**Themes:** large language models (15) · ")
    assert lines[5] == "▲ 55 [Vision-Zero](https://huggingface.co/papers/2509.25541)"
    [row] = body["components"]
    assert row["components"] == [
        {"type": 2, "style": 5, "label": "All 37 on Hugging Face", "url": DAY_URL}
    ]
    assert DAY_URL not in body["content"]  # the button, not a raw URL
    assert not message_problems(body)
    if openapi.available():
        assert not openapi.body_problems("POST", "/channels/1100000000000000001/messages", body)


def test_untrusted_theme_labels_and_titles_are_inert() -> None:
    [body] = reply_bodies(PARENT)
    text = body["embeds"][0]["description"]
    assert "@everyone" not in text and "@\u200beveryone" in text
    assert "\\[link\\](https://evil.example) title" in text  # a title cannot make its own link
    assert body["allowed_mentions"] == {"parse": [], "replied_user": False}
