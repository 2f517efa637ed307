"""SIGKILL of a real process during the live thread's appends (tests/support/crash_live.py):
after a restart each appended paper is in the thread exactly once, the morning's too."""

from __future__ import annotations

import random
from pathlib import Path

from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.crash import Zygote
from tests.support.crash_live import LiveAppending

TRIALS = 2


def test_live_appends_killed_anywhere_then_each_paper_is_in_the_thread_once(
    zygote: Zygote, tmp_path: Path, slack: FakeSlackWebApi
) -> None:
    probe = LiveAppending(zygote, tmp_path, slack)
    rng = random.Random(14)
    points = [probe.first_append, probe.first_append + 2, *probe.points(rng, TRIALS)]
    trials = [probe.trial(k) for k in points]
    for t in trials:
        assert t.killed, f"statement {t.kill_at} was never reached"
        assert t.held, f"killed at statement {t.kill_at}: {t.problems}"
