"""Exactly once beyond Discord's nonce window, forum posts (no nonce, tags), and pausing only
what is broken — the real adapter and delivery engine against the faithful fake. Each
`running_bot` is a fresh client, as a restarted process would be."""

from __future__ import annotations

import pytest

from bot.commands.dispatch import handle
from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import deliver_thread
from bot.daily.posting import DeliveryError
from bot.daily.thread import choose_papers
from bot.model import Command, Place, Reply
from storage import channels as channel_store
from storage.ledger import Ledger
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.messages import NONCE_WINDOW

DAY = "2025-10-01"


async def _enable(
    core: Core, fake: FakeDiscord, channel_id: str, args: str = "max 3"
) -> ChannelSettings:
    place = Place("discord", channel_id, fake.guild_id)
    cmd = Command("channel", f"enable {args}", fake.owner["id"], "owner", True, place)
    (reply,) = await handle(core, cmd)
    assert "enabled" in reply.text, reply.text
    return _row(core, fake, channel_id)


def _row(core: Core, fake: FakeDiscord, channel_id: str) -> ChannelSettings:
    row = channel_store.get_channel(core.db, "discord", fake.guild_id, channel_id)
    assert row is not None
    return ChannelSettings.from_row(row)


def _forget_sent(core: Core, channel: ChannelSettings, items: list[str]) -> None:
    """What a SIGKILL between Discord storing a message and the ledger recording it leaves:
    the rows still pending (attempted), the messages already in Discord."""
    target = channel.target
    for item in items:
        core.db.execute(
            "UPDATE deliveries SET status = 'pending', message_id = NULL"
            " WHERE target = ? AND day = ? AND item = ?",
            [target, DAY, item],
        )
    core.db.conn.commit()


# --- 7. exactly once beyond the nonce window ------------------------------------------------
async def test_a_restart_after_the_nonce_window_reposts_nothing(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        first = await deliver_thread(core, bot.poster, channel, DAY)
    assert first.status == "sent" and first.sent == 4
    rows = Ledger(core.db).rows(f"discord:{fake.guild_id}:{fake.text_channel_id}", DAY)
    _forget_sent(core, channel, [r.item for r in rows if r.item != "thread"])
    fake.advance(NONCE_WINDOW + 60)  # Discord has forgotten every nonce
    async with running_bot(fake, core, monkeypatch) as bot:
        again = await deliver_thread(core, bot.poster, _row(core, fake, fake.text_channel_id), DAY)
    assert again.status == "sent"
    (parent,) = fake.posted_in(fake.text_channel_id)
    assert len(fake.posted_in(parent.message_id)) == 3  # each paper once
    after = Ledger(core.db).rows(f"discord:{fake.guild_id}:{fake.text_channel_id}", DAY)
    assert {r.status for r in after} == {"sent"}
    assert {r.message_id for r in after if r.item == "parent"} == {parent.message_id}


async def test_a_reply_split_in_parts_resumes_at_the_missing_part(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = Place("discord", fake.text_channel_id, fake.guild_id)
    long = Reply(text="\n\n".join(f"paragraph {i} " + "word " * 300 for i in range(4)))
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.poster.post(place, long, key="k@1")
    sent = fake.posted_in(fake.text_channel_id)
    assert len(sent) >= 3
    fake.delete_message(fake.text_channel_id, sent[-1].message_id)  # the last part never made it
    fake.advance(NONCE_WINDOW + 60)
    async with running_bot(fake, core, monkeypatch) as bot:
        first = await bot.poster.post(place, long, key="k@1")
    assert first == sent[0].message_id
    assert len(fake.posted_in(fake.text_channel_id)) == len(sent) + 1  # only the lost part


async def test_a_dm_after_the_nonce_window_is_not_sent_twice(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = fake.add_user("reader")
    reply = Reply(text="Your matches today: 1. Vision-Zero", private=True)
    async with running_bot(fake, core, monkeypatch) as bot:
        a = await bot.poster.send_dm(fake.guild_id, uid, reply, key=f"{DAY}:dm@{uid}")
    fake.advance(NONCE_WINDOW + 60)
    async with running_bot(fake, core, monkeypatch) as bot:
        b = await bot.poster.send_dm(fake.guild_id, uid, reply, key=f"{DAY}:dm@{uid}")
    assert a == b
    dms = [p for p in fake.posted if fake.channels[p.channel_id]["type"] == 1]
    assert len(dms) == 1


# --- 8. forum channels -----------------------------------------------------------------------
async def test_a_forum_post_is_found_again_after_a_restart(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.forum_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        await deliver_thread(core, bot.poster, channel, DAY)
    _forget_sent(core, channel, ["parent", "thread"])
    fake.advance(NONCE_WINDOW + 60)
    async with running_bot(fake, core, monkeypatch) as bot:
        again = await deliver_thread(core, bot.poster, _row(core, fake, fake.forum_channel_id), DAY)
    assert again.status == "sent"
    (post,) = fake.posted_in(fake.forum_channel_id)  # one post, not two
    assert "nonce" not in post.body  # forum posts take none
    assert len(fake.posted_in(post.message_id)) == 3


@pytest.mark.parametrize(("tags", "configured", "chosen"), [
    (("Off-topic", "Papers"), "", "Papers"),
    (("Reading", "Papers"), "reading", "Reading"),
])  # fmt: skip
async def test_a_forum_that_requires_a_tag_gets_one(
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    tags: tuple[str, ...],
    configured: str,
    chosen: str,
) -> None:
    with FakeDiscord() as fake:  # type: ignore[union-attr]
        forum = fake.add_channel("tagged-forum", 15, tags=tags, require_tag=True)
        channel = await _enable(core, fake, forum)
        async with running_bot(fake, core, monkeypatch, forum_tag=configured) as bot:
            result = await deliver_thread(core, bot.poster, channel, DAY)
        assert result.status == "sent", result.reason
        (post,) = fake.posted_in(forum)
        by_id = {t["id"]: t["name"] for t in fake.channels[forum]["available_tags"]}
        assert [by_id[t] for t in post.body["applied_tags"]] == [chosen]


async def test_a_forum_requiring_a_tag_it_cannot_give_pauses_with_the_remedy(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeDiscord() as fake:  # type: ignore[union-attr]
        forum = fake.add_channel("tagged-forum", 15, tags=("Off-topic",), require_tag=True)
        channel = await _enable(core, fake, forum)
        async with running_bot(fake, core, monkeypatch) as bot:
            result = await deliver_thread(core, bot.poster, channel, DAY)
        assert result.status == "paused" and "discord.forum_tag" in (result.reason or "")
        assert not fake.posted


# --- 11. pause only what is broken -----------------------------------------------------------
@pytest.mark.parametrize(("deny", "code"), [("VIEW_CHANNEL", "50001"), ("SEND_MESSAGES", "50013")])
async def test_the_configured_channel_refusing_pauses_it(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch, deny: str, code: str
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id)
    fake.deny(fake.text_channel_id, deny)
    async with running_bot(fake, core, monkeypatch) as bot:
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "paused" and code in (result.reason or "")
    assert _row(core, fake, fake.text_channel_id).paused_reason


async def test_a_deleted_channel_pauses_it(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id)
    fake.delete_channel(fake.text_channel_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "paused" and "10003" in (result.reason or "")


async def test_a_deleted_parent_skips_that_day_only(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id)
    threads = f"/api/v10/channels/{fake.text_channel_id}/messages/"
    fake.inject("503", times=4, path_prefix=threads)  # the thread cannot be opened today…
    async with running_bot(fake, core, monkeypatch) as bot:
        assert (await deliver_thread(core, bot.poster, channel, DAY)).status == "failed"
        (parent,) = fake.posted_in(fake.text_channel_id)
        fake.delete_message(fake.text_channel_id, parent.message_id)  # …and then its parent goes
        result = await deliver_thread(core, bot.poster, _row(core, fake, fake.text_channel_id), DAY)
        assert result.status == "ended" and "10008" in (result.reason or "")
        assert not _row(core, fake, fake.text_channel_id).paused_reason  # tomorrow still posts
        nxt = await deliver_thread(
            core, bot.poster, _row(core, fake, fake.text_channel_id), "2025-09-30"
        )
    assert nxt.status == "sent"
    target = f"discord:{fake.guild_id}:{fake.text_channel_id}"
    assert {r.status for r in Ledger(core.db).rows(target, DAY)} <= {"sent", "failed"}


async def test_a_deleted_thread_stops_that_day_not_the_channel(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = Place("discord", fake.text_channel_id, fake.guild_id)
    async with running_bot(fake, core, monkeypatch) as bot:
        parent = await bot.poster.post(place, Reply(text="parent"), key="p")
        thread = await bot.poster.open_thread(place, parent, "Daily")
        fake.delete_channel(parent)  # the thread (same id as its parent message) is deleted
        with pytest.raises(DeliveryError) as err:
            await bot.poster.reply_in_thread(thread, Reply(text="paper"), key="x")
    assert err.value.permanent and err.value.scope == "day"
    assert "thread was deleted" in err.value.reason


async def test_one_refused_item_is_skipped_and_the_rest_delivered(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = await _enable(core, fake, fake.text_channel_id, "max 4")
    refused = choose_papers(core, DAY, channel)[1][0].id
    fake.refuse_bodies_containing(f"paperbot:save:{refused}")  # Discord refuses that one card
    async with running_bot(fake, core, monkeypatch) as bot:
        result = await deliver_thread(core, bot.poster, channel, DAY)
    assert result.status == "sent" and result.sent == 1 + 3
    (parent,) = fake.posted_in(fake.text_channel_id)
    assert len(fake.posted_in(parent.message_id)) == 3
    target = f"discord:{fake.guild_id}:{fake.text_channel_id}"
    rows = {r.item: r for r in Ledger(core.db).rows(target, DAY)}
    assert rows[refused].status == "failed" and "50035" in (rows[refused].reason or "")
    assert not _row(core, fake, fake.text_channel_id).paused_reason
