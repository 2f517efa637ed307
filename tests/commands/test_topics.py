"""Topics you can use (issue #12, item 5), from the subscriber's side: one topic's recent
matches, the next alert DM previewed by the DM's own builder, topics named in the DM, and a
topic edited in place."""

from __future__ import annotations

from adapters.memory import MemoryAdapter, MemoryPoster
from adapters.shell.render import render_reply
from bot.core import Core
from bot.daily.alerts import deliver_dm_alerts
from storage import users as user_store
from tests.support.chat import one

DAY = "2025-10-02"  # the latest stored day at the fixture clock


async def test_topics_n_lists_that_topics_recent_matches(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe reinforcement learning")
    await bot.push("/papers subscribe video generation")
    listing = (await one(bot, "/papers topics")).text
    assert "2. video generation — 11 matches in 30 days" in listing
    r = await one(bot, "/papers topics 2")
    assert (
        r.private
        and r.text == "Topic 2: video generation — 11 matches in the last 30 days; the best 10:"
    )
    assert len(r.cards) == 10 and [c.rank for c in r.cards] == list(range(1, 11))
    assert all(c.matched for c in r.cards)  # each says why it is there
    r = await one(bot, "/papers topics 1")
    assert r.text.startswith("Topic 1: reinforcement learning — 31 matches")


async def test_a_topic_without_recent_matches_says_so(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe zzyzx")
    r = await one(bot, "/papers topics 1")
    assert r.text.startswith("Topic 1: zzyzx — 0 matches in the last 30 days") and not r.cards


async def test_a_bad_topic_number_changes_nothing_and_shows_one_usage(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers topics 1")
    assert r.is_error and "no topics yet" in r.text
    await bot.push("/papers subscribe diffusion")
    for args in ("3", "0", "²", "1 frobnicate"):
        r = await one(bot, f"/papers topics {args}")
        assert r.is_error and r.text.splitlines()[-1].startswith("Usage: /papers topics")
        assert len(r.text.splitlines()) == 2


async def test_a_topic_is_edited_in_place_keeping_its_number(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe diffusion")
    await bot.push("/papers subscribe agents")
    await bot.push("/papers subscribe reasoning")
    before = user_store.list_topics(bot.core.db, user_store.UserKey("memory", "W1", "U1"))
    r = await one(bot, '/papers topics 2 set "video generation" -survey')
    assert not r.is_error and r.text.startswith('Topic 2 is now "video generation" -survey')
    assert "(was agents)" in r.text and "from the last 30 days" in r.text
    after = user_store.list_topics(bot.core.db, user_store.UserKey("memory", "W1", "U1"))
    assert [t["id"] for t in after] == [t["id"] for t in before]  # same id, same place
    assert [t["query"] for t in after] == ["diffusion", '"video generation" -survey', "reasoning"]
    listing = (await one(bot, "/papers topics")).text
    assert '2. "video generation" -survey' in listing


async def test_an_edit_is_checked_like_a_new_topic(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe diffusion")
    await bot.push("/papers subscribe agents")
    for args, needle in [
        ("2 set", "needs the new query"),
        ('2 set "unclosed', "Bad query"),
        ("2 set " + "x" * 201, "at most 200 characters"),
    ]:
        r = await one(bot, f"/papers topics {args}")
        assert r.is_error and needle in r.text, r.text
    r = await one(bot, "/papers topics 2 set diffusion")
    assert "already follow diffusion" in r.text
    topics = user_store.list_topics(bot.core.db, user_store.UserKey("memory", "W1", "U1"))
    assert [t["query"] for t in topics] == ["diffusion", "agents"]  # nothing lost


async def test_alerts_preview_is_the_dm_that_is_then_sent(core: Core, bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe reinforcement learning")
    await bot.push("/papers subscribe video generation")
    r = await one(bot, "/papers alerts preview")
    assert r.private and "your alerts are off: it is sent only with /papers alerts dm" in r.text
    await bot.push("/papers alerts dm")
    preview = await one(bot, "/papers alerts preview")
    assert preview.text.startswith("Preview of your alert DM (only you see this")
    poster = MemoryPoster()
    assert await deliver_dm_alerts(core, {"memory": poster}, DAY) == 1
    [dm] = poster.sent
    assert dm.reply is not None
    assert preview.text.endswith(dm.reply.text)  # the same DM, word for word
    assert preview.cards == dm.reply.cards


async def test_the_dm_names_which_topic_matched_each_paper(core: Core, bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe reinforcement learning")
    await bot.push("/papers subscribe video generation")
    await bot.push("/papers alerts dm")
    poster = MemoryPoster()
    await deliver_dm_alerts(core, {"memory": poster}, DAY)
    [dm] = poster.sent
    assert dm.reply is not None
    cards = dm.reply.cards
    assert cards and all(c.topics for c in cards)
    named = {t for c in cards for t in c.topics}
    assert named == {"#1 reinforcement learning", "#2 video generation"}
    video = next(c for c in cards if c.topics == ("#2 video generation",))
    assert video.matched == ("video", "generation")  # the explanation is still there
    shown = render_reply(dm.reply, width=200)
    assert "your topic #2 video generation · matched: video, generation" in shown


async def test_a_topic_with_no_match_today_previews_no_dm(bot: MemoryAdapter) -> None:
    await bot.push("/papers subscribe zzyzx")
    await bot.push("/papers alerts dm")
    r = await one(bot, "/papers alerts preview")
    assert "None of your topics match the papers of Thu 2 Oct 2025: no DM" in r.text
    assert not r.cards


def test_every_platform_shows_the_topic_line_once_escaped() -> None:
    """Slack and Discord show the same line as the terminal; a topic is user text, so `*`
    or `<!channel>` in it stays literal and pings nobody."""
    from adapters.discord.cards import card_embeds
    from adapters.slack.render import card_blocks
    from bot.model import PaperCard

    card = PaperCard(
        "2510.00001", "T", "https://huggingface.co/papers/2510.00001", "tl;dr",
        matched=("video",), topics=("#2 video <!channel> *gen*",),
    )  # fmt: skip
    assert card.matched_label() == "your topic #2 video <!channel> *gen* · matched: video"
    slack = str(card_blocks(card))
    assert "your topic #2 video &lt;!channel&gt;" in slack and "<!channel>" not in slack
    discord = card_embeds(card)[0]["description"]
    assert "your topic #2 video <!channel> \\*gen\\* · matched: video" in discord
    assert "<!channel>" not in slack
