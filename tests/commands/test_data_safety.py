"""No command deletes more than the user asked for (issue #12, item 1): `forget` is no alias of
`forget-me`, `forget-me` asks first and takes no stray argument, `unsave` removes one paper."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from bot.commands.dispatch import ALIASES, registry
from tests.support.chat import one

MCPMARK = "2509.24002"


def _count(bot: MemoryAdapter, table: str, user: str = "U1") -> int:
    sql = f"SELECT COUNT(*) FROM {table} WHERE user_id = ?"
    return bot.core.db.execute(sql, [user]).fetchone()[0]


async def _some_data(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe diffusion")
    await bot.push("/papers alerts dm")
    await bot.push(f"/papers save {MCPMARK}")


async def test_forget_with_an_id_deletes_nothing(bot: MemoryAdapter) -> None:
    await _some_data(bot)
    r = await one(bot, f"/papers forget {MCPMARK}")
    assert r.is_error and "Unknown command 'forget'" in r.text
    assert _count(bot, "library") == 1 and _count(bot, "topics") == 1


async def test_no_alias_leads_to_a_command_that_deletes() -> None:
    specs = registry()
    assert {n for n, s in specs.items() if s.deletes} == {"forget-me", "unsave", "unsubscribe"}
    assert not [a for a, target in ALIASES.items() if specs[target].deletes]


async def test_forget_me_refuses_any_argument(bot: MemoryAdapter) -> None:
    await _some_data(bot)
    r = await one(bot, f"/papers forget-me {MCPMARK}")
    assert r.is_error and "forget-me confirm" in r.text
    assert _count(bot, "library") == 1 and _count(bot, "topics") == 1


async def test_forget_me_asks_first_and_says_what_would_go(bot: MemoryAdapter) -> None:
    await _some_data(bot)
    r = await one(bot, "/papers forget-me")
    assert not r.is_error and r.private
    assert "/papers forget-me confirm" in r.text
    assert "1 topic" in r.text and "1 saved paper" in r.text
    assert _count(bot, "library") == 1 and _count(bot, "topics") == 1 and _count(bot, "user_prefs")


async def test_forget_me_confirm_deletes_and_reports_in_words(bot: MemoryAdapter) -> None:
    await _some_data(bot)
    await bot.push("/papers subscribe diffusion", user_id="U2")
    r = await one(bot, "/papers forget-me confirm")
    assert not r.is_error and "Deleted everything stored about you" in r.text
    assert "1 topic" in r.text and "1 saved paper" in r.text and "alert setting" in r.text
    for table_name in ("user_prefs", "audit_log", "library", "deliveries", "rows"):
        assert table_name not in r.text
    for table in ("topics", "user_prefs", "library", "audit_log"):
        assert _count(bot, table) == 0, table
    assert _count(bot, "topics", "U2") == 1
    r = await one(bot, "/papers forget-me confirm")
    assert "Nothing was stored about you" in r.text


async def test_forget_me_clears_the_caller_from_channels_they_changed(bot: MemoryAdapter) -> None:
    db = bot.core.db
    await bot.push("/papers channel enable", is_admin=True)
    await MemoryAdapter(bot.core, "C2").push("/papers channel enable", "U2", is_admin=True)
    await MemoryAdapter(bot.core, "C3", "W2").push("/papers channel enable", is_admin=True)
    r = await one(bot, "/papers forget-me confirm")
    assert "your name on 1 channel setting" in r.text
    assert db["channels"].get(("memory", "W1", "C1"))["updated_by"] is None
    assert db["channels"].get(("memory", "W1", "C1"))["enabled"] == 1  # the channel keeps posting
    assert db["channels"].get(("memory", "W1", "C2"))["updated_by"] == "U2"
    assert db["channels"].get(("memory", "W2", "C3"))["updated_by"] == "U1"  # another workspace


async def test_unsave_removes_only_the_named_papers(bot: MemoryAdapter) -> None:
    other = bot.core.db.execute("SELECT id FROM papers WHERE id != ? LIMIT 2", [MCPMARK]).fetchall()
    ids = [MCPMARK, other[0][0], other[1][0]]
    for pid in ids:
        await bot.push(f"/papers save {pid}")
    await bot.push("/papers subscribe diffusion")
    r = await one(bot, f"/papers unsave https://arxiv.org/abs/{MCPMARK}v2 {ids[1]}")
    assert not r.is_error and "Removed 2 papers from your library" in r.text
    left = [row[0] for row in bot.core.db.execute("SELECT paper_id FROM library").fetchall()]
    assert left == [ids[2]] and _count(bot, "topics") == 1
    r = await one(bot, f"/papers unsave {MCPMARK}")
    assert not r.is_error and f"{MCPMARK} was not in your library" in r.text
    assert _count(bot, "library") == 1


async def test_unsave_refuses_what_is_not_an_id_and_removes_nothing(bot: MemoryAdapter) -> None:
    await bot.push(f"/papers save {MCPMARK}")
    for text in ("/papers unsave", f"/papers unsave {MCPMARK} not-an-id", "/papers unsave all"):
        r = await one(bot, text)
        assert r.is_error and "Usage: /papers unsave" in r.text, text
    assert _count(bot, "library") == 1
