"""`paperbot` on a real pseudo-terminal: what a person at a terminal types and sees.

The child gets the pty as its controlling terminal, so Ctrl-C typed into it goes through the
line discipline and arrives as SIGINT, as in a real terminal. Reads are select-driven with a
deadline (generous: the machine is shared), never sleeps.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.support.core import ROOT

CTRL_C, CTRL_D, CTRL_P, TAB = b"\x03", b"\x04", b"\x10", b"\t"
PROMPT = b"papers> "
# The escape sequences a styled reply may hold: SGR styling and the shell's own OSC 8 links;
# plus what GNU readline itself writes (bracketed paste on/off, meta key, cursor moves).
_SGR = re.compile(rb"\x1b\[[0-9;]*m")
OSC8 = re.compile(rb"\x1b\]8;[^;\x1b\x07]*;([!-~]*)\x1b\\")
_READLINE = re.compile(rb"\x1b\[\?(?:2004|1034)[hl]|\x1b\[[0-9]*[ABCDKPG@]|\x1b[=>]|\r")


def read_until(fd: int, needle: bytes, timeout: float = 60.0) -> bytes:
    """Read from the terminal until `needle` shows up (select-driven, with a deadline)."""
    buf = b""
    deadline = time.monotonic() + timeout
    while needle not in buf:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {needle!r}; got {buf[-800:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


def _controlling_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def hyperlinks(output: bytes) -> list[bytes]:
    """The targets of the OSC 8 links in `output` (without the empty ones that close a link)."""
    return [url for url in OSC8.findall(output) if url]


def foreign_escapes(output: bytes) -> bytes:
    """What is left of `output` after removing the escape sequences the shell and readline
    may write: any ESC, BEL or C1 byte left came from somewhere else (a paper's text)."""
    rest = OSC8.sub(b"", _SGR.sub(b"", output))
    return _READLINE.sub(b"", rest)


class Terminal:
    """`python -m bot <args>` with a pty for stdin, stdout and stderr."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        self.main, child = pty.openpty()
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        full_env.update({"COLUMNS": "100", "LINES": "40", **(env or {})})
        for k in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "PAPERBOT_CONFIG"):
            full_env.pop(k, None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env=full_env,
            cwd=cwd,
            close_fds=True,
            preexec_fn=_controlling_terminal,
        )
        os.close(child)
        self.seen = b""

    def send(self, data: bytes) -> None:
        os.write(self.main, data)

    def expect(self, needle: bytes, timeout: float = 60.0) -> bytes:
        out = read_until(self.main, needle, timeout)
        self.seen += out
        return out

    def wait(self, timeout: float = 60.0) -> int:
        """The exit code, once the child has exited; what it printed last is in `seen`."""
        code = self.proc.wait(timeout=timeout)
        while select.select([self.main], [], [], 0)[0]:
            try:
                chunk = os.read(self.main, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        os.close(self.main)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
