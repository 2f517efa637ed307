"""Fetching days from the command line: the progress bar, and the first run's fetch.

A new user's first command is `paperbot shell`, on an empty database: rather than a prompt with
nothing behind it, `first_run` fetches the latest week from Hugging Face first (a bar on stderr
when it is a terminal), so the shell opens on today's papers. Offline, the source fails fast
(`bot.sources` never retries "host not found" or "connection refused"): one line says so and how
to import saved days, and the prompt opens at once. Ctrl-C skips the fetch, not the shell.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from datetime import date, timedelta
from typing import TextIO

from bot.commands.spec import outage
from bot.core import Core
from bot.ingest import FetchReport, fetch_days
from bot.sources.errors import SourceError
from bot.text import plural, printable
from storage import papers as paper_store

FIRST_RUN_DAYS = 7


async def fetch_with_progress(
    core: Core, days: list[str], stream: TextIO | None = None
) -> FetchReport:
    """`fetch_days`, with a progress bar on `stream` (stderr) when it is a terminal and there
    is more than one day: piped output and logs get no bar and no escape code."""
    stream = stream or sys.stderr
    if len(days) == 1 or not stream.isatty():
        return await fetch_days(core, days)
    from rich.console import Console  # lazily: rich is slow to import
    from rich.progress import Progress

    with Progress(console=Console(file=stream), transient=True) as progress:
        task = progress.add_task("Fetching days", total=len(days))
        return await fetch_days(core, days, on_day=lambda d: progress.advance(task))


def first_run_days(today: str, n: int = FIRST_RUN_DAYS) -> list[str]:
    """The `n` days ending `today`, newest first: stopped early, the shell still has today."""
    end = date.fromisoformat(today)
    return [(end - timedelta(days=i)).isoformat() for i in range(n)]


async def first_run(core: Core, stream: TextIO | None = None) -> FetchReport | None:
    """On an empty database, fetch the latest week before the prompt; None when nothing was
    fetched (data already there, the source down, or Ctrl-C). Never raises a source error."""
    stream = stream or sys.stderr
    if paper_store.counts(core.db)["papers"]:
        return None
    stream.write(
        "No papers stored yet: fetching the last 7 days from Hugging Face (Ctrl-C skips)\n"
    )
    stream.flush()
    fetching = asyncio.ensure_future(
        fetch_with_progress(core, first_run_days(core.today()), stream)
    )
    loop = asyncio.get_running_loop()
    before = signal.getsignal(signal.SIGINT)  # asyncio.run()'s own, put back afterwards
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGINT, fetching.cancel)
    try:
        report = await fetching
    except asyncio.CancelledError:
        if not fetching.cancelled():
            raise
        stream.write("Skipped. `paperbot fetch` gets today's papers later.\n")
        return None
    except SourceError as e:
        if paper_store.counts(core.db)["papers"]:  # a later day failed: keep what came
            stream.write(printable(f"Stopped early: {outage(e)}; starting with what came.\n"))
            return None
        stream.write(
            printable(f"{outage(e)}: starting without papers. ")
            + "Saved days load with `paperbot import DIR` (YYYY-MM-DD.json files).\n"
        )
        return None
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGINT)
            signal.signal(signal.SIGINT, before)
    stream.write(f"Fetched {plural(report.papers, 'paper')} over {plural(report.days, 'day')}.\n")
    return report
