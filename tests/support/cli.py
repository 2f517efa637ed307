"""Running `paperbot` as a real subprocess, with no platform token leaking in from the shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.core import ROOT


def paperbot(*args: str, stdin: str = "", env: dict | None = None, cwd: Path | None = None):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    for k in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "PAPERBOT_CONFIG"):
        full_env.pop(k, None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=120,
    )
