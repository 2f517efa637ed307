"""A channel's compact style: `channel enable style compact`, threads of lines ten a reply, and
exactly-once delivery when one message carries several papers (crash, lost answer)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlite_utils

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.daily.channels import ChannelSettings, load_channel
from bot.daily.compact import PER_REPLY
from bot.daily.delivery import deliver_thread
from bot.daily.posting import message_key
from bot.model import Place, Reply
from storage import open_db
from storage.ledger import Ledger
from storage.migrations import _m007_channel_style
from tests.support.chat import one
from tests.support.scheduling import save_channel

DAY = "2025-10-01"  # 37 papers


def compact(core: Core, max_papers: int = 25) -> ChannelSettings:
    return save_channel(core, "C1", timezone="UTC", max_papers=max_papers, style="compact")


class DyingPoster(MemoryPoster):
    """Stops (like a killed process) once it has sent `messages` messages; with `after_send`
    the last one reached the platform but the ledger never heard (its answer was lost)."""

    def __init__(self, messages: int, *, after_send: bool = False) -> None:
        super().__init__()
        self.messages, self.after_send = messages, after_send

    async def reply_in_thread(
        self, thread: Place, reply: Reply, *, key: str, attempted: bool = True
    ) -> str:
        sent = len([s for s in self.sent if s.kind in ("post", "reply")])
        if not self.after_send and sent >= self.messages:
            raise SystemExit("killed")
        mid = await super().reply_in_thread(thread, reply, key=key, attempted=attempted)
        if self.after_send and sent + 1 >= self.messages:
            raise SystemExit("killed")
        return mid


def replies(poster: MemoryPoster) -> list:
    return [s for s in poster.sent if s.kind == "reply"]


# --- the command ---------------------------------------------------------------------------
async def test_style_is_set_shown_and_checked(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers channel enable style compact", is_admin=True)
    assert not r.is_error and "Style: compact (lines, up to 10 papers a reply)" in r.text
    assert load_channel(bot.core, ("memory", "W1", "C1")).style == "compact"  # type: ignore[union-attr]
    assert "Style: compact" in (await one(bot, "/papers channel status")).text
    r = await one(bot, "/papers channel enable style tiny", is_admin=True)
    assert r.is_error and "'tiny' is not a style; use full" in r.text
    assert load_channel(bot.core, ("memory", "W1", "C1")).style == "compact"  # type: ignore[union-attr]
    r = await one(bot, "/papers channel enable style FULL", is_admin=True)
    assert "Style: full cards" in r.text


def test_the_style_migration_is_idempotent_and_old_rows_read_full(tmp_path: Path) -> None:
    db = open_db(tmp_path / "p.db")
    assert "style" in db["channels"].columns_dict
    _m007_channel_style(db)  # again: nothing to do, nothing fails
    row = {"platform": "m", "workspace_id": "W", "channel_id": "C", "enabled": 1, "style": None}
    db["channels"].insert(row)
    got = ChannelSettings.from_row(next(db["channels"].rows))
    assert got.style == "full"
    db.close()
    fresh = sqlite_utils.Database(memory=True)
    fresh["channels"].create({"platform": str, "workspace_id": str, "channel_id": str})
    _m007_channel_style(fresh)
    _m007_channel_style(fresh)
    assert "style" in fresh["channels"].columns_dict


# --- the thread ----------------------------------------------------------------------------
async def test_a_compact_thread_is_the_parent_then_lines_ten_a_reply(core: Core) -> None:
    ch = compact(core)
    poster = MemoryPoster()
    result = await deliver_thread(core, poster, ch, DAY)
    assert result.status == "sent" and result.sent == 1 + 3
    groups = [s.reply for s in replies(poster)]
    assert [len(g.cards) for g in groups] == [PER_REPLY, PER_REPLY, 5]
    assert all(g.compact for g in groups)
    ranks = [c.rank for g in groups for c in g.cards]
    assert ranks == list(range(1, 26))
    keys = [s.key for s in replies(poster)]
    assert keys == [message_key(DAY, g.cards[0].paper_id, "C1") for g in groups]
    rows = {r.item: r for r in Ledger(core.db).rows(ch.target, DAY)}
    assert {r.status for r in rows.values()} == {"sent"} and len(rows) == 2 + 25
    for s in replies(poster):  # every paper's row carries its group's message id
        assert {rows[c.paper_id].message_id for c in s.reply.cards} == {s.message_id}


async def test_a_crash_between_groups_resumes_with_no_paper_twice_or_lost(core: Core) -> None:
    ch = compact(core)
    dying = DyingPoster(2)  # the parent and the first group went out
    with contextlib.suppress(SystemExit):
        await deliver_thread(core, dying, ch, DAY)
    again = MemoryPoster()
    result = await deliver_thread(core, again, ch, DAY)
    assert result.status == "sent"
    first = [c.paper_id for s in replies(dying) for c in s.reply.cards]
    rest = [c.paper_id for s in replies(again) for c in s.reply.cards]
    assert len(first) == PER_REPLY and not set(first) & set(rest)
    assert len(first + rest) == len(set(first + rest)) == 25
    assert not [s for s in again.sent if s.kind == "post"]  # the parent is not posted again


async def test_a_group_whose_answer_was_lost_is_resent_as_the_same_message(core: Core) -> None:
    """The platform got group 2 but the process died before the ledger heard: the resend is
    the same papers under the same key, which the platform recognises (Discord nonce and
    ref, Slack metadata: the adapters' own tests), so nothing shows twice."""
    ch = compact(core)
    dying = DyingPoster(3, after_send=True)
    with contextlib.suppress(SystemExit):
        await deliver_thread(core, dying, ch, DAY)
    lost = replies(dying)[-1]
    rows = {r.item: r for r in Ledger(core.db).rows(ch.target, DAY)}
    assert all(rows[c.paper_id].status == "pending" for c in lost.reply.cards)
    again = MemoryPoster()
    await deliver_thread(core, again, ch, DAY)
    resent = replies(again)[0]
    assert resent.key == lost.key
    assert [c.paper_id for c in resent.reply.cards] == [c.paper_id for c in lost.reply.cards]
    assert len(replies(again)) == 2  # group 2 (recognised by the platform), group 3
