"""The parent of a day's thread: the day's true count and what this channel kept, the day's
themes (or the LLM's overview), its most upvoted papers, one button, no raw URL."""

from __future__ import annotations

import json

from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.thread import build_digest, kept_note, parent_for
from bot.model import Paper
from bot.sources.hf_parse import parse_daily_papers
from storage import papers as paper_store
from tests.support.core import DAYS

DAY = "2025-10-01"  # 37 papers stored (tests/fixtures/days)


def channel(**kw: object) -> ChannelSettings:
    return ChannelSettings("memory", "W1", "C1", **kw)  # type: ignore[arg-type]


async def test_the_parent_says_the_true_count_and_that_the_top_15_are_here(core: Core) -> None:
    d = await build_digest(core, DAY, offline=True)
    assert d is not None and len(d.items) == 15  # the configured default max
    h = d.parent.headline
    assert h is not None and (h.total, h.kept) == (37, 15)
    assert h.kept_note == "the top 15 are in this thread"
    assert "".join(h.count_parts) == "37 papers today · the top 15 are in this thread"
    assert d.title == d.parent.title == "Daily Papers — Wed 1 Oct 2025"
    assert d.thread_name == "Daily Papers — Wed 1 Oct"
    assert [(link.label, link.url) for link in d.parent.links] == [
        ("All 37 on Hugging Face", "https://huggingface.co/papers/date/2025-10-01")
    ]
    assert d.parent.text == ""  # each fact said once: the headline holds it


async def test_max_changes_what_is_kept_never_the_days_count(core: Core) -> None:
    d = await build_digest(core, DAY, channel(max_papers=5), offline=True)
    h = d.parent.headline
    assert (h.total, h.kept, h.kept_note) == (37, 5, "the top 5 are in this thread")
    d = await build_digest(core, DAY, channel(max_papers=50), offline=True)
    assert (d.parent.headline.total, d.parent.headline.kept) == (37, 37)
    assert d.parent.headline.kept_note == "all in this thread"


async def test_min_upvotes_and_a_filter_keep_fewer_and_the_count_stays_true(core: Core) -> None:
    rows = paper_store.day_rows(core.db, DAY)
    at_least_20 = sum(1 for r in rows if (r["upvotes"] or 0) >= 20)
    d = await build_digest(core, DAY, channel(min_upvotes=20, max_papers=50), offline=True)
    h = d.parent.headline
    assert (h.total, h.kept) == (37, at_least_20) and 0 < at_least_20 < 37
    assert h.kept_note == f"the top {at_least_20} are in this thread"  # the best of the day

    d = await build_digest(core, DAY, channel(filter="agent OR agents", max_papers=50), True)
    h = d.parent.headline
    assert h.total == 37 and h.kept == len(d.items) and 0 < h.kept < 37
    assert h.kept_note == f"{h.kept} matching “agent OR agents” are in this thread"

    both = channel(filter="agent OR agents", min_upvotes=5, max_papers=50)
    d = await build_digest(core, DAY, both, offline=True)
    assert d.parent.headline.total == 37
    assert d.parent.headline.kept_note == (
        f"{d.parent.headline.kept} with ▲ 5 or more matching “agent OR agents” are in this thread"
    )


async def test_the_parent_shows_the_days_themes_and_its_top_3_linked(core: Core) -> None:
    d = await build_digest(core, DAY, channel(filter="agent OR agents"), offline=True)
    h = d.parent.headline
    rows = paper_store.day_rows(core.db, DAY)
    assert [t.url for t in h.top] == [f"https://huggingface.co/papers/{r['id']}" for r in rows[:3]]
    assert [t.upvotes for t in h.top] == [r["upvotes"] for r in rows[:3]]
    assert h.themes[0].label == "large language models" and 3 <= len(h.themes) <= 4
    assert h.overview == ""
    assert d.overview.splitlines()[0] == "".join(h.count_parts)
    assert "Themes: large language models (15)" in d.overview


async def test_the_parent_is_built_again_from_what_is_stored_now(core: Core) -> None:
    """What the live thread will call after a later fetch: the grown day, the same thread."""
    kept = [Paper("2509.25541", "Vision-Zero")]
    before = await parent_for(core, DAY, kept, channel(), offline=True)
    entries = json.loads((DAYS / f"{DAY}.json").read_text(encoding="utf-8"))
    extra = {**entries[0], "paper": {**entries[0]["paper"], "id": "2510.99999", "upvotes": 999}}
    paper_store.upsert_day(core.db, DAY, list(parse_daily_papers([extra]).papers))
    after = await parent_for(core, DAY, kept, channel(), offline=True)
    assert (before.headline.total, after.headline.total) == (37, 38)
    assert after.headline.top[0].url.endswith("2510.99999")
    assert after.links[0].label == "All 38 on Hugging Face"


def test_kept_note_wording() -> None:
    day = [Paper(str(i), f"P{i}") for i in range(4)]
    assert kept_note(day, day, None) == "all in this thread"
    assert kept_note(day[:1], day[:1], None) == "in this thread"
    assert kept_note(day, day[:1], None) == "the top one is in this thread"
    assert kept_note(day, day[1:3], None) == "2 are in this thread"  # e.g. sent on other days
    assert kept_note(day, [], None) == "none in this thread yet"
    long_filter = channel(filter=" ".join(["diffusion"] * 20))
    note = kept_note(day, day[2:3], long_filter)
    assert note.startswith("1 matching “diffusion") and "…" in note and len(note) < 100


async def test_with_an_llm_its_overview_replaces_the_themes(clock) -> None:
    from bot.ingest import import_paths
    from tests.fakes.llm import FakeLLM
    from tests.support.core import offline_config

    with FakeLLM() as llm:
        cfg = offline_config(llm={"base_url": llm.url, "model": "m", "max_calls_per_day": 3})
        core = Core.open(cfg, ":memory:", clock=clock)
        import_paths(core.db, [DAYS])
        d = await build_digest(core, DAY)
        await core.aclose()
    h = d.parent.headline
    assert "Overview of 2025-10-01" in h.overview and h.themes == ()
    assert h.total == 37 and len(h.top) == 3


async def test_digest_json_carries_the_parents_facts(core: Core) -> None:
    from bot.cli.commands import render_digest

    d = await build_digest(core, DAY, channel(max_papers=5), offline=True)
    data = json.loads(render_digest(d, "json"))
    assert (data["total"], data["kept"], len(data["papers"])) == (37, 5, 5)
    assert data["themes"][0] == {"label": "large language models", "count": 15}
    assert [t["upvotes"] for t in data["top"]] == [t.upvotes for t in d.parent.headline.top]
