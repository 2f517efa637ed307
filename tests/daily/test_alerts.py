from __future__ import annotations

from adapters.memory import MemoryAdapter, MemoryPoster
from bot.core import Core
from bot.daily.alerts import deliver_dm_alerts, match_topics
from bot.model import paper_from_row
from storage import papers as paper_store

DAY = "2025-10-01"


def day_papers(core: Core) -> list:
    return [paper_from_row(r) for r in paper_store.day_rows(core.db, DAY)]


async def test_match_topics_explains_each_match(core: Core, bot: MemoryAdapter) -> None:
    await bot.push('/papers subscribe "reinforcement learning"', user_id="U1")
    await bot.push("/papers subscribe zebrafish", user_id="U2")  # matches nothing
    await bot.push("/papers subscribe agent OR agents -survey", user_id="U3")
    found = match_topics(core, day_papers(core))
    assert set(found) == {("memory", "W1", "U1"), ("memory", "W1", "U3")}
    for paper, matched in found[("memory", "W1", "U1")]:
        assert matched == ('"reinforcement learning"',)
        assert "reinforcement learning" in (paper.title + paper.abstract).lower() or any(
            "reinforcement learning" in k.lower() for k in paper.ai_keywords
        )


async def test_one_dm_per_day_for_users_who_chose_dm(core: Core, bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe agent", user_id="U1")
    await bot.push("/papers alerts dm", user_id="U1")
    await bot.push("/papers subscribe agent", user_id="U2")  # alerts off
    await bot.push("/papers subscribe agent", user_id="U3")
    await bot.push("/papers alerts thread", user_id="U3")  # mentioned in threads, no DM
    poster = MemoryPoster()
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 1
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 0
    [dm] = poster.sent
    assert dm.kind == "dm" and dm.place.channel_id == "dm:U1"
    assert dm.reply.text.startswith("Your paper alerts for Wed 1 Oct 2025")
    assert dm.reply.cards and all(c.matched == ("agent",) for c in dm.reply.cards)
    assert not dm.reply.mention_user_ids


async def test_forget_me_stops_alerts(core: Core, bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe agent", user_id="U1")
    await bot.push("/papers alerts dm", user_id="U1")
    await bot.push("/papers forget-me confirm", user_id="U1")
    poster = MemoryPoster()
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 0


async def test_explanations_are_built_only_when_read(core: Core, bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe agent OR agents -survey", user_id="U1")
    [matches] = match_topics(core, day_papers(core)).values()
    assert all(m._matched is None for m in matches)  # found, not yet explained
    paper, matched = matches[0]
    assert matched and set(matched) <= {"agent", "agents"}
    assert matches[0]._matched == matched and all(m._matched is None for m in matches[1:])
