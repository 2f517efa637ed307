"""`paperbot shell`: the same core and commands as Discord and Slack, in a terminal.

On a TTY it is an interactive prompt that behaves like one: line editing, history kept across
sessions, Tab completion (`complete.py`), replies styled with `rich` (`styled.py`); Ctrl-C
drops the line being typed or stops the command running and returns to the prompt, Ctrl-D or
`quit` leaves. Otherwise it reads one command per line from stdin and prints plain text
(`render.py`), so `echo "/papers today" | paperbot shell` works in scripts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from adapters.shell.render import render_reply
from bot.commands.dispatch import handle
from bot.commands.parse import split_command
from bot.core import Core
from bot.model import Command, Place, Reply

PROMPT = "papers> "
BANNER = "paperbot shell — type /papers help (Tab completes), Ctrl-D or quit to leave."
QUIT_WORDS = ("quit", "exit", "/quit", "/exit")
HISTORY_LINES = 1000
USER = "local"  # the shell's one user: the person at the terminal

Writer = Callable[[Reply], None]


def _command(text: str, user: str) -> Command:
    name, args = split_command(text)
    # The terminal user owns the database, so they administer the shell's one channel.
    return Command(name, args, user, user, True, Place("shell", "terminal"))


def plain_writer(out: TextIO, width: int = 88) -> Writer:
    def write(reply: Reply) -> None:
        out.write(render_reply(reply, width) + "\n\n")

    return write


async def run_line(core: Core, line: str, write: Writer, user: str = USER) -> bool:
    """Run one line; return False when the user asked to quit."""
    text = line.strip()
    if not text or text.startswith("#"):
        return True
    if text.lower() in QUIT_WORDS:
        return False
    for reply in await handle(core, _command(text, user)):
        write(reply)
    return True


def history_path() -> Path:
    """Where the prompt's history lives between sessions (XDG state directory)."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(state) / "paperbot" / "shell_history"


async def run_shell(core: Core, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    try:
        if stdin.isatty() and out.isatty():
            await _interactive(core, out)
        else:
            await _piped(core, stdin, out)
    finally:
        await core.aclose()
    return 0


async def _piped(core: Core, stdin: TextIO, out: TextIO) -> None:
    write = plain_writer(out)
    while line := stdin.readline():
        if not await run_line(core, line, write):
            break
        out.flush()


async def _interactive(core: Core, out: TextIO) -> None:
    from adapters.shell import complete, styled  # lazily: rich and readline, for a TTY only

    width = min(100, shutil.get_terminal_size((88, 24)).columns)
    console = styled.console(out, width)

    def write(reply: Reply) -> None:
        styled.print_reply(console, reply)

    history = _start_readline(core, complete.install)
    out.write(BANNER + "\n")
    try:
        while True:
            try:
                line = _read_line(out)
                if line is None or not await _run_cancellable(core, line, write, out):
                    break
            except KeyboardInterrupt:  # Ctrl-C between the prompt and the command's start
                out.write("Cancelled.\n\n")
    finally:
        _save_history(history)


def _read_line(out: TextIO) -> str | None:
    """The next line typed; "" after Ctrl-C (the line is dropped), None after Ctrl-D."""
    # asyncio.run() turns Ctrl-C into a task cancellation that a blocking input() never sees;
    # at the prompt we want the plain KeyboardInterrupt back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        # Blocking is fine: nothing else runs in the shell, and Ctrl-C then interrupts
        # input() itself instead of a thread that would outlive us.
        return input(PROMPT)
    except KeyboardInterrupt:
        out.write("^C\n")
        return ""
    except EOFError:
        out.write("\n")
        return None


async def _run_cancellable(core: Core, line: str, write: Writer, out: TextIO) -> bool:
    """Run one line as a task that Ctrl-C cancels (then back to the prompt)."""
    loop = asyncio.get_running_loop()
    running: list[asyncio.Future[bool]] = []
    # The handler first, then the task: a Ctrl-C can no longer land between the two.
    loop.add_signal_handler(signal.SIGINT, lambda: [t.cancel() for t in running])
    try:
        task = asyncio.ensure_future(run_line(core, line, write))
        running.append(task)
        try:
            return await task
        except asyncio.CancelledError:
            if not task.cancelled():  # the shell itself is being stopped, not this command
                raise
            out.write("Cancelled.\n\n")
            return True
    finally:
        loop.remove_signal_handler(signal.SIGINT)  # restores Python's default handler
        out.flush()


def _start_readline(core: Core, install_completion: Callable[[Core, str], None]) -> Path | None:
    """Line editing, Tab completion and the saved history; None when readline is missing."""
    try:
        import readline
    except ImportError:
        return None
    install_completion(core, USER)
    path = history_path()
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LINES)
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    import readline

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
