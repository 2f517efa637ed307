"""The `paperbot` command line: the parser and `main`. Everything heavy (the core, the
adapters) is imported only after the arguments are parsed, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import textwrap
from collections.abc import Sequence


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="SQLite database file (default: storage.path from the config)",
    )
    p.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $PAPERBOT_CONFIG, else ./config.toml if present)",
    )
    return p


# name → (one-line help, what it does, examples): every `paperbot <name> --help` shows all three.
SUBCOMMANDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "run": (
        "start every platform whose credentials are set",
        "Connect to Discord and/or Slack (whichever tokens are set) and run the scheduler: daily"
        " threads, alerts, fetches. On an empty database it first fetches the latest week."
        " Ctrl-C stops it cleanly.",
        ("DISCORD_TOKEN=... paperbot run", "paperbot run --config config.toml"),
    ),
    "shell": (
        "the bot in your terminal (type /papers help)",
        "The same commands as in Discord and Slack, at a prompt with history and Tab completion;"
        " Ctrl-C cancels, Ctrl-D or quit leaves. On an empty database it first fetches the"
        " latest week. Reads one command per line when stdin is not a terminal.",
        ("paperbot shell", 'echo "/papers today 5" | paperbot shell'),
    ),
    "fetch": (
        "fetch days from Hugging Face (+arXiv)",
        "Fetch one day's (or a range of days') Daily Papers list from Hugging Face, enrich it"
        " from arXiv, and store it. A day fetched again is updated, never duplicated.",
        ("paperbot fetch", "paperbot fetch --from 2025-09-01 --to 2025-09-30"),
    ),
    "import": (
        "import saved daily_papers JSON files",
        "Store saved Hugging Face daily_papers responses (files named YYYY-MM-DD.json, or"
        " directories of them) without any network; every rejected file is named (exit 1).",
        ("paperbot import saved-days/", "paperbot import 2025-10-01.json 2025-10-02.json"),
    ),
    "digest": (
        "print a day's thread as it would be posted",
        "Print a stored day's thread: as text, as neutral JSON, or as the exact Slack or Discord"
        " API calls the bot would make. Sends nothing.",
        ("paperbot digest --date 2025-10-01", "paperbot digest --format slack | less"),
    ),
    "reindex": (
        "rebuild the recommendation index from stored papers",
        "Rebuild the index `/papers recommend` and `/papers similar` rank with, from every stored"
        " paper. Normally only new or changed papers are indexed, when first needed.",
        ("paperbot reindex", "paperbot reindex --db paperbot.db"),
    ),
    "chart": (
        "draw a week's or month's roundup chart as a PNG",
        "Draw the roundup's chart from stored papers: the keywords rising most against the"
        " previous period, and papers per day. Needs matplotlib (imported only here).",
        (
            "paperbot chart --week 2025-W40 --out week.png",
            "paperbot chart --month 2025-09 --out month.png",
        ),
    ),
    "check-config": (
        "validate config, show what would start",
        "Read the config file (or say that the defaults are used), check it, and say what"
        " `paperbot run` would start. Exit 1 when a configured platform cannot start.",
        ("paperbot check-config", "paperbot check-config --config /etc/paperbot.toml"),
    ),
    "doctor": (
        "check the live setup with the real tokens (exit 1 on a failure)",
        "Check the database, Hugging Face, arXiv and each platform with its real token:"
        " scopes, permissions, channels. Changes nothing; one line per check.",
        ("paperbot doctor",),
    ),
    "discord-invite": (
        "print the Discord invite link",
        "Print the link that invites the bot to a server with exactly the permissions it needs.",
        ("paperbot discord-invite --application-id 123456789012345678",),
    ),
}


def _subcommand(sub: argparse._SubParsersAction, name: str, common: argparse.ArgumentParser):
    short, description, examples = SUBCOMMANDS[name]
    return sub.add_parser(
        name,
        parents=[common],
        help=short,
        description=textwrap.fill(description, 80),
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keep the examples' lines
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="paperbot",
        parents=[common],
        description="Research papers for Discord, Slack and your terminal.",
        epilog="Start with: paperbot shell (it fetches the latest week). Docs: README.md",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _subcommand(sub, "run", common)
    _subcommand(sub, "shell", common)
    f = _subcommand(sub, "fetch", common)
    f.add_argument("--date", help="one day, YYYY-MM-DD (default: today)")
    f.add_argument("--from", dest="start", metavar="D", help="first day of a range")
    f.add_argument("--to", dest="end", metavar="D", help="last day of a range (default: today)")
    i = _subcommand(sub, "import", common)
    i.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    d = _subcommand(sub, "digest", common)
    d.add_argument("--date", help="YYYY-MM-DD (default: the latest day stored)")
    d.add_argument("--format", choices=["text", "json", "slack", "discord"], default="text")
    _subcommand(sub, "reindex", common)
    c = _subcommand(sub, "chart", common)
    period = c.add_mutually_exclusive_group(required=True)
    period.add_argument("--week", metavar="YYYY-Www", help="an ISO week, e.g. 2025-W40")
    period.add_argument("--month", metavar="YYYY-MM", help="a calendar month, e.g. 2025-09")
    c.add_argument("--out", required=True, metavar="FILE.png", help="where to write the PNG")
    _subcommand(sub, "check-config", common)
    _subcommand(sub, "doctor", common)
    inv = _subcommand(sub, "discord-invite", common)
    inv.add_argument("--application-id", help="your application id (default: asked from Discord)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    # lazily: the subcommands import the core; `--help` above needs none of it
    from bot.cli import commands

    try:
        handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
        result = handler(args)
        if inspect.iscoroutine(result):
            import asyncio  # lazily: only commands that talk to the network need a loop

            result = asyncio.run(result)
        return int(result or 0)
    except commands.CliError as e:
        print(f"paperbot: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `paperbot digest | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
