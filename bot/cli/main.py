"""The `paperbot` command line: the parser and `main`. Everything heavy (the core, the
adapters) is imported only after the arguments are parsed, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
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


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="paperbot",
        parents=[common],
        description="Research papers for Discord, Slack and your terminal.",
        epilog="Start with: paperbot import DIR, then paperbot shell. Docs: README.md",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", parents=[common], help="start every platform whose credentials are set")
    sub.add_parser("shell", parents=[common], help="the bot in your terminal (type /papers help)")
    f = sub.add_parser("fetch", parents=[common], help="fetch days from Hugging Face (+arXiv)")
    f.add_argument("--date", help="one day, YYYY-MM-DD (default: today)")
    f.add_argument("--from", dest="start", metavar="D", help="first day of a range")
    f.add_argument("--to", dest="end", metavar="D", help="last day of a range (default: today)")
    i = sub.add_parser("import", parents=[common], help="import saved daily_papers JSON files")
    i.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    d = sub.add_parser(
        "digest", parents=[common], help="print a day's thread as it would be posted"
    )
    d.add_argument("--date", help="YYYY-MM-DD (default: the latest day stored)")
    d.add_argument("--format", choices=["text", "json", "slack", "discord"], default="text")
    sub.add_parser(
        "reindex", parents=[common], help="rebuild the recommendation index from stored papers"
    )
    sub.add_parser("check-config", parents=[common], help="validate config, show what would start")
    sub.add_parser(
        "doctor",
        parents=[common],
        help="check the live setup with the real tokens (exit 1 on a failure)",
    )
    inv = sub.add_parser("discord-invite", parents=[common], help="print the Discord invite link")
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
