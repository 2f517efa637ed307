"""`paperbot run`: the platforms and the scheduler on one event loop, until a signal stops them.

Platform-neutral on purpose: `bot/cli/commands.py` (through `bot/cli/wiring.py`) passes in the
adapters' run functions (`run_slack`, `run_discord`), each of which runs until cancelled and
hands its poster to `on_ready` once connected. The scheduler starts when every platform is
ready, so a post caught up at start has somewhere to go — or after READY_TIMEOUT without the
late ones, which catch up when they connect.

SIGINT/SIGTERM: the scheduler stops firing, sends in flight get a grace period (a second
signal cuts it short; cancelled sends stay pending in the ledger and resume next start),
then the platform clients are closed. No traceback either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable

from bot.config import Config
from bot.core import Core
from bot.daily.posting import Poster
from bot.daily.scheduler import Scheduler

log = logging.getLogger(__name__)

OnReady = Callable[["Poster"], None]
PlatformRunner = Callable[["Core", "Config", OnReady], Awaitable[None]]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class PlatformFailed(Exception):
    """A platform could not start or stopped by itself; one line for the user."""


READY_TIMEOUT = 60.0  # seconds to wait for every platform before starting without the late ones


async def run_bot(
    core: Core,
    platforms: dict[str, PlatformRunner],
    *,
    grace_seconds: float = 10.0,
    ready_timeout: float = READY_TIMEOUT,
) -> None:
    """Run `platforms` (name → runner) and the scheduler until SIGINT/SIGTERM.

    Raises PlatformFailed when a platform fails to start or dies; everything started is
    stopped first either way.
    """
    stop = asyncio.Event()
    hurry = asyncio.Event()
    scheduler = Scheduler(core)
    ready = {name: asyncio.Event() for name in platforms}

    def on_ready(poster: Poster) -> None:
        scheduler.add_poster(poster)
        if poster.platform in ready:
            ready[poster.platform].set()

    tasks = {
        name: asyncio.create_task(runner(core, core.config, on_ready), name=f"paperbot {name}")
        for name, runner in platforms.items()
    }
    installed = _install_signal_handlers(stop, hurry)
    try:
        failed = await _first_of(tasks, stop, [_all_ready(ready, ready_timeout)])
        if failed is None and not stop.is_set():
            scheduler.start()
            log.info("paperbot running: %s (Ctrl-C stops)", ", ".join(platforms))
            failed = await _first_of(tasks, stop, [])
    finally:
        await _stop_scheduler(scheduler, grace_seconds, hurry)
        await _stop_platforms(tasks)
        for sig in installed:
            asyncio.get_running_loop().remove_signal_handler(sig)
        await core.aclose()
    if failed is not None:
        raise failed


async def _all_ready(ready: dict[str, asyncio.Event], timeout: float) -> None:
    """Every platform connected — or, after `timeout`, go on without the late ones (their
    posts catch up when they connect) rather than hold every channel hostage."""
    waiters = [asyncio.ensure_future(e.wait()) for e in ready.values()]
    try:
        _, late = await asyncio.wait(waiters, timeout=timeout)
    finally:
        for w in waiters:  # plain tasks: cancelling them leaves nothing unretrieved
            w.cancel()
    if late:
        names = ", ".join(n for n, e in ready.items() if not e.is_set())
        log.warning("%s not connected after %gs; starting without it for now", names, timeout)


async def _first_of(
    tasks: dict[str, asyncio.Task[None]], stop: asyncio.Event, also: list[Awaitable[bool]]
) -> PlatformFailed | None:
    """Wait until `stop`, until all of `also` are done, or until a platform task ends
    (which it only does on failure); return that failure."""
    stopping = asyncio.ensure_future(stop.wait())
    gathered = asyncio.ensure_future(asyncio.gather(*also)) if also else None
    waiting = {stopping, *tasks.values(), *([gathered] if gathered else [])}
    try:
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for helper in (stopping, gathered):
            if helper is not None:
                helper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await helper
    for name, task in tasks.items():
        if task.done():
            return PlatformFailed(_describe_end(name, task))
    return None


def _describe_end(name: str, task: asyncio.Task[None]) -> str:
    if task.cancelled():
        return f"{name} stopped"
    exc = task.exception()
    if exc is None:
        return f"{name} stopped by itself"
    log.debug("%s failed", name, exc_info=exc)
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{name}: {text}"


async def _stop_scheduler(scheduler: Scheduler, grace: float, hurry: asyncio.Event) -> None:
    stopping = asyncio.ensure_future(scheduler.stop(grace))
    hurried = asyncio.ensure_future(hurry.wait())
    await asyncio.wait({stopping, hurried}, return_when=asyncio.FIRST_COMPLETED)
    if not stopping.done():
        log.info("second signal: cancelling sends in flight (they resume next start)")
        scheduler.cancel_in_flight()
        await stopping
    hurried.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await hurried


async def _stop_platforms(tasks: dict[str, asyncio.Task[None]]) -> None:
    """Cancel each platform runner; each closes its own client on the way out."""
    for task in tasks.values():
        task.cancel()
    for name, task in tasks.items():
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 15)
        if not task.done():
            log.warning("%s did not close within 15 s", name)


def _install_signal_handlers(stop: asyncio.Event, hurry: asyncio.Event) -> list[int]:
    """The first SIGINT/SIGTERM stops gracefully; a second one hurries the stop."""
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        if stop.is_set():
            hurry.set()
            return
        log.info("%s received: stopping (again to stop at once)", sig.name)
        stop.set()

    installed = []
    for sig in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, on_signal, sig)
            installed.append(sig)
    return installed
