"""Filters that cannot match say so (#12 item 4): `subscribe`, `search` and `channel enable
filter` name the part of a query that matches none of the last 30 days, and why."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.model import Paper
from storage.papers import upsert_day
from tests.support.chat import one

NO_CATEGORIES = "no stored paper has arXiv categories yet — `paperbot fetch` adds them"


async def test_cat_on_imported_days_says_categories_come_from_fetch(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers subscribe cat:cs.CL")
    assert "Subscribed to #1" in r.text
    assert f"Note: it matches no paper of the last 30 days, because {NO_CATEGORIES}." in r.text
    r = await one(bot, "/papers channel enable filter diffusion cat:cs.CL", is_admin=True)
    assert "Daily thread enabled" in r.text and NO_CATEGORIES in r.text
    r = await one(bot, "/papers search cat:cs.CL")
    assert r.text == f"Nothing stored matches cat:cs.CL ({NO_CATEGORIES})."


async def test_a_query_that_matches_says_nothing_more(bot: MemoryAdapter) -> None:
    for command in ("/papers subscribe diffusion", "/papers channel enable filter diffusion"):
        r = await one(bot, command, is_admin=True)
        assert "Note:" not in r.text, r.text


async def test_the_part_that_matches_nothing_is_named(core: Core) -> None:
    upsert_day(core.db, "2025-10-02", [Paper("2510.00001", "Vision", "x", categories=("cs.CV",))])
    bot = MemoryAdapter(core)
    r = await one(bot, "/papers subscribe cat:cs.CL")
    assert "Note: it matches no paper of the last 30 days." in r.text and "fetch" not in r.text
    r = await one(bot, "/papers subscribe diffusion zebrafish upvotes>=100000")
    assert (
        "Note: it matches no paper of the last 30 days, because zebrafish and upvotes>=100000"
        " match none of the last 30 days' papers." in r.text
    )
    r = await one(bot, "/papers subscribe mcpmark vision-zero")
    assert "each part matches some of the last 30 days' papers, but none matches all" in r.text
    r = await one(bot, "/papers search diffusion zebrafish")
    assert "(zebrafish matches none of the last 30 days' papers)" in r.text


async def test_search_with_only_older_matches_shows_them_and_says_none_is_recent(
    core: Core,
) -> None:
    upsert_day(core.db, "2025-06-02", [Paper("2506.00001", "Zebrafish atlas", "zebrafish")])
    upsert_day(core.db, "2025-10-02", [Paper("2510.00001", "Vision", "x")])
    bot = MemoryAdapter(core)
    r = await one(bot, "/papers search zebrafish")
    assert [c.paper_id for c in r.cards] == ["2506.00001"]
    assert "Note: it matches no paper of the last 30 days." in r.text
    r = await one(bot, "/papers search vision")  # a recent match: no note
    assert "Note:" not in r.text


async def test_the_note_reads_the_newest_match_and_counts_only_when_it_cannot_tell(
    core: Core, clock: FakeClock
) -> None:
    old = Paper("2506.00001", "Zebrafish atlas", "zebrafish")
    upsert_day(core.db, "2025-06-02", [old, Paper("2506.00002", "Zebrafish fins", "zebrafish")])
    upsert_day(core.db, "2025-10-02", [Paper("2510.00001", "Vision", "x"), old])  # listed again
    bot = MemoryAdapter(core)
    r = await one(bot, "/papers search zebrafish")  # the newest match is old, but one is recent
    assert len(r.cards) == 2 and "Note:" not in r.text
    r = await one(bot, "/papers search fins")
    assert "Note: it matches no paper of the last 30 days." in r.text
    clock.advance(86_400)
    upsert_day(core.db, "2025-10-03", [Paper("2510.00002", "Fins again", "fins")])
    r = await one(bot, "/papers search fins")  # the next day lists a match: the note goes
    assert "Note:" not in r.text
