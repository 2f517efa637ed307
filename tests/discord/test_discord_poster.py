"""The Poster the scheduler uses, driven through the real discord.py client (run_discord)
against the fake: threads, forum posts, DMs, retries without duplicates, permissions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.discord.render import digest_api_calls, reply_bodies
from bot.core import Core
from bot.daily.posting import PARENT, DeliveryError, message_key
from bot.daily.thread import digest_title
from bot.model import Digest, Link, PaperCard, Place, Reply
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import message_problems

DAY = Path(__file__).parents[1] / "fixtures" / "discord" / "2025-10-01-top5.json"


def sample_digest(mentions: dict[int, tuple[str, ...]] | None = None) -> Digest:
    """The top five papers of 2025-10-01 (recorded HF data) as the core's neutral digest."""
    entries = json.loads(DAY.read_text(encoding="utf-8"))
    items = []
    for rank, e in enumerate(entries, 1):
        p = e["paper"]
        authors = [a["name"] for a in p["authors"]]
        card = PaperCard(
            paper_id=p["id"],
            title=" ".join(p["title"].split()),
            url=f"https://huggingface.co/papers/{p['id']}",
            tldr=p.get("ai_summary") or p["summary"][:300],
            authors=(*authors[:3], "et al.") if len(authors) > 3 else tuple(authors),
            upvotes=p["upvotes"],
            keywords=tuple(p.get("ai_keywords", [])[:6]),
            links=(Link("arXiv", f"https://arxiv.org/abs/{p['id']}"),),
            rank=rank,
            summary_source="hf",
        )
        mention = (mentions or {}).get(rank, ())
        items.append(Reply(text=f"{rank}. {card.title}", cards=(card,), mention_user_ids=mention))
    title = digest_title("2025-10-01", len(items))
    url = "https://huggingface.co/papers/date/2025-10-01"
    parent = Reply(text=f"{title}\n5 papers today\n{url}", title=title)
    return Digest("2025-10-01", title, "5 papers today", url, parent, tuple(items), title)


async def post_digest(poster, place: Place, digest: Digest) -> list[str]:  # type: ignore[no-untyped-def]
    """What the scheduler does with a digest: parent, thread, one reply per paper in order,
    keyed as the delivery engine keys them."""
    where = place.channel_id
    key = message_key(digest.day, PARENT, where)
    parent_id = await poster.post(place, digest.parent, key=key)
    thread = await poster.open_thread(place, parent_id, digest.thread_name)
    ids = [parent_id]
    for item in digest.items:
        key = message_key(digest.day, item.cards[0].paper_id, where)
        ids.append(await poster.reply_in_thread(thread, item, key=key))
    return ids


def _posts(fake: FakeDiscord, path: str) -> list:
    return [c for c in fake.calls_to(path) if c.method == "POST"]


def without_nonce(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("nonce", "enforce_nonce")}


def _place(fake: FakeDiscord, channel_id: str) -> Place:
    return Place("discord", channel_id, fake.guild_id)


async def test_thread_post_parent_thread_and_replies_in_order(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = sample_digest(mentions={2: ("123456789012345678",)})
    async with running_bot(fake, core, monkeypatch) as bot:
        ids = await post_digest(bot.poster, _place(fake, fake.text_channel_id), digest)
    parent_id = ids[0]
    thread = fake.channels[parent_id]  # a thread started from a message shares its id
    assert thread["type"] == 11 and thread["parent_id"] == fake.text_channel_id
    assert thread["name"] == digest.thread_name
    assert thread["thread_metadata"]["auto_archive_duration"] == 1440
    expected = digest_api_calls(digest, fake.text_channel_id)
    assert fake.posted_in(fake.text_channel_id)[0].body["content"] == expected[0]["body"]["content"]
    in_thread = fake.posted_in(parent_id)
    assert [p.message_id for p in in_thread] == ids[1:]
    titles = [p.body["embeds"][0]["title"] for p in in_thread]
    assert titles == [f"{i}. {item.cards[0].title}" for i, item in enumerate(digest.items, 1)]
    for sent, call in zip(in_thread, expected[2:], strict=True):
        # this test's keys are its own (test_discord_digest_nonces checks delivery's nonces)
        assert without_nonce(sent.body) == without_nonce(call["body"])
        assert sent.body["enforce_nonce"] is True and not message_problems(sent.body)
    assert in_thread[1].body["allowed_mentions"]["users"] == ["123456789012345678"]
    assert all(
        "users" not in p.body["allowed_mentions"] for p in in_thread if p is not in_thread[1]
    )


async def test_forum_channel_gets_a_post_with_replies_inside(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = sample_digest()
    async with running_bot(fake, core, monkeypatch) as bot:
        ids = await post_digest(bot.poster, _place(fake, fake.forum_channel_id), digest)
    post = fake.posted_in(fake.forum_channel_id)
    assert len(post) == 1 and post[0].api == "POST /channels/{id}/threads"
    assert post[0].body["name"] == digest.thread_name
    assert post[0].body["message"]["content"].startswith("**Daily Papers — Wed 1 Oct 2025")
    thread_id = ids[0]
    assert fake.channels[thread_id]["parent_id"] == fake.forum_channel_id
    assert [p.message_id for p in fake.posted_in(thread_id)] == ids[1:]
    assert not fake.rejected


async def test_direct_message(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = fake.add_user("reader")
    reply = Reply(text="Your matches today:\n1. Vision-Zero — matched: self-play", private=True)
    async with running_bot(fake, core, monkeypatch) as bot:
        mid = await bot.poster.send_dm(fake.guild_id, uid, reply, key="2025-10-01:dm:" + uid)
    (dm,) = [c for c in fake.channels.values() if c["type"] == 1]
    assert dm["recipients"][0]["id"] == uid
    (sent,) = fake.posted_in(dm["id"])
    assert sent.message_id == mid and sent.body["content"].startswith("Your matches today")


async def test_retry_after_a_lost_response_does_not_duplicate(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord stored the message but answered 500: discord.py retries the same body, and the
    nonce makes Discord return the stored message instead of posting it again."""
    place = _place(fake, fake.text_channel_id)
    fake.fail_after_commit(f"/api/v10/channels/{fake.text_channel_id}/messages")
    async with running_bot(fake, core, monkeypatch) as bot:
        first = await bot.poster.post(place, Reply(text="hello"), key="k1")
        # the scheduler resuming after a crash sends the same key again
        again = await bot.poster.post(place, Reply(text="hello"), key="k1")
    sends = _posts(fake, f"/api/v10/channels/{fake.text_channel_id}/messages")
    # the 500, then discord.py's retry, which the nonce answers with the stored message; the
    # resumed send is known to this poster already and asks Discord nothing
    assert len(sends) == 2
    assert first == again and len(fake.posted_in(fake.text_channel_id)) == 1


async def test_missing_permission_is_permanent_and_not_retried(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.deny(fake.text_channel_id, "SEND_MESSAGES")
    async with running_bot(fake, core, monkeypatch) as bot:
        with pytest.raises(DeliveryError) as err:
            await bot.poster.post(_place(fake, fake.text_channel_id), Reply(text="x"), key="k")
    assert err.value.permanent and "missing permission" in err.value.reason
    assert "Send Messages" in err.value.reason
    assert len(_posts(fake, f"/api/v10/channels/{fake.text_channel_id}/messages")) == 1


async def test_missing_thread_permission_and_unknown_channel(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.deny(fake.text_channel_id, "CREATE_PUBLIC_THREADS")
    place = _place(fake, fake.text_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        parent = await bot.poster.post(place, Reply(text="parent"), key="p")
        with pytest.raises(DeliveryError) as err:
            await bot.poster.open_thread(place, parent, "Daily")
        assert err.value.permanent
        with pytest.raises(DeliveryError) as gone:
            await bot.poster.post(_place(fake, "999"), Reply(text="x"), key="q")
        assert gone.value.permanent and "not found" in gone.value.reason
        with pytest.raises(DeliveryError) as lost:  # the ledger lost the parent's id
            await bot.poster.open_thread(place, "", "Daily")
        assert lost.value.permanent


async def test_resumed_thread_is_reused(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = _place(fake, fake.text_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        parent = await bot.poster.post(place, Reply(text="parent"), key="p")
        a = await bot.poster.open_thread(place, parent, "Daily")
        b = await bot.poster.open_thread(place, parent, "Daily")  # after a restart
    assert a == b and a.thread_id == parent


async def test_rate_limited_thread_keeps_order_without_losses(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = RateLimits(per_route=2, per_route_window=0.2, send_headers=False)
    with FakeDiscord(limits=limits) as fake:  # type: ignore[union-attr]
        async with running_bot(fake, core, monkeypatch) as bot:
            ids = await post_digest(bot.poster, _place(fake, fake.text_channel_id), sample_digest())
        assert fake.limiter.hits  # Discord said 429 at least once; discord.py waited
        assert [p.message_id for p in fake.posted_in(ids[0])] == ids[1:]
        assert len(ids) == 6 and len(set(ids)) == 6


def test_every_body_the_poster_would_send_is_valid() -> None:
    for item in sample_digest().items:
        for body in reply_bodies(item):
            assert not message_problems(body)
