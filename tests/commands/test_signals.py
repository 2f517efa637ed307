"""Every signal, everywhere (#11 item 4): the cards of today, top, search and show carry
upvotes, comments, stars, the organisation and the date (the HF day when the command knows it)."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from tests.support.chat import one

VISION_ZERO = "2509.25541"  # 2025-10-01: 55 upvotes, 6 stars, 1 comment, arXiv date 09-29


async def test_today_and_top_date_cards_by_their_hf_day(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers today 25")
    assert r.cards and {c.date for c in r.cards} == {"2025-10-02"}
    r = await one(bot, "/papers top week 25")
    card = next(c for c in r.cards if c.paper_id == VISION_ZERO)
    assert card.date == "2025-10-01" and (card.stars, card.comments, card.upvotes) == (6, 1, 55)


async def test_search_and_show_cards_carry_the_signals(bot: MemoryAdapter) -> None:
    for command in ("/papers search vision-zero", f"/papers show {VISION_ZERO}"):
        card = (await one(bot, command)).cards[0]
        assert (card.stars, card.comments, card.upvotes) == (6, 1, 55), command
        assert card.date and card.authors_total == 9
