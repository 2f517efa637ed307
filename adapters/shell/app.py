"""`paperbot shell`: the same core and commands as Discord and Slack, in a terminal.

On a TTY it is an interactive prompt; otherwise it reads one command per line from stdin, so
`echo "/papers today" | paperbot shell` works in scripts.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
from typing import TextIO

from adapters.shell.render import render_reply
from bot.commands.dispatch import handle
from bot.commands.parse import split_command
from bot.core import Core
from bot.model import Command, Place

PROMPT = "papers> "
BANNER = "paperbot shell — type /papers help, or quit to leave."


def _command(text: str, user: str) -> Command:
    name, args = split_command(text)
    # The terminal user owns the database, so they administer the shell's one channel.
    return Command(name, args, user, user, True, Place("shell", "terminal"))


async def run_line(
    core: Core, line: str, out: TextIO, user: str = "local", width: int = 88
) -> bool:
    """Run one line; return False when the user asked to quit."""
    text = line.strip()
    if not text or text.startswith("#"):
        return True
    if text.lower() in ("quit", "exit", "/quit", "/exit"):
        return False
    for reply in await handle(core, _command(text, user)):
        out.write(render_reply(reply, width) + "\n\n")
    out.flush()
    return True


async def run_shell(core: Core, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    interactive = stdin.isatty() and out.isatty()
    width = min(100, shutil.get_terminal_size((88, 24)).columns) if interactive else 88
    if interactive:
        # asyncio.run() turns Ctrl-C into a task cancellation that a blocking input() never
        # sees; at the prompt we want the plain KeyboardInterrupt back.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        out.write(BANNER + "\n")
    try:
        while True:
            if interactive:
                try:
                    # Blocking is fine: nothing else runs in the shell, and Ctrl-C then
                    # interrupts input() itself instead of a thread that would outlive us.
                    line = input(PROMPT)
                except (EOFError, KeyboardInterrupt):
                    out.write("\n")
                    break
            else:
                line = stdin.readline()
                if not line:
                    break
            if not await run_line(core, line, out, width=width):
                break
    finally:
        await core.aclose()
    return 0
