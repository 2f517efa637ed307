"""The crash harness in its slow mode: many SIGKILLs per probe class, tried / held counts.

Usage: python bench/crash_harness.py [--trials N] [--seed S] [--json PATH]

Each trial forks a real process from a warm zygote, SIGKILLs it just before a chosen SQL
statement (drawn at random, seed S, from the statements the writer runs), checks the file it
left (integrity_check, FTS5 integrity-check, FTS rows = papers, the class's all-or-nothing
fact) and restarts the writer (tests/support/crash_trials.py has the checks):

- migrating: `open_db` on a new file, killed at *every* statement it runs (reads included);
- planning:  a channel's daily thread (30 papers) through the real Slack poster to the fake,
             killed inside the ledger plan; restarted, every planned paper posted once;
- sending:   the same, killed anywhere after the plan committed;
- importing: `import_paths` of the three recorded days, killed anywhere in the import;
             imported again, the same days and papers as a clean import.

N (default 25) kill points per class besides migrating. The CI suite runs 3 per class
(tests/storage/test_crash.py). Exits 1 when any trial did not hold. Figures:
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.fakes.slack.web_api import FakeSlackWebApi  # noqa: E402
from tests.support.crash import Zygote  # noqa: E402
from tests.support.crash_trials import Delivering, Importing, Migrating, Trial  # noqa: E402

PLAN_PAPERS = 30  # a 32-row plan: parent, thread, 30 papers (CI plans 8)


def run(trials: int, seed: int) -> dict[str, list[Trial]]:
    rng = random.Random(seed)
    out: dict[str, list[Trial]] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        with Zygote(tmp / "zygote.log") as z, FakeSlackWebApi(min_interval=0.0) as slack:
            m = Migrating(z, tmp)
            out["migrating"] = [m.trial(k) for k in m.points(rng, None)]
            dl = Delivering(z, tmp, slack, max_papers=PLAN_PAPERS)
            for probe in ("planning", "sending"):
                out[probe] = [dl.trial(probe, k) for k in dl.points(probe, rng, trials)]
            im = Importing(z, tmp)
            out["importing"] = [im.trial(k) for k in im.points(rng, trials)]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    started = time.monotonic()
    results = run(args.trials, args.seed)
    print(f"seed {args.seed}, {time.monotonic() - started:.0f} s")
    print("| probe class | tried | killed | held |")
    print("|---|---:|---:|---:|")
    failed = []
    for probe, trials in results.items():
        killed = sum(t.killed for t in trials)
        held = sum(t.held for t in trials)
        print(f"| {probe} | {len(trials)} | {killed} | {held} |")
        failed += [t for t in trials if not t.held]
    for t in failed:
        print(f"NOT HELD {t.probe} at statement {t.kill_at}: {t.problems}", file=sys.stderr)
    if args.json:
        summary = {
            p: {
                "tried": len(ts),
                "held": sum(t.held for t in ts),
                "kill_at": [t.kill_at for t in ts],
            }
            for p, ts in results.items()
        }
        args.json.write_text(json.dumps({"seed": args.seed, **summary}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
