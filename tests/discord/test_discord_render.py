"""The Discord render seam on literal data: embeds, content, splitting, mentions, digest calls."""

from __future__ import annotations

from adapters.discord.cards import COLOR, card_embeds
from adapters.discord.escape import ZWSP, safe
from adapters.discord.invite import REQUIRED_PERMISSIONS, invite_url
from adapters.discord.limits import split_text
from adapters.discord.render import digest_api_calls, message_ref, reply_bodies, thread_name
from bot.model import Digest, Link, PaperCard, Reply
from tests.fakes.discord.validate import message_problems, thread_problems

CARD = PaperCard(
    paper_id="2509.25541",
    title="Vision-Zero: Scalable VLM Self-Improvement via Strategic Gamified Self-Play",
    url="https://huggingface.co/papers/2509.25541",
    tldr="Vision-Zero trains VLMs through self-play in visual games built from image pairs.",
    authors=("Qinsi Wang", "Bo Liu", "Tianyi Zhou", "et al."),
    upvotes=117,
    keywords=("self-play", "VLM", "reinforcement learning"),
    links=(
        Link("arXiv", "https://arxiv.org/abs/2509.25541"),
        Link("PDF", "https://arxiv.org/pdf/2509.25541"),
        Link("Code", "https://github.com/wangqinsi1/Vision-Zero"),
    ),
    rank=1,
    matched=("self-play",),
    summary_source="hf",
)


def _digest(items: int = 3, mentions: tuple[str, ...] = ()) -> Digest:
    title = "Daily Papers — Wed 1 Oct 2025 · 3 papers"
    url = "https://huggingface.co/papers/date/2025-10-01"
    parent = Reply(text="3 papers; top: Vision-Zero", title=title, links=(Link("HF", url),))
    replies = tuple(
        Reply(text="", cards=(CARD,), mention_user_ids=mentions) for i in range(1, items + 1)
    )
    return Digest("2025-10-01", title, "3 papers", "https://hf.co", parent, replies, title)


def test_card_embed_has_linked_title_tldr_authors_upvotes_keywords_links() -> None:
    """One embed, no fields: the facts in the footer, the links as buttons under it."""
    (embed,) = card_embeds(CARD)
    assert embed["title"] == f"1. {CARD.title}"
    assert embed["url"] == CARD.url and embed["color"] == COLOR
    assert embed["description"].startswith("Vision-Zero trains VLMs")
    assert "matched: self-play" in embed["description"]
    assert "fields" not in embed
    # "self-play" and "VLM" repeat the title: only the third keyword is shown, after the facts
    assert embed["description"] == f"{CARD.tldr}\nmatched: self-play"
    assert embed["footer"]["text"] == "▲ 117 · Qinsi Wang, Bo Liu et al. · reinforcement learning"
    (body,) = reply_bodies(Reply(text="", cards=(CARD,)))
    [row] = body["components"]
    buttons = [(b["label"], b.get("url") or b.get("custom_id")) for b in row["components"]]
    assert buttons == [
        ("PDF", "https://arxiv.org/pdf/2509.25541"),
        ("Code", "https://github.com/wangqinsi1/Vision-Zero"),
        ("Save", "paperbot:save:2509.25541"),
        ("More like this", "paperbot:similar:2509.25541"),
    ]
    assert not message_problems(body)


def test_long_title_is_shortened_visibly_and_repeated_in_full() -> None:
    long = "A" * 150 + " " + "B" * 150
    (embed,) = card_embeds(PaperCard("1", long, "https://x.org", "tl;dr", rank=None))
    assert len(embed["title"]) <= 256 and embed["title"].endswith("…")
    assert long in embed["description"]


def test_long_tldr_continues_in_more_embeds_not_cut() -> None:
    words = " ".join(f"w{i}" for i in range(3000))  # ~16k characters
    embeds = card_embeds(PaperCard("1", "T", "https://x.org", words))
    assert len(embeds) >= 4
    text = " ".join(e.get("description", "") for e in embeds)
    assert text.split() == words.split()
    bodies = reply_bodies(Reply(text="", cards=(PaperCard("1", "T", "https://x.org", words),)))
    assert all(not message_problems(b) for b in bodies)


def test_card_reply_does_not_repeat_the_card_as_content() -> None:
    """A thread item says its paper once: the core sends no text beside the card."""
    (body,) = reply_bodies(Reply(text="", cards=(CARD,)))
    assert "content" not in body and len(body["embeds"]) == 1


def test_header_text_is_kept_beside_cards() -> None:
    (body,) = reply_bodies(Reply(text="2 stored papers match diffusion", cards=(CARD, CARD)))
    assert body["content"] == "2 stored papers match diffusion" and len(body["embeds"]) == 2


def test_many_cards_are_packed_five_per_message_at_most() -> None:
    """Ten embeds would fit, but each card brings its row of buttons and a message takes
    five rows (https://discord.com/developers/docs/components/reference#action-row)."""
    bodies = reply_bodies(Reply(text="25 papers", cards=(CARD,) * 25))
    assert [len(b.get("embeds", [])) for b in bodies] == [5, 5, 5, 5, 5]
    assert all(len(b["components"]) == 5 for b in bodies)
    assert all(not message_problems(b) for b in bodies)
    labels = [c["label"] for c in bodies[0]["components"][0]["components"]]
    assert labels == [
        "1 · PDF",
        "1 · Code",
        "1 · Save",
        "1 · More like this",
    ]  # rows told apart by the card's number


def test_long_content_is_split_at_line_boundaries() -> None:
    lines = [f"line {i}: " + "x" * 90 for i in range(60)]
    bodies = reply_bodies(Reply(text="\n".join(lines)))
    assert len(bodies) >= 3 and all(len(b["content"]) <= 2000 for b in bodies)
    assert "\n".join(b["content"] for b in bodies).splitlines() == lines


def test_title_becomes_a_bold_header_above_the_body() -> None:
    (body,) = reply_bodies(Reply(text="second line", title="Daily"))
    assert body["content"] == "**Daily**\nsecond line"


def test_preformatted_text_goes_in_code_blocks_split_whole() -> None:
    entry = "@misc{x,\n  title = {{A *b* ```c```}},\n  note = {@everyone}\n}\n\n"
    bodies = reply_bodies(Reply(text=entry * 40, title="BibTeX", preformatted=True))
    assert len(bodies) > 1 and bodies[0]["content"].startswith("**BibTeX**\n```\n")
    for b in bodies:
        assert not message_problems(b)
        block = b["content"].split("```\n", 1)[1]
        assert block.endswith("\n```") and "```" not in block[:-4]
    assert "title = {{A *b*" in bodies[0]["content"]  # literal inside the block, not escaped


def test_mentions_only_the_named_users() -> None:
    reply = Reply(text="x", cards=(CARD,), mention_user_ids=("111", "222", "@everyone"))
    (body,) = reply_bodies(reply)
    assert body["content"].startswith("<@111> <@222>")
    assert body["allowed_mentions"] == {"parse": [], "replied_user": False, "users": ["111", "222"]}


def test_more_than_100_mentions_spread_over_messages() -> None:
    ids = tuple(str(10**17 + i) for i in range(250))
    bodies = reply_bodies(Reply(text="", cards=(CARD,), mention_user_ids=ids))
    users = [u for b in bodies for u in b["allowed_mentions"].get("users", [])]
    assert users == list(ids)
    for b in bodies:
        assert not message_problems(b)
        assert all(f"<@{u}>" in b["content"] for u in b["allowed_mentions"].get("users", []))


def test_no_reply_pings_by_default() -> None:
    (body,) = reply_bodies(Reply(text="@everyone look at <@&1234567> and <@99>"))
    assert body["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert "@everyone" not in body["content"] and "<@&" not in body["content"]
    assert "<@99>" not in body["content"]


def test_escaping_keeps_urls_clickable_and_markdown_literal() -> None:
    out = safe("**bold** __u__ [x](https://evil.example) https://a.org/x_y_z `code`")
    assert "https://a.org/x_y_z" in out
    assert "\\*\\*bold\\*\\*" in out and "\\[x\\]" in out and "\\`code\\`" in out
    assert safe("a\u200b@\u200beveryone") == f"a@{ZWSP}everyone"
    lines = safe("# heading\n- item\n> quote\n1. first").splitlines()
    assert lines == ["\\# heading", "\\- item", "\\> quote", "1\\. first"]


def test_split_text_never_leaves_a_dangling_escape() -> None:
    text = "\\*" * 1500
    pieces = split_text(text, 2000)
    assert len(pieces) == 2 and "".join(pieces) == text
    assert all(len(p) <= 2000 and p.startswith("\\*") and p.endswith("\\*") for p in pieces)


def test_thread_name_is_one_plain_line_within_100() -> None:
    assert thread_name("Daily Papers — Wed 1 Oct 2025 · 37 papers") == (
        "Daily Papers — Wed 1 Oct 2025 · 37 papers"
    )
    name = thread_name("@everyone\n" + "x" * 300)
    assert len(name) <= 100 and "\n" not in name and "@everyone" not in name


def test_digest_calls_parent_thread_then_replies_in_order() -> None:
    calls = digest_api_calls(_digest(3, mentions=("42",)), "777")
    apis = [c["api"] for c in calls]
    assert apis == [
        "POST /channels/777/messages",
        "POST /channels/777/messages/{parent_message_id}/threads",
        *["POST /channels/{thread_id}/messages"] * 3,
    ]
    assert calls[0]["body"]["content"] == (
        "**Daily Papers — Wed 1 Oct 2025 · 3 papers**\n3 papers; top: Vision-Zero\n"
        "[HF](<https://huggingface.co/papers/date/2025-10-01>)\n"
        f"-# {message_ref('2025-10-01:parent@777')}"  # what a restarted bot looks for
    )
    assert calls[1]["body"] == {
        "name": "Daily Papers — Wed 1 Oct 2025 · 3 papers",
        "auto_archive_duration": 1440,
    }
    assert not thread_problems(calls[1]["body"], forum=False)
    for c in calls[2:]:
        assert not message_problems(c["body"])
        assert c["body"]["allowed_mentions"]["users"] == ["42"]
        ref = message_ref(f"2025-10-01:{CARD.paper_id}@777")
        assert c["body"]["embeds"][-1]["footer"]["text"].endswith(f" · {ref}")


def test_digest_calls_for_a_forum_channel_create_a_post() -> None:
    calls = digest_api_calls(_digest(2), "888", forum=True)
    assert calls[0]["api"] == "POST /channels/888/threads"
    assert calls[0]["body"]["message"]["content"].startswith("**Daily Papers")
    assert not thread_problems(calls[0]["body"], forum=True)
    assert [c["api"] for c in calls[1:]] == ["POST /channels/{thread_id}/messages"] * 2


def test_invite_url_asks_for_exactly_the_needed_permissions() -> None:
    import discord

    needed = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        create_public_threads=True,
        send_messages_in_threads=True,
        read_message_history=True,
    )
    assert needed.value == REQUIRED_PERMISSIONS
    url = invite_url("1234567890")
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1234567890&")
    assert "scope=bot+applications.commands" in url and f"permissions={needed.value}" in url


def test_render_seam_imports_no_sdk() -> None:
    """`paperbot digest --format discord` must work without discord.py installed."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, adapters.discord.render, adapters.discord.invite\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'discord'))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
