"""The re-fetch just before a post never stops the post (issue #9, item 3).

The scheduler re-fetches the day from the loopback Hugging Face fake right before posting. A
live answer with hostile entries costs only those entries; a re-fetch that fails outright, in
any way, is logged once and the thread goes out with what is stored.
"""

from __future__ import annotations

import copy
import json
import logging
from datetime import timedelta

import pytest

from adapters.memory import MemoryPoster
from bot.clock import FakeClock
from bot.core import Core
from bot.daily.scheduler import Scheduler
from bot.ingest import import_paths
from tests.fakes.arxiv import FakeArxiv
from tests.fakes.hf import FakeHF
from tests.support.core import DAYS, offline_config
from tests.support.scheduling import DAY, NINE, make_core, parents, save_channel, set_clock

RECORDED = json.loads((DAYS / f"{DAY}.json").read_text())


def _replies(poster: MemoryPoster) -> list:
    return [s.reply.cards[0] for s in poster.sent if s.kind == "reply"]


def _post_at_nine(hf_url: str) -> tuple[MemoryPoster, object]:
    core, clock = make_core(hf_url)
    save_channel(core, timezone="UTC", max_papers=3)
    return MemoryPoster(), (core, clock)


async def _run_post(core, clock, poster: MemoryPoster) -> None:
    sched = Scheduler(core, {"memory": poster})
    set_clock(clock, NINE)
    await sched.run_due(NINE)
    await sched.drain()


@pytest.mark.parametrize("hostile", ["upvotes 10^30", "lone surrogate", "both"])
async def test_hostile_entries_in_the_live_answer_cost_only_those_entries(
    hostile: str, caplog: pytest.LogCaptureFixture
) -> None:
    live = copy.deepcopy(RECORDED)
    if hostile in ("upvotes 10^30", "both"):
        live[0]["paper"]["upvotes"] = 10**30
    if hostile in ("lone surrogate", "both"):
        live[1]["paper"]["title"] = live[1]["title"] = "\ud800"
    live[5]["paper"]["upvotes"] = 5000  # a fresh number only the re-fetch knows
    with FakeHF(days={DAY: live}) as hf:
        poster, (core, clock) = _post_at_nine(hf.url)
        with caplog.at_level(logging.WARNING):
            await _run_post(core, clock, poster)
        assert hf.calls_to("/api/daily_papers")  # the re-fetch did happen
    assert len(parents(poster)) == 1
    cards = _replies(poster)
    assert len(cards) == 3 and cards[0].paper_id == live[5]["paper"]["id"]
    assert cards[0].upvotes == 5000
    assert not [r for r in caplog.records if r.exc_info]  # no traceback anywhere


async def test_a_refetch_that_fails_outright_is_logged_once_and_the_post_goes_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeHF(days={DAY: RECORDED}) as hf:
        poster, (core, clock) = _post_at_nine(hf.url)
        # the database refuses the day's new list, as a full disk would (not a source error)
        for event in ("INSERT", "UPDATE"):
            core.db.execute(
                f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON daily_entries"
                f" WHEN NEW.day = '{DAY}' BEGIN SELECT RAISE(ABORT, 'database or disk is full');"
                " END"
            )
        with caplog.at_level(logging.WARNING):
            await _run_post(core, clock, poster)
    assert len(parents(poster)) == 1 and len(_replies(poster)) == 3  # with what is stored
    about = [r for r in caplog.records if DAY in r.getMessage()]
    assert len(about) == 1 and about[0].levelno == logging.WARNING
    assert "disk is full" in about[0].getMessage() and about[0].exc_info is None


async def test_hugging_face_answering_garbage_at_post_time_still_posts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeHF(days={DAY: RECORDED}) as hf:
        poster, (core, clock) = _post_at_nine(hf.url)
        hf.inject("bad_body", body="[" * 200_000, path_prefix="/api/daily_papers")
        with caplog.at_level(logging.WARNING):
            await _run_post(core, clock, poster)
    assert len(parents(poster)) == 1 and len(_replies(poster)) == 3
    assert not [r for r in caplog.records if r.exc_info]


async def test_arxiv_down_at_post_time_posts_the_fresh_hf_list_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    live = copy.deepcopy(RECORDED)
    live[5]["paper"]["upvotes"] = 5000
    with FakeHF(days={DAY: live}) as hf, FakeArxiv() as ax:
        clock = FakeClock(NINE - timedelta(minutes=1))
        cfg = offline_config(sources={"hf_base_url": hf.url, "arxiv_base_url": ax.url})
        core = Core.open(cfg, ":memory:", clock=clock)
        import_paths(core.db, [DAYS])
        save_channel(core, timezone="UTC", max_papers=3)
        ax.inject("503", times=10)
        poster = MemoryPoster()
        with caplog.at_level(logging.WARNING):
            await _run_post(core, clock, poster)
        assert ax.calls  # enrichment was tried
    cards = _replies(poster)
    assert len(cards) == 3 and cards[0].upvotes == 5000  # the re-fetched list, unenriched
    about = [r for r in caplog.records if "arXiv" in r.getMessage()]
    assert len(about) == 1 and "unenriched" in about[0].getMessage()
