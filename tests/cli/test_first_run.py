"""A first run that shows the product (issue #12, item 14): on an empty database `paperbot shell`
(and `paperbot run`) fetch the latest week before the prompt; offline, one line says so and how
to import saved days, and the prompt opens at once. Against the HF fake (tests/fakes/hf.py),
reached through `sources.hf_base_url`, and against a closed port (nothing listens: unreachable).
"""

from __future__ import annotations

import io
import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.cli.fetching import first_run, first_run_days
from bot.clock import FakeClock
from bot.core import Core
from bot.ingest import import_paths
from storage import papers as paper_store
from tests.fakes.hf import FakeHF
from tests.fakes.slack.socket_mode import FakeSocketModeServer
from tests.support.cli import paperbot
from tests.support.core import DAYS, NOWHERE, offline_config
from tests.support.run import (
    Fakes,
    discord_fake,
    everything_posted,
    recorded_day,
    slack_fake,
    start_run,
    stop_run,
    wait_until,
    write_setup,
)
from tests.support.terminal import CTRL_C, CTRL_D, PROMPT, Terminal


def _core(clock: FakeClock, hf_url: str) -> Core:
    cfg = offline_config(sources={"hf_base_url": hf_url, "arxiv_enrich": False})
    return Core.open(cfg, ":memory:", clock=clock)


def test_the_latest_week_newest_first() -> None:
    week = ["2025-10-02", "2025-10-01", *(f"2025-09-{d}" for d in range(30, 25, -1))]
    assert first_run_days("2025-10-02") == week


async def test_an_empty_database_gets_the_latest_week(clock: FakeClock) -> None:
    with FakeHF(data_dir=DAYS) as hf:
        core = _core(clock, hf.url)
        err = io.StringIO()
        report = await first_run(core, err)
        asked = sorted(c.query["date"] for c in hf.calls_to("/api/daily_papers"))
        days = paper_store.counts(core.db)["days"]
        await core.aclose()
    assert report is not None and report.papers == 112  # 50 + 37 + 25 recorded entries
    assert asked == sorted(first_run_days("2025-10-02")) and days == 3
    text = err.getvalue()
    assert "fetching the last 7 days" in text and "Fetched 112 papers over 7 days." in text
    assert "\x1b" not in text  # not a terminal: no progress bar, no escape code


async def test_a_database_with_papers_is_left_alone(clock: FakeClock) -> None:
    with FakeHF(data_dir=DAYS) as hf:
        core = _core(clock, hf.url)
        import_paths(core.db, [DAYS / "2025-09-30.json"])
        err = io.StringIO()
        assert await first_run(core, err) is None
        assert not hf.calls_to("/api/") and err.getvalue() == ""
        await core.aclose()


async def test_offline_one_line_says_so_and_how_to_import(clock: FakeClock) -> None:
    core = _core(clock, NOWHERE)
    err = io.StringIO()
    assert await first_run(core, err) is None
    await core.aclose()
    lines = err.getvalue().splitlines()
    assert len(lines) == 2 and "fetching" in lines[0]
    assert "Hugging Face is unreachable" in lines[1] and "paperbot import" in lines[1]


class _FailsOnOctober1(FakeHF):
    """Hugging Face answering 500 for one day: the fetch stops there."""

    async def _daily_papers(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("date") == "2025-10-01":
            return web.json_response({"error": "server error"}, status=500)
        return await super()._daily_papers(request)


async def test_a_source_failing_midway_keeps_the_days_fetched(clock: FakeClock) -> None:
    with _FailsOnOctober1(data_dir=DAYS) as hf:
        core = _core(clock, hf.url)
        err = io.StringIO()
        assert await first_run(core, err) is None
        days = paper_store.counts(core.db)["days"]
        await core.aclose()
    assert days == 1  # 2025-10-02, fetched first
    assert "Stopped early" in err.getvalue() and "starting with what came" in err.getvalue()


def _fake_for_this_week() -> FakeHF:
    """The recorded 2025-10-01 list served for every day around today: the subprocess runs on
    the real clock, so the days it asks for are whatever this week is."""
    entries = json.loads((DAYS / "2025-10-01.json").read_text(encoding="utf-8"))
    today = datetime.now(UTC).date()
    days = {(today + timedelta(days=n)).isoformat(): entries for n in range(-8, 2)}
    return FakeHF(days=days)


def _config(tmp_path: Path, hf_url: str) -> str:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[sources]\nhf_base_url = "{hf_url}"\narxiv_enrich = false\nmax_retries = 0\n')
    return str(cfg)


def test_paperbot_shell_on_a_terminal_opens_on_the_fetched_papers(tmp_path: Path) -> None:
    with _fake_for_this_week() as hf:
        args = ("--db", str(tmp_path / "new.db"), "--config", _config(tmp_path, hf.url), "shell")
        with Terminal(*args, env={"XDG_STATE_HOME": str(tmp_path)}) as term:
            assert b"fetching the last 7 days" in term.expect(PROMPT)
            assert b"Fetched 259 papers over 7 days." in term.seen  # 37 a day, upserted
            term.send(b"/papers status\n")
            assert b"Papers stored: 37" in term.expect(PROMPT)
            term.send(CTRL_D)
            assert term.wait() == 0


def test_paperbot_shell_offline_opens_the_prompt_at_once(tmp_path: Path) -> None:
    args = ("--db", str(tmp_path / "new.db"), "--config", _config(tmp_path, NOWHERE), "shell")
    with Terminal(*args, env={"XDG_STATE_HOME": str(tmp_path)}) as term:
        out = term.expect(PROMPT, timeout=60)
        assert b"Hugging Face is unreachable" in out and b"paperbot import" in out
        term.send(CTRL_D)
        assert term.wait() == 0
        assert b"Traceback" not in term.seen


def test_piped_shell_fetches_too_and_stays_plain(tmp_path: Path) -> None:
    with _fake_for_this_week() as hf:
        db, cfg = str(tmp_path / "new.db"), _config(tmp_path, hf.url)
        out = paperbot("--db", db, "--config", cfg, "shell", stdin="/papers status\n")
    assert out.returncode == 0 and "Papers stored: 37" in out.stdout
    assert "Fetched 259 papers" in out.stderr and "\x1b" not in out.stderr + out.stdout


def test_fetching_a_range_on_a_terminal_draws_a_progress_bar(tmp_path: Path) -> None:
    with FakeHF(data_dir=DAYS) as hf:
        db = str(tmp_path / "f.db")
        args = ("--db", db, "--config", _config(tmp_path, hf.url), "fetch")
        with Terminal(*args, "--from", "2025-09-30", "--to", "2025-10-02") as term:
            term.expect(b"fetched 3 days, 112 papers")
            assert term.wait() == 0
    assert b"Fetching days" in term.seen  # rich's bar, on stderr (the pty)


def test_ctrl_c_skips_the_first_fetch_and_opens_the_prompt(tmp_path: Path) -> None:
    srv = socket.socket()  # accepts and never answers: a Hugging Face that hangs
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(60)
    cfg = tmp_path / "c.toml"
    url = f"http://127.0.0.1:{srv.getsockname()[1]}"
    cfg.write_text(f'[sources]\nhf_base_url = "{url}"\nmax_retries = 0\ntimeout_seconds = 120\n')
    args = ("--db", str(tmp_path / "new.db"), "--config", str(cfg), "shell")
    try:
        with Terminal(*args, env={"XDG_STATE_HOME": str(tmp_path)}) as term:
            conn, _ = srv.accept()  # the first fetch is waiting on it
            term.send(CTRL_C)
            assert b"Skipped." in term.expect(PROMPT)
            term.send(b"/papers status\n")
            assert b"Papers stored: none yet" in term.expect(PROMPT)
            term.send(CTRL_D)
            assert term.wait() == 0
            assert b"Traceback" not in term.seen
            conn.close()
    finally:
        srv.close()


def test_paperbot_run_on_an_empty_database_fetches_the_week_then_posts(tmp_path: Path) -> None:
    today = datetime.now(UTC).date()  # the subprocess runs on the real clock
    days = {d.isoformat(): recorded_day() for d in (today, today - timedelta(days=1))}
    with (
        FakeHF(days=days) as hf,
        FakeSocketModeServer() as socket_mode,
        slack_fake(socket_mode) as slack,
        discord_fake() as discord,
    ):
        fakes = Fakes(hf, slack, socket_mode, discord)
        cfg = write_setup(tmp_path, fakes, discord.add_user("alice"))  # channels, no papers
        proc = start_run(cfg, tmp_path)
        try:
            wait_until(lambda: everything_posted(fakes), fakes)
        finally:
            err = stop_run(proc, tmp_path)
        asked = {c.query.get("date") for c in hf.calls_to("/api/daily_papers")}
    assert "fetching the last 7 days" in err and "Fetched " in err
    assert set(first_run_days(today.isoformat())) <= asked
