"""The Slack render seam: neutral replies → Block Kit bodies, checked by the fake's own rules."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.mrkdwn import clip, escape, link, safe_url
from adapters.slack.render import (
    PARENT_TS_PLACEHOLDER,
    digest_api_calls,
    render_reply,
    split_escaped,
)
from bot.model import Digest, Link, PaperCard, Reply
from tests.fakes.slack.block_kit_rules import markup_tokens, message_texts, validate_message

HF = "https://huggingface.co/papers/2509.24002"


def card(rank: int = 1, **kw: object) -> PaperCard:
    base: dict = dict(
        paper_id=f"2509.{24000 + rank:05d}",
        title=f"Paper number {rank}",
        url=f"https://huggingface.co/papers/2509.{24000 + rank:05d}",
        tldr="We do a thing and it works.",
        authors=("Ada Lovelace", "Alan Turing", "et al."),
        upvotes=10 + rank,
        keywords=("diffusion", "video"),
        links=(Link("arXiv", "https://arxiv.org/abs/2509.24002"), Link("PDF", HF)),
        rank=rank,
    )
    base.update(kw)
    return PaperCard(**base)


def digest(n: int = 3, mentions: dict[int, tuple[str, ...]] | None = None) -> Digest:
    title = f"Daily Papers — Wed 1 Oct 2025 · {n} papers"
    url = "https://huggingface.co/papers/date/2025-10-01"
    parent = Reply(
        text=f"{n} papers; top keywords: diffusion", title=title, links=(Link("Hugging Face", url),)
    )
    items = tuple(
        Reply(text="", cards=(card(i),), mention_user_ids=(mentions or {}).get(i, ()))
        for i in range(1, n + 1)
    )
    return Digest("2025-10-01", title, "overview", url, parent, items, title)


def all_blocks(bodies: list[dict]) -> list[dict]:
    return [b for body in bodies for b in body["blocks"]]


# --- cards and replies ------------------------------------------------------------------
def test_card_has_linked_title_tldr_context_and_buttons() -> None:
    [body] = render_reply(Reply(text="", cards=(card(),)))
    kinds = [b["type"] for b in body["blocks"]]
    assert kinds == ["section", "context", "actions"]  # the card alone: nothing said twice
    section = body["blocks"][0]["text"]
    assert section["text"].startswith(
        "*1. <https://huggingface.co/papers/2509.24001|Paper number 1>*"
    )
    assert "We do a thing" in section["text"] and section["verbatim"] is True
    context = [e["text"] for e in body["blocks"][1]["elements"]]
    assert context == ["▲ 11 · Ada Lovelace, Alan Turing et al. · _diffusion · video_"]
    buttons = body["blocks"][2]["elements"]
    # no arXiv or HF button (the title is the HF link); Save and More like this are interactive
    assert [b["text"]["text"] for b in buttons] == ["PDF", "Save", "More like this"]
    assert buttons[0]["url"] == HF
    assert buttons[1]["value"] == "2509.24001" and "url" not in buttons[1]
    assert buttons[2]["action_id"] == "paperbot:similar:2509.24001" and "url" not in buttons[2]
    assert validate_message(body).ok


def test_title_header_and_text_sections() -> None:
    [body] = render_reply(Reply(text="Daily thread enabled.\nTime: 09:00 UTC", title="Channel"))
    assert body["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Channel", "emoji": True},
    }
    assert body["blocks"][1]["text"]["text"] == "Daily thread enabled.\nTime: 09:00 UTC"
    assert body["text"] == "Channel"


def test_error_reply_is_marked() -> None:
    [body] = render_reply(Reply(text="Bad query: x\nUsage: /papers search", is_error=True))
    assert body["blocks"][0]["text"]["text"].startswith(":warning: Bad query")


def test_long_list_is_split_not_truncated() -> None:
    cards = tuple(card(i, tldr="word " * 250) for i in range(1, 41))
    bodies = render_reply(Reply(text="Top papers this week", cards=cards))
    assert len(bodies) > 1
    for body in bodies:
        assert validate_message(body).ok, validate_message(body).details
    titles = [b["text"]["text"] for b in all_blocks(bodies) if b["type"] == "section"]
    for i in range(1, 41):
        assert sum(t.startswith(f"*{i}. <") for t in titles) == 1, i
    assert bodies[1]["text"].startswith("Top papers this week (continued)")


def test_long_text_splits_at_line_breaks() -> None:
    lines = [f"@article{{key{i}, title = {{A & B <C>}}}}" for i in range(800)]
    bodies = render_reply(Reply(text="\n".join(lines), title="BibTeX"))
    assert len(bodies) > 1 and all(validate_message(b).ok for b in bodies)
    sections = [b["text"]["text"] for b in all_blocks(bodies) if b["type"] == "section"]
    assert all(len(s) <= 3000 for s in sections)
    joined = "\n".join(sections)
    assert joined.count("@article{key") == 800 and "&amp;" in joined and "<C>" not in joined


def test_split_never_cuts_an_entity() -> None:
    text = escape("&" * 5000)
    pieces = split_escaped(text, 3000)
    assert "".join(pieces) == text
    assert all(re.fullmatch(r"(&amp;)+", p) for p in pieces)


def test_clip_keeps_entities_whole() -> None:
    assert clip(escape("a & b & c"), 8) == "a &amp;…"
    assert clip("short", 10) == "short"


def test_links_only_for_http_urls_and_cannot_break_out() -> None:
    assert link("javascript:alert(1)", "x") == "x"
    assert link("https://e.com/a|b>c", "t") == "<https://e.com/a%7Cb%3Ec|t>"
    assert link("https://e.com/?a=1&b=2", "<t>") == "<https://e.com/?a=1&amp;b=2|&lt;t&gt;>"
    assert safe_url("ftp://x") is None


def test_only_named_users_are_mentioned() -> None:
    reply = Reply(
        text="x",
        cards=(card(title="Hi <!channel> <@U999> @here"),),
        mention_user_ids=("U123ABC", "<!everyone>", "U123ABC", "here"),
    )
    [body] = render_reply(reply)
    mentions = [t for t in markup_tokens(body) if not t.startswith("http")]
    assert mentions == ["@U123ABC", "@U123ABC"]  # once in the blocks, once in the fallback
    assert "&lt;!channel&gt;" in json.dumps(body)


# --- the daily thread -------------------------------------------------------------------
def test_digest_api_calls_parent_then_replies_in_order() -> None:
    calls = digest_api_calls(digest(3, mentions={2: ("U2SUB",)}), channel="C9")
    assert [c["api"] for c in calls] == ["chat.postMessage"] * 4
    parent, *replies = [c["body"] for c in calls]
    assert parent["channel"] == "C9" and "thread_ts" not in parent
    assert parent["blocks"][0]["text"]["text"] == "Daily Papers — Wed 1 Oct 2025 · 3 papers"
    assert parent["metadata"]["event_payload"] == {
        "key": "2025-10-01:parent@C9",  # delivery's message_key: day, item, channel
        "day": "2025-10-01",
        "paper_id": "",
    }
    assert [r["thread_ts"] for r in replies] == [PARENT_TS_PLACEHOLDER] * 3
    assert [r["metadata"]["event_payload"]["paper_id"] for r in replies] == [
        "2509.24001",
        "2509.24002",
        "2509.24003",
    ]
    assert all(r["metadata"]["event_type"] == "paperbot_item" for r in replies)
    assert "<@U2SUB>" in json.dumps(replies[1]) and "<@" not in json.dumps(replies[0])
    for c in calls:
        assert c["body"]["unfurl_links"] is False and validate_message(c["body"]).ok


# --- properties -------------------------------------------------------------------------
NASTY = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<#C123>",
    "<!subteam^S1>",
    "&amp;",
    "&lt;",
    "&",
    "<",
    ">",
    "|",
    "*bold*",
    "_it_",
    "`code`",
    "```block```",
    "[md](https://evil.example)",
    "<https://evil.example|click>",
    "https://evil.example",
    "@channel",
    "\n  ",
    "é",
    "漢字",
    "🧪",
    "\u200b",
]
fragment = st.one_of(st.text(max_size=40), st.sampled_from(NASTY))
untrusted = st.builds(
    lambda parts, n: "".join(parts) * n, st.lists(fragment, max_size=6), st.integers(1, 40)
)
short_list = st.lists(fragment, max_size=4).map(tuple)
urls = st.sampled_from(["https://arxiv.org/abs/1", HF, "https://e.com/a|b>c&d", "nope", ""])
THUMBNAILS = [
    "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2509.24002.png",
    "http://insecure.example/x.png",
    "javascript:alert(1)",
    "https://" + "x" * 3000,
]
cards_st = st.builds(
    PaperCard,
    paper_id=st.text(max_size=12),
    title=untrusted,
    url=urls,
    tldr=untrusted,
    authors=short_list,
    upvotes=st.none() | st.integers(0, 10**6),
    keywords=short_list,
    links=st.lists(st.builds(Link, fragment, urls), max_size=6).map(tuple),
    rank=st.none() | st.integers(1, 99),
    matched=short_list,
    comments=st.none() | st.integers(0, 10**6),
    stars=st.none() | st.integers(0, 10**7),
    organization=untrusted,
    thumbnail=st.none() | st.sampled_from(THUMBNAILS) | untrusted,
    authors_total=st.integers(0, 3000),
)
user_ids = st.lists(st.sampled_from(["U1AB", "W2CD", "UXYZ123", "<!channel>", "x", "U1AB"]))


def _asked_for(reply: Reply) -> tuple[set[str], set[str]]:
    mentions = {f"@{u}" for u in reply.mention_user_ids if re.fullmatch(r"[UW][A-Z0-9]{2,30}", u)}
    targets = {safe_url(c.url) for c in reply.cards} - {None}
    return mentions, {t for t in targets if t}


@settings(max_examples=200, deadline=None)
@given(
    text=untrusted,
    title=st.none() | untrusted,
    cards=st.lists(cards_st, max_size=8),
    mentions=user_ids,
    private=st.booleans(),
    compact=st.booleans(),
)
def test_any_text_renders_within_limits_and_pings_no_one_else(
    text: str,
    title: str | None,
    cards: list[PaperCard],
    mentions: list[str],
    private: bool,
    compact: bool,
) -> None:
    """Full cards and a compact channel's lines alike."""
    reply = Reply(text, tuple(cards), private, tuple(mentions), title, compact=compact)
    bodies = render_reply(reply)
    allowed_mentions, allowed_links = _asked_for(reply)
    for body in bodies:
        verdict = validate_message(body)
        assert verdict.ok, verdict.details
        for token in markup_tokens(body):
            if token.startswith("@"):
                assert token in allowed_mentions
            else:
                target, sep, _ = token.partition("|")
                assert sep and target.replace("&amp;", "&") in allowed_links, token
        for t in message_texts(body):
            bare = re.sub(r"<[^<>]*>", "", t)
            assert "<" not in bare and ">" not in bare
            assert not re.search(r"&(?!amp;|lt;|gt;)", bare), t
        for b in body["blocks"]:
            if b.get("text", {}).get("type") == "mrkdwn":
                assert b["text"]["verbatim"] is True
            image = b.get("accessory", {}).get("image_url")
            assert image is None or image.startswith("https://")  # thumbnails: https only
    ranked = [c.rank for c in cards if c.rank is not None]
    sections = [b["text"]["text"] for b in all_blocks(bodies) if b["type"] == "section"]
    for rank in set(ranked):
        assert sum(s.startswith(f"*{rank}. ") for s in sections) >= ranked.count(rank)


def test_preformatted_text_is_a_code_block_within_limits() -> None:
    from adapters.slack.render import render_reply as _render
    from bot.model import Reply as _Reply

    bib = "@misc{a,\n  title = {{A & B}},\n}\n" * 200
    bodies = _render(_Reply(text=bib, preformatted=True, title="BibTeX"))
    sections = [
        b["text"]["text"] for body in bodies for b in body["blocks"] if b["type"] == "section"
    ]
    assert sections and all(s.startswith("```") and s.endswith("```") for s in sections)
    assert all(len(s) <= 3000 for s in sections) and "A &amp; B" in sections[0]


@settings(max_examples=200, deadline=None)
@given(cards=st.lists(cards_st, min_size=1, max_size=10))
def test_a_compact_reply_of_any_ten_papers_fits_slack_limits(cards: list[PaperCard]) -> None:
    """A compact channel's reply (up to ten papers as lines): every body valid, every paper a
    line of its own, no buttons."""
    bodies = render_reply(Reply(text="", cards=tuple(cards), compact=True))
    for body in bodies:
        verdict = validate_message(body)
        assert verdict.ok, verdict.details
        assert all(b["type"] == "section" for b in body["blocks"])
    assert sum(len(b["blocks"]) for b in bodies) == len(cards)
