"""What each `paperbot` subcommand does (`cmd_<name>`), and `CliError`, the one-line failure.

Imported only after argument parsing. Adapters are reached only through `bot.cli.wiring`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from bot.cli import wiring
from bot.config import Config, ConfigError, load_config, redact_tokens
from bot.core import Core
from bot.model import Digest
from bot.text import escape_unprintable, parse_day
from storage import papers as paper_store

log = logging.getLogger("paperbot")


class CliError(Exception):
    """A one-line error for stderr; the exit code is 1 unless given."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _setup_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _config(args: argparse.Namespace) -> Config:
    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as e:
        raise CliError(str(e), 2) from None


def _core(args: argparse.Namespace) -> Core:
    _setup_logging()
    cfg = _config(args)
    path = getattr(args, "db", None) or cfg.storage.path
    try:
        return Core.open(cfg, path)
    except Exception as e:  # sqlite errors, unwritable directory, not a database…
        raise CliError(f"cannot open database {path}: {e}") from None


def _day(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError as e:
        raise CliError(str(e)) from None


# --- shell ------------------------------------------------------------------------------
async def cmd_shell(args: argparse.Namespace) -> int:
    core = _core(args)
    return await wiring.shell_app().run_shell(core)


# --- import -----------------------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    from bot.ingest import import_paths  # lazily, like every subcommand's own machinery

    core = _core(args)
    report = import_paths(core.db, args.paths)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for path, reason in report.rejected:
        print(f"rejected {path}: {reason}", file=sys.stderr)
    print(
        f"imported {report.files} file(s), {report.papers} daily entries; "
        f"{len(report.rejected)} rejected; database now holds "
        f"{paper_store.counts(core.db)['papers']} papers"
    )
    return 1 if report.rejected else 0


# --- reindex ----------------------------------------------------------------------------
def cmd_reindex(args: argparse.Namespace) -> int:
    """Count every stored paper again for recommendations (normally only new ones are)."""
    import time

    from bot.recommend import index  # lazily: scikit-learn is only for recommendations

    core = _core(args)
    started = time.perf_counter()
    n = index.rebuild(core.db)
    print(f"reindexed {n} papers for recommendations in {time.perf_counter() - started:.1f} s")
    return 0


# --- fetch ------------------------------------------------------------------------------
async def cmd_fetch(args: argparse.Namespace) -> int:
    from bot.ingest import day_range, fetch_days  # lazily: imports the HTTP clients
    from bot.sources.errors import SourceError

    core = _core(args)
    if args.date and (args.start or args.end):
        raise CliError("use either --date or --from/--to, not both")
    today = core.today()
    try:
        if args.start:
            days = day_range(_day(args.start), _day(args.end) or today)  # type: ignore[arg-type]
        elif args.end:
            raise CliError("--to needs --from")
        else:
            days = [_day(args.date) or today]
    except ValueError as e:
        raise CliError(str(e)) from None
    try:
        report = await _fetch_with_progress(core, days, fetch_days)
    except SourceError as e:
        raise CliError(
            f"{e} — nothing lost: stored papers are unchanged and the shell still works"
        ) from None
    finally:
        await core.aclose()
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(
        f"fetched {report.days} day(s), {report.papers} papers"
        f" ({report.enriched} enriched from arXiv)"
    )
    return 0


async def _fetch_with_progress(core: Core, days: list[str], fetch_days: Any) -> Any:
    if len(days) == 1:
        return await fetch_days(core, days)
    from rich.progress import Progress  # lazily: rich is slow to import, one day needs no bar

    with Progress(transient=False) as progress:
        task = progress.add_task("Fetching days", total=len(days))
        return await fetch_days(core, days, on_day=lambda d: progress.advance(task))


# --- digest -----------------------------------------------------------------------------
async def cmd_digest(args: argparse.Namespace) -> int:
    from bot.daily.thread import build_digest  # lazily: pulls in the summary chain

    core = _core(args)
    try:
        day = _day(args.date) or core.latest_day()
        if day is None:
            raise CliError("no papers stored; run paperbot import or paperbot fetch first")
        digest = await build_digest(core, day)
    finally:
        await core.aclose()
    if digest is None:
        raise CliError(f"no papers stored for {day}")
    print(render_digest(digest, args.format))
    return 0


def render_digest(digest: Digest, fmt: str) -> str:
    """The digest as `paperbot digest` prints it: nothing in it a terminal would obey."""
    if fmt == "text":
        render_reply = wiring.shell_render_reply()
        return "\n\n".join(render_reply(r) for r in (digest.parent, *digest.items))
    data = neutral_digest(digest) if fmt == "json" else wiring.digest_api_calls(fmt)(digest)
    return escape_unprintable(json.dumps(data, indent=2, ensure_ascii=False))


def neutral_digest(digest: Digest) -> dict[str, Any]:
    papers = []
    for item in digest.items:
        card = item.cards[0]
        papers.append(
            {
                "rank": card.rank,
                "id": card.paper_id,
                "title": card.title,
                "authors": list(card.authors),
                "upvotes": card.upvotes,
                "keywords": list(card.keywords),
                "links": {link.label: link.url for link in card.links},
                "tldr": card.tldr,
                "summary_source": card.summary_source,
            }
        )
    return {
        "day": digest.day,
        "title": digest.title,
        "overview": digest.overview,
        "url": digest.hf_url,
        "papers": papers,
    }


# --- check-config -----------------------------------------------------------------------
def cmd_check_config(args: argparse.Namespace) -> int:
    cfg = _config(args)
    db = getattr(args, "db", None) or cfg.storage.path
    lines = [
        f"config OK ({getattr(args, 'config', None) or 'defaults / ./config.toml'})",
        f"database: {db}",
        f"sources: Hugging Face {cfg.sources.hf_base_url}, arXiv {cfg.sources.arxiv_base_url}",
        f"fetch times: {', '.join(cfg.sources.fetch_times)} {cfg.sources.timezone}",
        f"summaries: {' → '.join(cfg.summaries.order)}",
    ]
    if cfg.llm.enabled:
        key = "set" if cfg.llm.api_key() else f"not set (${cfg.llm.api_key_env})"
        lines.append(
            f"LLM: {cfg.llm.model} at {cfg.llm.base_url}, api key {key}, "
            f"{cfg.llm.max_calls_per_day} calls/day"
        )
    else:
        lines.append("LLM: off (set llm.base_url and llm.model to enable)")
    lines += [f"would start: {p}" for p in platforms_to_start(cfg)] or [
        "would start: nothing — no platform credentials set ("
        + missing_credentials(cfg)
        + "); try paperbot shell"
    ]
    print(redact_tokens("\n".join(lines)))  # a token pasted into any key is never shown
    return 0


def platforms_to_start(cfg: Config) -> list[str]:
    out = []
    if cfg.discord.token():
        out.append(f"Discord (token from ${cfg.discord.token_env}, API {cfg.discord.api_base_url})")
    if cfg.slack.bot_token():
        if cfg.slack.mode == "socket" and not cfg.slack.app_token():
            out.append(f"Slack: NOT startable — socket mode needs ${cfg.slack.app_token_env}")
        elif cfg.slack.mode == "http" and not cfg.slack.signing_secret():
            out.append(f"Slack: NOT startable — http mode needs ${cfg.slack.signing_secret_env}")
        else:
            out.append(f"Slack ({cfg.slack.mode} mode)")
    return out


def missing_credentials(cfg: Config) -> str:
    return (
        f"Discord: ${cfg.discord.token_env}; Slack: ${cfg.slack.bot_token_env} plus "
        f"${cfg.slack.app_token_env} (socket mode) or ${cfg.slack.signing_secret_env} (http mode)"
    )


# --- run --------------------------------------------------------------------------------
async def cmd_run(args: argparse.Namespace) -> int:
    """Every platform whose credentials are set, plus the scheduler, until Ctrl-C."""
    from bot.cli.run import PlatformFailed, run_bot  # lazily: the scheduler and APScheduler

    cfg = _config(args)
    runners = platform_runners(cfg)
    unstartable = [p for p in platforms_to_start(cfg) if "NOT startable" in p]
    if not runners:
        why = unstartable[0] if unstartable else "no platform credentials set"
        why = f"{why}. Set {missing_credentials(cfg)} — or try paperbot shell"
        raise CliError(redact_tokens(why))  # lines built from the config never show a token
    core = _core(args)
    for line in unstartable:
        log.warning("%s; starting the others", redact_tokens(line))
    logging.getLogger("bot").setLevel(logging.INFO)  # what was posted where, and why not
    try:
        await run_bot(core, runners)
    except PlatformFailed as e:
        raise CliError(redact_tokens(str(e))) from None
    return 0


def platform_runners(cfg: Config) -> dict[str, Any]:
    """name → the adapter's run function, for each platform `platforms_to_start` can start."""
    runners: dict[str, Any] = {}
    for line in platforms_to_start(cfg):
        if "NOT startable" in line:
            continue
        name = "discord" if line.startswith("Discord") else "slack"
        try:
            runners[name] = wiring.platform_runner(name)
        except ImportError as e:
            raise CliError(
                f"{line.split(' ', 1)[0]} needs its extra: pip install 'paperbot[{name}]'"
                f" ({e.name or e} is not installed)"
            ) from None
    return runners


# --- doctor -----------------------------------------------------------------------------
async def cmd_doctor(args: argparse.Namespace) -> int:
    """The live setup checked with the real tokens; exit 1 if anything failed."""
    from bot.cli import doctor  # lazily: the checks import httpx and the adapters

    cfg = _config(args)
    path = getattr(args, "db", None) or cfg.storage.path
    checks = await doctor.run_checks(cfg, path, wiring.doctor_checks)
    print(doctor.render(checks))
    return doctor.exit_code(checks)


# --- discord-invite ---------------------------------------------------------------------
def cmd_discord_invite(args: argparse.Namespace) -> int:
    app_id = args.application_id
    if not app_id:
        raise CliError(
            "pass --application-id (from the Discord developer portal, General Information)"
        )
    if not app_id.isdigit():
        raise CliError(f"'{app_id}' is not an application id (a number like 123456789012345678)")
    print(wiring.discord_invite_url(app_id))
    return 0
