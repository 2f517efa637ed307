"""`paperbot doctor`: the live setup checked with the real tokens, one line per check.

The platform-neutral checks live here — the database (there, writable, migrations current),
the Hugging Face and arXiv endpoints — with the printing and the exit code. Each platform's
checks (tokens, scopes, permissions, channels) live in its adapter and are reached through
`bot.cli.wiring`. Doctor changes nothing: the database is opened read-only and nothing is
posted, joined or synced, so it can run next to `paperbot run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from bot.config import Config, redact_tokens
from bot.daily.channels import ChannelSettings
from bot.model import Check
from bot.text import plural
from storage import channels as channel_store
from storage.db import open_readonly, pending_migrations, write_problem

OK, FAILED = "✓", "✗"


def render(checks: list[Check]) -> str:
    """One line per check, ✓ or ✗, the fix after a failure; never a token."""
    lines = []
    for c in checks:
        line = f"{OK if c.ok else FAILED} {c.name}" + (f": {c.detail}" if c.detail else "")
        if not c.ok and c.fix:
            line += f" — fix: {c.fix}"
        lines.append(line)
    failed = sum(not c.ok for c in checks)
    lines.append(
        f"{plural(len(checks), 'check')}, {failed} failed" if failed else f"all {len(checks)} OK"
    )
    return redact_tokens("\n".join(lines))


def exit_code(checks: list[Check]) -> int:
    return 1 if any(not c.ok for c in checks) else 0


# --- the database -----------------------------------------------------------------------
def database_checks(path: str) -> tuple[list[Check], list[ChannelSettings]]:
    """The database's checks, and the enabled channels it holds (for the platform checks)."""
    if path == ":memory:" or not Path(path).is_file():
        fix = "check storage.path (or --db), or create it: paperbot import DIR / paperbot fetch"
        return [Check("database", False, f"{path} does not exist", fix)], []
    try:
        db = open_readonly(path)
        pending = pending_migrations(db)
        channels = [ChannelSettings.from_row(r) for r in channel_store.enabled_channels(db)]
        db.close()
    except Exception as e:  # not a database, unreadable, a table missing…
        return [Check("database", False, f"cannot read {path}: {e}", "restore a backup")], []
    checks = [_migrations_check(pending)]
    problem = write_problem(path)
    checks.append(
        Check("database writable", True, path)
        if problem is None
        else Check(
            "database writable",
            False,
            f"{path}: {problem}",
            "make the file and its directory writable by the bot's user; if it is locked,"
            " stop the other process holding it",
        )
    )
    return checks, channels


def _migrations_check(pending: list[str]) -> Check:
    if not pending:
        return Check("database migrations", True, "current")
    return Check(
        "database migrations",
        False,
        f"{len(pending)} pending ({', '.join(pending)})",
        "back up the file, then start paperbot once (paperbot run or paperbot shell) to apply them",
    )


# --- the sources ------------------------------------------------------------------------
async def source_checks(cfg: Config) -> list[Check]:
    """Hugging Face and arXiv answer (one cheap request each, no retries: doctor reports)."""
    src = cfg.sources
    probes = [
        ("Hugging Face", src.hf_base_url, "/api/daily_papers", {"limit": "1"}, "hf_base_url"),
        ("arXiv", src.arxiv_base_url, "/api/query", {"max_results": "0"}, "arxiv_base_url"),
    ]
    checks = []
    async with httpx.AsyncClient(timeout=src.timeout_seconds) as http:
        for name, base, path, params, key in probes:
            checks.append(await _probe(http, name, base.rstrip("/") + path, params, key))
    return checks


async def _probe(
    http: httpx.AsyncClient, name: str, url: str, params: dict[str, str], key: str
) -> Check:
    fix = f"check the network / proxy and sources.{key} in the config"
    try:
        r = await http.get(url, params=params)
    except httpx.HTTPError as e:
        return Check(f"{name} reachable", False, f"{url}: {type(e).__name__} {e}".strip(), fix)
    if r.status_code >= 400:
        return Check(f"{name} reachable", False, f"{url}: HTTP {r.status_code}", fix)
    return Check(f"{name} reachable", True, url)


# --- everything -------------------------------------------------------------------------
async def run_checks(cfg: Config, db_path: str, platform_checks: Any) -> list[Check]:
    """Every check, in the order printed. `platform_checks(name)` is the adapter's check
    function (from `bot.cli.wiring`), called only for a platform whose token is set."""
    checks, channels = database_checks(db_path)
    checks += await source_checks(cfg)
    configured = {"slack": cfg.slack.bot_token(), "discord": cfg.discord.token()}
    for platform, token in configured.items():
        if token:
            checks += await platform_checks(platform)(cfg, channels)
    if not any(configured.values()):
        fix = f"set ${cfg.discord.token_env} and/or ${cfg.slack.bot_token_env}"
        checks.append(Check("platforms", False, "no platform token set", fix))
    return checks
