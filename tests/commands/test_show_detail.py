"""`show` is the one detailed view (#11 item 4): every author, the abstract shortened with a
link to the whole, the submitter, the arXiv categories and every link — on each platform."""

from __future__ import annotations

import json

from adapters.discord.render import reply_bodies
from adapters.memory import MemoryAdapter
from adapters.shell.render import render_reply as shell_reply
from adapters.slack.render import render_reply as slack_reply
from bot.core import Core
from bot.model import Paper
from storage.papers import upsert_day
from tests.support.chat import one

VISION_ZERO = "2509.25541"


async def test_show_lists_every_author_and_the_abstract_with_more(bot: MemoryAdapter) -> None:
    r = await one(bot, f"/papers show {VISION_ZERO}")
    lines = r.text.splitlines()
    assert lines[0] == (
        "9 authors: Qinsi Wang, Bo Liu, Tianyi Zhou, Jing Shi, Yueqian Lin, Yiran Chen,"
        " Hai Helen Li, Kun Wan, Wentian Zhao"
    )
    abstract = next(line for line in lines if line.startswith("Abstract: "))
    assert abstract.startswith("Abstract: Although reinforcement learning (RL)")
    assert abstract.endswith("…") and len(abstract) <= len("Abstract: ") + 700
    assert f"More: https://arxiv.org/abs/{VISION_ZERO}" in lines
    labels = {link.label for link in r.cards[0].links}
    assert labels >= {"arXiv", "PDF", "HF", "Code"}


async def test_show_says_who_submitted_it_and_its_categories(core: Core) -> None:
    paper = Paper(
        "2510.00001",
        "Short",
        "A short abstract.",
        authors=("A. Author",),
        submitted_by="taesiri",
        categories=("cs.CV", "cs.AI"),
    )
    upsert_day(core.db, "2025-10-02", [paper])
    r = await one(MemoryAdapter(core), "/papers show 2510.00001")
    assert r.text.splitlines() == [
        "1 author: A. Author",
        "Submitted by taesiri · arXiv cs.CV, cs.AI",
        "Abstract: A short abstract.",
    ]


async def test_a_collaboration_is_counted_not_listed_whole(core: Core) -> None:
    authors = tuple(f"Physicist Number {i}" for i in range(3000))
    upsert_day(core.db, "2025-10-02", [Paper("2510.00002", "Big", "x", authors=authors)])
    r = await one(MemoryAdapter(core), "/papers show 2510.00002")
    first = r.text.splitlines()[0]
    assert first.startswith("3000 authors: Physicist Number 0, ") and first.endswith(" more")
    assert len(first) < 1_400


async def test_every_platform_renders_the_detail_escaped(core: Core) -> None:
    hostile = "We ping <!everyone> and @everyone and <@U123> in *bold*."
    upsert_day(core.db, "2025-10-02", [Paper("2510.00003", "T", hostile, authors=("@here",))])
    r = await one(MemoryAdapter(core), "/papers show 2510.00003")
    slack = json.dumps(slack_reply(r))
    assert "<!everyone>" not in slack and "<@U123>" not in slack and "We ping" in slack
    discord = reply_bodies(r)
    assert all(body.get("allowed_mentions", {}).get("parse") == [] for body in discord)
    assert "We ping" in json.dumps(discord)
    assert "Abstract: We ping" in shell_reply(r)
