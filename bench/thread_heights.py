"""How tall each paper reply of the daily thread is, as the app mocks draw it.

Usage: python bench/thread_heights.py OUTDIR [--chrome PATH] [--floor MOCK]

OUTDIR is what `../shared/tools/screenshot-thread DAY OUTDIR` wrote (slack.html, discord.html:
`paperbot digest --format slack|discord` drawn as Slack's thread pane, 520 px wide, and
Discord's thread pane, 560 px). Headless Chromium loads each mock with a small script added
that measures every reply in the thread pane (`getBoundingClientRect`, padding included) and
prints the DOM (`--dump-dom`), from which the heights are read — element heights, not pixels
guessed from the PNG. The first reply of each pane also carries the bot's name and avatar
line, as in the apps; the rest are continuation messages. Goal (#11): ≤ 160 px a reply in
Slack, ≤ 220 px in Discord.

`--floor MOCK` (the mock's renderer, `../shared/tools/thread_mock.py`) also measures the
smallest reply the mock can draw with a card's fixed parts: OUTDIR's first paper reply cut
down to a one-letter title and no TL;DR beside its thumbnail (Slack: the 88 px accessory;
Discord: the 80 px thumbnail), a one-letter context line / footer and one button — what no
change to the card's text can go below.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

GOALS = {"slack": 160, "discord": 220}
# The replies in each mock's thread pane: every message after the parent.
SELECTORS = {"slack": ".thread .s-msg", "discord": ".thread .d-msg"}
MEASURE = """<script>
window.addEventListener("load", () => {
  const els = [...document.querySelectorAll(%s)].slice(1);
  const out = document.createElement("pre");
  out.id = "paperbot-heights";
  out.textContent = JSON.stringify(els.map(e => Math.round(e.getBoundingClientRect().height)));
  document.body.appendChild(out);
});
</script>"""


def measure(html: Path, selector: str, chrome: str) -> list[int]:
    """The height in CSS px of each reply in the mock's thread pane."""
    page = html.read_text(encoding="utf-8").replace(
        "</body>", MEASURE % json.dumps(selector) + "</body>", 1
    )
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / html.name
        probe.write_text(page, encoding="utf-8")
        dom = subprocess.run(
            [chrome, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,2400",
             "--virtual-time-budget=2000", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
    found = re.search(r'<pre id="paperbot-heights">([^<]*)</pre>', dom)
    if not found:
        raise SystemExit(f"{html}: the measuring script did not run")
    return json.loads(found.group(1))


def _bare_slack(call: dict) -> dict:
    call = copy.deepcopy(call)
    for block in call["body"]["blocks"]:
        if block["type"] == "section":
            block["text"]["text"] = "*x*"
        elif block["type"] == "context":
            block["elements"] = [{"type": "mrkdwn", "text": "x"}]
        elif block["type"] == "actions":
            block["elements"] = block["elements"][:1]
    return call


def _bare_discord(call: dict) -> dict:
    call = copy.deepcopy(call)
    embed = call["body"]["embeds"][0]
    embed.update(title="x", description="x", footer={"text": "x"})
    call["body"]["embeds"] = [embed]
    call["body"]["components"] = [{**call["body"]["components"][0]}]
    call["body"]["components"][0]["components"] = call["body"]["components"][0]["components"][:1]
    return call


def floor(outdir: Path, mock: Path, chrome: str) -> dict[str, list[int]]:
    """The heights of three bare replies (first, then continuations) in each mock."""
    slack = json.loads((outdir / "slack.json").read_text(encoding="utf-8"))
    discord = json.loads((outdir / "discord.json").read_text(encoding="utf-8"))
    posts = [c for c in discord if c["api"].startswith("POST /channels/{thread_id}")]
    rest = [c for c in discord if c not in posts]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "slack.json").write_text(json.dumps([slack[0], *[_bare_slack(slack[1])] * 3]))
        (out / "discord.json").write_text(json.dumps([*rest, *[_bare_discord(posts[0])] * 3]))
        files = [str(out / "slack.json"), str(out / "discord.json"), tmp, "floor"]
        subprocess.run([sys.executable, str(mock), *files], check=True, capture_output=True)
        return {app: measure(out / f"{app}.html", sel, chrome) for app, sel in SELECTORS.items()}


def report(app: str, heights: list[int]) -> str:
    goal = GOALS[app]
    over = sum(h > goal for h in heights)
    return (
        f"{app}: {len(heights)} replies, px min {min(heights)} · median "
        f"{statistics.median(heights):.0f} · max {max(heights)} (goal ≤ {goal}: {over} over)\n"
        f"  each: {' '.join(map(str, heights))}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--chrome", default=shutil.which("chromium") or shutil.which("google-chrome"))
    ap.add_argument("--floor", type=Path, metavar="MOCK", help="thread_mock.py: also the floor")
    args = ap.parse_args(argv)
    if not args.chrome:
        print("needs headless Chromium (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 2
    for app, selector in SELECTORS.items():
        print(report(app, measure(args.outdir / f"{app}.html", selector, args.chrome)))
    if args.floor:
        for app, (first, later, _) in floor(args.outdir, args.floor, args.chrome).items():
            print(
                f"{app} floor (fixed parts only): first reply {first} px, later replies {later} px"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
