"""`/papers status` in words (issue #12, item 9): where the papers came from and when, in the one
date format, with plurals, and no internal id such as the shell's channel "terminal"."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from adapters.shell.app import run_line
from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import fetch_days, import_paths
from bot.model import Paper
from storage import papers as paper_store
from tests.fakes.hf import FakeHF
from tests.support.chat import one
from tests.support.core import DAYS, offline_config


async def test_imported_days_and_no_fetch(bot: MemoryAdapter) -> None:
    lines = (await one(bot, "/papers status")).text.splitlines()
    assert lines[0] == "Papers stored: 112 papers over 3 days (latest: Thu 2 Oct 2025)"
    assert lines[1] == "Last import Thu 2 Oct 2025 · last fetch never"


async def test_a_fetch_is_said_with_its_time_and_day(clock: FakeClock) -> None:
    with FakeHF(data_dir=DAYS) as hf:
        cfg = offline_config(sources={"hf_base_url": hf.url, "arxiv_enrich": False})
        core = Core.open(cfg, ":memory:", clock=clock)
        import_paths(core.db, [DAYS / "2025-09-30.json", DAYS / "2025-10-01.json"])
        await fetch_days(core, ["2025-10-02"])
        text = (await one(MemoryAdapter(core), "/papers status")).text
        await core.aclose()
    assert "Last import Wed 1 Oct 2025 · last fetch Thu 2 Oct 2025 09:00 UTC" in text
    assert "(list of Thu 2 Oct 2025)" in text


async def test_one_paper_one_day_and_an_empty_database(clock: FakeClock) -> None:
    core = Core.open(offline_config(), ":memory:", clock=clock)
    bot = MemoryAdapter(core)
    assert "Papers stored: none yet" in (await one(bot, "/papers status")).text
    paper_store.upsert_day(core.db, "2025-10-02", [Paper(id="2510.00001", title="T")])
    first = (await one(bot, "/papers status")).text.splitlines()[0]
    assert first == "Papers stored: 1 paper over 1 day (latest: Thu 2 Oct 2025)"
    await core.aclose()


async def test_the_shell_channel_is_this_terminal_not_its_id(core: Core) -> None:
    said: list[str] = []
    await run_line(core, "/papers channel enable time 10:00", lambda r: said.append(r.text))
    await run_line(core, "/papers status", lambda r: said.append(r.text))
    assert "Next post: this terminal at Thu 2 Oct 2025 10:00 UTC" in said[-1]
    assert "terminal at" in said[-1] and "shell channel" not in said[-1]
