"""`paperbot shell` on a real pseudo-terminal: a prompt, answers, and a clean Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.support.cli import paperbot
from tests.support.core import DAYS, ROOT


def read_until(fd: int, needle: bytes, timeout: float = 30.0) -> bytes:
    """Read from the terminal until `needle` shows up (select-driven, with a deadline)."""
    buf = b""
    deadline = time.monotonic() + timeout
    while needle not in buf:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {needle!r}; got {buf[-500:]!r}"
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


def test_interactive_prompt_and_ctrl_c(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    assert paperbot("--db", db, "import", str(DAYS)).returncode == 0
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb", "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", db, "shell"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        cwd=ROOT,
        close_fds=True,
        preexec_fn=_controlling_terminal,  # so Ctrl-C on it sends SIGINT, as in a real terminal
    )
    os.close(child)
    try:
        assert b"paperbot shell" in read_until(main, b"papers> ")
        os.write(main, b"/papers today 1\n")
        out = read_until(main, b"papers> ")
        assert b"Daily Papers" in out and b"https://arxiv.org/abs/" in out
        os.write(main, b"\x03")  # Ctrl-C through the terminal's line discipline
        rest = read_until(main, b"\n", timeout=30)
        assert proc.wait(timeout=60) == 0
        assert b"Traceback" not in out + rest
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
