"""Property tests: whatever paper text arrives, Discord bodies fit every limit and ping nobody
but the users the core named. Limits are checked by the fake's own validator (written from
Discord's docs, not shared with the renderer)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.render import (
    digest_api_calls,
    message_ref,
    reply_bodies,
    shown_refs,
    thread_name,
)
from bot.model import Digest, Link, PaperCard, Reply
from tests.fakes.discord.validate import (
    mention_safety_problems,
    message_problems,
    thread_problems,
)

TRICKS = [
    "@everyone",
    "@here",
    "@EVERYONE",
    "<@&123456789012345678>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<#123456789012345678>",
    "</papers search:123>",
    "<t:1700000000:R>",
    "@\u200beveryone",
    "@\u2060here",
    "<\u200b@&1>",
    "\u202e",
    "\ufeff",
    "**",
    "__",
    "~~",
    "||",
    "`",
    "```",
    "\\",
    "# ",
    "-# ",
    "> ",
    ">>> ",
    "1. ",
    "- ",
    "\n",
    "\n\n",
    "[click](https://evil.example/)",
    "https://example.org/a_b_(c)",
    "ðŸ˜€",
    "数学",
    "é",
    "\u0301",
    " ",
]
fragment = st.one_of(st.sampled_from(TRICKS), st.text(max_size=40))
untrusted = st.lists(fragment, max_size=10).map("".join)
long_untrusted = st.one_of(
    untrusted,
    st.tuples(st.lists(fragment, max_size=4).map("".join), st.integers(1, 300)).map(
        lambda t: (t[0] * t[1])[:9000]
    ),
    st.integers(2000, 9000).map(lambda n: "word " * (n // 5)),
)
snowflake = st.integers(10**16, 10**19).map(str)
url = st.one_of(
    st.sampled_from(["https://arxiv.org/abs/2509.24002", "https://github.com/a/b", ""]),
    untrusted,
)
cards = st.builds(
    PaperCard,
    paper_id=untrusted,
    title=long_untrusted,
    url=url,
    tldr=long_untrusted,
    authors=st.lists(long_untrusted, max_size=4).map(tuple),
    upvotes=st.one_of(st.none(), st.integers(0, 10**6)),
    keywords=st.lists(untrusted, max_size=6).map(tuple),
    links=st.lists(st.builds(Link, label=untrusted, url=url), max_size=4).map(tuple),
    rank=st.one_of(st.none(), st.integers(1, 50)),
    matched=st.lists(untrusted, max_size=4).map(tuple),
    summary_source=st.sampled_from(["llm", "hf", "extractive", "", "weird <@&1>"]),
    comments=st.one_of(st.none(), st.integers(0, 10**6)),
    stars=st.one_of(st.none(), st.integers(0, 10**7)),
    organization=untrusted,
    thumbnail=st.one_of(
        st.none(),
        st.sampled_from(
            [
                "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2509.24002.png",
                "http://insecure.example/x.png",
                "javascript:alert(1)",
                "https://" + "x" * 3000,
            ]
        ),
        untrusted,
    ),
    authors_total=st.integers(0, 3000),
)
replies = st.builds(
    Reply,
    text=long_untrusted,
    cards=st.lists(cards, max_size=4).map(tuple),
    private=st.booleans(),
    mention_user_ids=st.lists(st.one_of(snowflake, untrusted), max_size=8).map(tuple),
    title=st.one_of(st.none(), long_untrusted),
    links=st.lists(st.builds(Link, label=untrusted, url=url), max_size=3).map(tuple),
    preformatted=st.booleans(),
    compact=st.booleans(),
)

MASS = re.compile(r"@(everyone|here)", re.IGNORECASE)
ROLE = re.compile(r"<@&\d+>")
USER = re.compile(r"<@!?(\d+)>")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _visible_text(body: dict) -> str:
    parts = [body.get("content") or ""]
    for e in body.get("embeds", []):
        parts += [e.get("title", ""), e.get("description", ""), e.get("footer", {}).get("text", "")]
        parts += [f["name"] + "\n" + f["value"] for f in e.get("fields", [])]
    return "\n".join(parts)


@SETTINGS
@given(replies)
def test_every_body_fits_discord_limits_and_pings_only_named_users(reply: Reply) -> None:
    bodies = reply_bodies(reply)
    assert bodies
    named = {u for u in reply.mention_user_ids if u.isdigit()}
    for body in bodies:
        assert message_problems(body) == []
        assert mention_safety_problems(body) == []
        am = body["allowed_mentions"]
        assert am["parse"] == [] and not am.get("roles") and not am.get("replied_user")
        assert set(am.get("users", [])) <= named
        for e in body.get("embeds", []):  # thumbnails: https only
            assert e.get("thumbnail", {}).get("url", "https://").startswith("https://")
        text = _visible_text(body)
        assert not MASS.search(text)
        assert not ROLE.search(text)
        assert set(USER.findall(text)) <= set(am.get("users", []))
    pinged = [u for b in bodies for u in b["allowed_mentions"].get("users", [])]
    assert sorted(pinged) == sorted(named)


@SETTINGS
@given(replies)
def test_bodies_with_refs_still_fit_and_each_shows_its_own_ref(reply: Reply) -> None:
    key = "2025-10-01:2509.24002@1420000000000012288"
    bodies = reply_bodies(reply, key=key)
    assert bodies
    for i, body in enumerate(bodies):
        assert message_problems(body) == [] and mention_safety_problems(body) == []
        as_read = {"content": body.get("content"), "embeds": body.get("embeds", [])}
        assert shown_refs(as_read) == {message_ref(key, i)}


@SETTINGS
@given(long_untrusted)
def test_thread_names_are_valid(name: str) -> None:
    out = thread_name(name)
    assert 1 <= len(out) <= 100 and "\n" not in out and not MASS.search(out)
    assert thread_problems({"name": out, "auto_archive_duration": 1440}, forum=False) == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cards, min_size=1, max_size=3), replies, long_untrusted, st.booleans())
def test_every_digest_call_is_valid(items: list, parent: Reply, name: str, forum: bool) -> None:
    thread = tuple(Reply(text=c.title, cards=(c,), mention_user_ids=("1" * 18,)) for c in items)
    d = Digest("2025-10-01", "t", "o", "https://hf.co", parent, thread, name)
    for call in digest_api_calls(d, "123", forum=forum):
        body = call["body"]
        if call["api"].endswith("/threads"):
            assert thread_problems(body, forum=forum) == []
            if forum:
                assert mention_safety_problems(body["message"]) == []
        else:
            assert message_problems(body) == [] and mention_safety_problems(body) == []


@SETTINGS
@given(st.lists(cards, min_size=1, max_size=10))
def test_a_compact_reply_of_any_ten_papers_fits_discord_limits(papers: list[PaperCard]) -> None:
    """A compact channel's reply (up to ten papers as lines), with its ref, as delivery sends it."""
    key = "2025-10-01:2509.24002@1420000000000012288"
    bodies = reply_bodies(Reply(text="", cards=tuple(papers), compact=True), key=key)
    for i, body in enumerate(bodies):
        assert message_problems(body) == [] and mention_safety_problems(body) == []
        assert "components" not in body and message_ref(key, i) in shown_refs(body)
