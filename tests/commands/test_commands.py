"""The command layer through the memory adapter: push a command, read the replies."""

from __future__ import annotations

import pytest

from adapters.memory import MemoryAdapter
from bot.commands.dispatch import registry
from bot.commands.parse import requires_admin, split_command
from tests.support.chat import one

MCPMARK = "2509.24002"


def test_split_command() -> None:
    assert split_command("/papers search diffusion video") == ("search", "diffusion video")
    assert split_command("  /papers  ") == ("help", "")
    assert split_command("TOP week 5") == ("top", "week 5")
    assert requires_admin("channel", "enable time 09:00")
    assert not requires_admin("channel", "status")


async def test_today_shows_the_latest_day_ranked_by_upvotes(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers today 5")
    assert r.private and not r.is_error
    assert r.text.startswith("Daily Papers — Thu 2 Oct 2025")
    ups = [c.upvotes for c in r.cards]
    assert len(r.cards) == 5 and ups == sorted(ups, reverse=True)
    assert all(c.tldr and c.links[0].label == "arXiv" for c in r.cards)


async def test_top_week_spans_stored_days(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers top week 3")
    assert "Top 3 papers of the week" in r.text and len(r.cards) == 3
    ups = [c.upvotes for c in r.cards]
    assert ups == sorted(ups, reverse=True)


async def test_show_mcpmark(bot: MemoryAdapter) -> None:
    r = await one(bot, f"/papers show https://arxiv.org/abs/{MCPMARK}v2")
    card = r.cards[0]
    assert card.paper_id == MCPMARK and "MCPMark" in card.title
    assert card.tldr and card.upvotes and card.authors[-1] == "et al."
    assert {link.label for link in card.links} >= {"arXiv", "PDF", "HF"}


async def test_search_explains_matches(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers search diffusion")
    assert r.cards and all("diffusion" in c.matched for c in r.cards)


async def test_bad_query_is_one_line_with_an_example(bot: MemoryAdapter) -> None:
    r = await one(bot, '/papers search "graph" OR (')
    assert r.is_error and r.private
    assert "example" in r.text.lower() and len(r.text.splitlines()) <= 2


async def test_subscribe_topics_unsubscribe(bot: MemoryAdapter) -> None:
    r = await one(bot, '/papers subscribe "video generation" -survey')
    assert "Subscribed to #1" in r.text and not r.is_error
    await bot.push("/papers subscribe rlhf OR dpo")
    r = await one(bot, "/papers topics")
    lines = r.text.splitlines()
    assert lines[1].startswith('1. "video generation" -survey') and "match" in lines[1]
    assert lines[2].startswith("2. rlhf OR dpo")
    # another user sees none of it
    r = await one(bot, "/papers topics", user_id="U2")
    assert "no topics" in r.text
    r = await one(bot, "/papers unsubscribe 1")
    assert "Removed #1" in r.text
    r = await one(bot, "/papers unsubscribe 7")
    assert r.is_error and "Usage: /papers unsubscribe" in r.text
    r = await one(bot, "/papers unsubscribe all")
    assert "Removed all 1" in r.text


async def test_topic_limits(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers subscribe " + "a" * 201)
    assert r.is_error and "200 characters" in r.text
    for i in range(25):
        assert not (await one(bot, f"/papers subscribe topic{i}")).is_error
    r = await one(bot, "/papers subscribe one-too-many")
    assert r.is_error and "25 topics" in r.text


async def test_alerts(bot: MemoryAdapter) -> None:
    assert "Alerts set to dm" in (await one(bot, "/papers alerts dm")).text
    assert "Your alerts: dm" in (await one(bot, "/papers alerts")).text
    assert (await one(bot, "/papers alerts loud")).is_error


async def test_library_and_bibtex(bot: MemoryAdapter) -> None:
    assert "Saved" in (await one(bot, f"/papers save {MCPMARK}")).text
    assert "already" in (await one(bot, f"/papers save {MCPMARK}")).text
    assert MCPMARK in (await one(bot, "/papers library")).text
    bib = (await one(bot, f"/papers bibtex {MCPMARK}")).text
    assert (
        bib.startswith("@misc{") and f"eprint = {{{MCPMARK}}}" in bib and "title = {{MCPMark" in bib
    )
    lib = (await one(bot, "/papers bibtex library")).text
    assert lib.count("@misc{") == 1


async def test_channel_enable_needs_an_admin(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers channel enable time 08:30", is_admin=False)
    assert r.is_error and r.private and "Only channel admins" in r.text
    assert bot.core.db["channels"].count == 0
    r = await one(
        bot,
        "/papers channel enable time 8:30 tz Europe/Berlin days mon-fri max 5 "
        "filter diffusion OR video",
        is_admin=True,
    )
    assert not r.is_error and "08:30 Europe/Berlin on mon,tue,wed,thu,fri" in r.text
    row = bot.core.db["channels"].get(("memory", "W1", "C1"))
    assert row["enabled"] == 1 and row["max_papers"] == 5 and row["filter"] == "diffusion OR video"
    status = (await one(bot, "/papers channel status")).text
    assert "Next post: Fri 3 Oct 2025 08:30" in status and "nothing posted" in status
    r = await one(bot, "/papers channel enable empty-days note", is_admin=True)
    assert "Days without papers: one short note" in r.text
    assert bot.core.db["channels"].get(("memory", "W1", "C1"))["post_empty"] == 1


async def test_channel_bad_options(bot: MemoryAdapter) -> None:
    for args, needle in [
        ("time 25:00", "not a time"),
        ("tz Mars/Base", "iana"),
        ("days someday", "not a set of days"),
        ("max 0", "max"),
        ("colour red", "unknown option"),
        ("empty-days maybe", "empty-days"),
    ]:
        r = await one(bot, f"/papers channel enable {args}", is_admin=True)
        assert r.is_error and needle in r.text.lower() and "Usage: /papers channel" in r.text


async def test_channel_preview_is_private_and_mentions_nobody(bot: MemoryAdapter) -> None:
    await bot.push("/papers channel enable max 3", is_admin=True)
    replies = await bot.push("/papers channel preview", is_admin=True)
    assert len(replies) == 4 and all(r.private and not r.mention_user_ids for r in replies)
    assert "Preview" in replies[0].text


async def test_status_and_help(bot: MemoryAdapter) -> None:
    assert "Papers stored:" in (await one(bot, "/papers status")).text
    text = (await one(bot, "/papers help")).text
    for name in registry():
        assert f"/papers {name}" in text, name
    assert "(e.g. /papers today 5)" in text  # an example that shows more than the usage
    assert "Examples:" in (await one(bot, "/papers help search")).text


async def test_forget_me_removes_every_row_about_the_caller(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe diffusion")
    await bot.push("/papers alerts dm")
    await bot.push(f"/papers save {MCPMARK}")
    await bot.push("/papers subscribe diffusion", user_id="U2")
    r = await one(bot, "/papers forget-me confirm")
    assert "Deleted everything" in r.text
    db = bot.core.db
    for table in ("topics", "user_prefs", "library", "audit_log"):
        assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = 'U1'").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM topics WHERE user_id = 'U2'").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("/papers frobnicate", "Unknown command 'frobnicate'"),
        ("/papers today lots", "Usage:"),
        ("/papers top year", "Usage: /papers top"),
        ("/papers show not-an-id", "not an arXiv id"),
        ("/papers search", "Usage: /papers search"),
    ],
)
async def test_bad_commands_get_one_error_with_usage(bot: MemoryAdapter, text: str, needle: str):
    r = await one(bot, text)
    assert r.is_error and needle in r.text and "Traceback" not in r.text


async def test_show_unknown_paper_offline_is_a_clean_error(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers show 2501.99999")
    assert r.is_error and "Stored papers still work" in r.text


async def test_top_week_is_the_iso_week_and_month_the_calendar_month(bot: MemoryAdapter) -> None:
    week = await one(bot, "/papers top week 25")
    assert "the week 2025-W40 (Mon 29 Sep – Sun 5 Oct 2025)" in week.text
    named = await one(bot, "/papers top 2025-W40 25")
    assert [c.paper_id for c in named.cards] == [c.paper_id for c in week.cards]
    month = await one(bot, "/papers top month")
    assert "October 2025 (Wed 1 Oct – Fri 31 Oct 2025)" in month.text
    sept = await one(bot, "/papers top 2025-09 25")
    assert "September 2025" in sept.text
    assert all(c.date and c.date.startswith("2025-09") for c in sept.cards)
    assert {c.paper_id for c in month.cards}.isdisjoint({c.paper_id for c in sept.cards})


async def test_top_trailing_windows_and_bad_periods(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers top 7d 3")
    assert "the last 7 days (Fri 26 Sep – Thu 2 Oct 2025)" in r.text and len(r.cards) == 3
    bad = await one(bot, "/papers top 2025-W60")
    assert bad.is_error and "not a period" in bad.text and len(bad.text.splitlines()) <= 2
    assert (await one(bot, "/papers top fortnight")).is_error
