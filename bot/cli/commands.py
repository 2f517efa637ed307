"""What each `paperbot` subcommand does (`cmd_<name>`), and `CliError`, the one-line failure.

Imported only after argument parsing. Adapters are reached only through `bot.cli.wiring`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.cards import ET_AL
from bot.cli import wiring
from bot.config import Config, ConfigError, config_file, load_config, redact_tokens
from bot.core import Core
from bot.model import DayHeadline, Digest
from bot.text import escape_unprintable, parse_day, plural, printable
from storage import papers as paper_store

log = logging.getLogger("paperbot")


class CliError(Exception):
    """A one-line error for stderr; the exit code is 1 unless given."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class PrintableFormatter(logging.Formatter):
    """Log lines land on a terminal too, and may quote what a source or platform sent (a
    title, an error body): nothing in them may drive the terminal (`bot.text.printable`)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _setup_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


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
    from bot.cli.fetching import first_run  # lazily: imports the HTTP clients

    core = _core(args)
    try:
        await first_run(core)
    except BaseException:
        await core.aclose()
        raise
    return await wiring.shell_app().run_shell(core)


# --- import -----------------------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    from bot.ingest import import_paths  # lazily, like every subcommand's own machinery

    core = _core(args)
    report = import_paths(core.db, args.paths)
    for w in report.warnings:
        print(printable(f"warning: {w}"), file=sys.stderr)  # may quote a source's text
    for path, reason in report.rejected:
        print(printable(f"rejected {path}: {reason}"), file=sys.stderr)
    print(
        f"imported {plural(report.files, 'file')}, "
        f"{plural(report.papers, 'daily entry', 'daily entries')}; "
        f"{len(report.rejected)} rejected; database now holds "
        f"{plural(paper_store.counts(core.db)['papers'], 'paper')}"
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
    from bot.cli.fetching import fetch_with_progress  # lazily: imports the HTTP clients
    from bot.ingest import day_range
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
        report = await fetch_with_progress(core, days)
    except SourceError as e:
        raise CliError(
            f"{e} — nothing lost: stored papers are unchanged and the shell still works"
        ) from None
    finally:
        await core.aclose()
    for w in report.warnings:
        print(printable(f"warning: {w}"), file=sys.stderr)  # may quote a source's text
    print(
        f"fetched {plural(report.days, 'day')}, {plural(report.papers, 'paper')}"
        f" ({report.enriched} enriched from arXiv)"
    )
    if report.arxiv_day:
        print(
            f"arXiv announcements of {report.arxiv_day}: {report.announced} new or cross-listed,"
            f" {report.replaced} replacements"
        )
    return 0


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


def cmd_chart(args: argparse.Namespace) -> int:
    """`paperbot chart --week 2025-W40 --out week.png`: the roundup's chart of stored papers."""
    from bot.daily.chart import alt_text, chart_data, render_png  # lazily: matplotlib
    from bot.daily.periods import parse_period

    name = args.week or args.month
    period = parse_period(name, date.today())
    if period is None or period.kind != ("week" if args.week else "month"):
        raise CliError(
            f"{name!r} is not a {'week like 2025-W40' if args.week else 'month like 2025-09'}"
        )
    core = _core(args)
    try:
        data = chart_data(core, period)
    finally:
        core.db.close()
    if not any(n for _, n in data.per_day):
        raise CliError(f"no papers stored for {period.name}; run paperbot import or fetch first")
    try:
        Path(args.out).write_bytes(render_png(data))
    except OSError as e:
        raise CliError(f"cannot write {args.out}: {e.strerror or e}") from None
    print(f"wrote {args.out}: {alt_text(data)}")
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
                # the names shown, without the card's "et al." marker; how many there are
                "authors": [a for a in card.authors if a != ET_AL],
                "authors_total": card.authors_total,
                "upvotes": card.upvotes,
                "comments": card.comments,
                "stars": card.stars,
                "organization": card.organization or None,
                "date": card.date,
                "thumbnail": card.thumbnail,
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
        **_headline_json(digest.parent.headline),
        "papers": papers,
    }


def _headline_json(h: DayHeadline | None) -> dict[str, Any]:
    """The parent's facts: the day's true count, what the thread kept, themes, top 3."""
    if h is None:
        return {}
    return {
        "total": h.total,
        "kept": h.kept,
        "themes": [{"label": t.label, "count": t.count} for t in h.themes],
        "top": [{"title": t.title, "url": t.url, "upvotes": t.upvotes} for t in h.top],
    }


# --- check-config -----------------------------------------------------------------------
def cmd_check_config(args: argparse.Namespace) -> int:
    """The config checked and what `paperbot run` would start; exit 1 when a platform that
    is configured (its token is set) cannot start."""
    cfg = _config(args)
    db = getattr(args, "db", None) or cfg.storage.path
    path = config_file(getattr(args, "config", None))
    lines = [
        f"config OK ({path})" if path else "no config file, using defaults",
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
    platforms = [_with_extra(p) for p in platforms_to_start(cfg)]
    lines += [f"would start: {p}" for p in platforms] or [
        "would start: nothing — no platform credentials set ("
        + missing_credentials(cfg)
        + "); try paperbot shell"
    ]
    print(redact_tokens("\n".join(lines)))  # a token pasted into any key is never shown
    return 1 if any("NOT startable" in p for p in platforms) else 0


def _with_extra(line: str) -> str:
    """`line` from `platforms_to_start`, or why not when the platform's extra is missing."""
    if "NOT startable" in line:
        return line
    name = "discord" if line.startswith("Discord") else "slack"
    try:
        wiring.platform_runner(name)
    except ImportError as e:
        return (
            f"{line.split(' ', 1)[0]}: NOT startable — pip install 'paperbot[{name}]'"
            f" ({e.name or e} is not installed)"
        )
    return line


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
    from bot.cli.fetching import first_run

    core = _core(args)
    for line in unstartable:
        log.warning("%s; starting the others", redact_tokens(line))
    try:
        await first_run(core)  # the first thread has papers to post
    except BaseException:
        await core.aclose()
        raise
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
