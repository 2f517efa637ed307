"""Share to the channel (issue #12, item 8), from the reader's side: `show <id>` stays private
and offers a Share button; `show <id> share` posts that one card publicly, "shared by" the
reader's name as text, pinging no one, once."""

from __future__ import annotations

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.model import Place
from tests.support.chat import one

MCPMARK = "2509.24002"


async def test_show_stays_private_and_offers_to_share(bot: MemoryAdapter) -> None:
    r = await one(bot, f"/papers show {MCPMARK}")
    assert r.private and r.shareable and r.cards[0].paper_id == MCPMARK


async def test_show_share_posts_the_card_publicly_once(core: Core) -> None:
    poster = MemoryPoster()
    bot = MemoryAdapter(core, poster=poster)
    r = await one(bot, f"/papers show {MCPMARK} share", user_id="U7")
    assert r.private and not r.is_error and "Shared 2509.24002 with this channel" in r.text
    [sent] = poster.sent
    assert sent.kind == "post" and sent.place == Place("memory", "C1", "W1")
    assert sent.reply is not None and not sent.reply.private
    assert sent.reply.text == "Shared by @U7"  # the memory adapter's display name is the id
    assert sent.reply.mention_user_ids == () and not sent.reply.shareable
    assert [c.paper_id for c in sent.reply.cards] == [MCPMARK]
    r = await one(bot, f"/papers show {MCPMARK} SHARE", user_id="U7")  # a double click
    assert "already shared" in r.text and len(poster.sent) == 1
    await one(bot, f"/papers show {MCPMARK} share", user_id="U8")  # someone else may
    assert len(poster.sent) == 2


async def test_share_needs_a_platform_and_a_real_id(core: Core) -> None:
    r = await one(MemoryAdapter(core), f"/papers show {MCPMARK} share")
    assert "here there is none" in r.text
    bot = MemoryAdapter(core, poster=(poster := MemoryPoster()))
    r = await one(bot, f"/papers show {MCPMARK} publish")
    assert r.is_error and r.text.splitlines()[-1] == (
        "Usage: /papers show <id, URL or title words> [share]"
    )
    assert not poster.sent
