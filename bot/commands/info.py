"""`status` and `help`."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.commands.spec import Arg, Ctx, Spec, UsageError, did_you_mean, private
from bot.daily.channels import enabled_channels
from bot.model import Reply
from bot.text import display_date, display_datetime, plural, quoted_input
from storage import fetch_log
from storage import papers as paper_store

QUERY_HELP = (
    'Query forms: words (all must match) · "a phrase" · a OR b · -exclude · cat:cs.CL · '
    'author:"Yann LeCun" · org:nvidia · upvotes>=20 · has:code'
)


async def status(ctx: Ctx, args: str) -> list[Reply]:
    lines = [_stored(ctx), _sources_line(ctx)]
    chans = enabled_channels(ctx.core)
    now = ctx.core.clock.now()
    for ch in chans[:10]:
        # The shell's one channel has an internal id ("terminal"): say what it is instead.
        where = (
            "this terminal" if ch.platform == "shell" else f"{ch.platform} channel {ch.channel_id}"
        )
        nxt = ch.next_run(now)
        if ch.paused_reason:
            lines.append(f"Paused: {where} — {ch.paused_reason}")
        elif nxt is None:
            lines.append(f"Not posting: {where} — {ch.problem()}")
        else:
            lines.append(f"Next post: {where} at {display_datetime(nxt)} {ch.timezone}")
    if not chans:
        lines.append("Daily threads: none enabled (admins: /papers channel enable)")
    return private("\n".join(lines))


def _stored(ctx: Ctx) -> str:
    c = paper_store.counts(ctx.core.db)
    if not c["papers"]:
        return "Papers stored: none yet (`paperbot fetch` or `paperbot import` loads some)"
    latest = ctx.core.latest_day()
    # Papers stored by searches and lookups are on no day's list: counted apart, so the line
    # never says "11 papers over 0 days" while `today` has none.
    extra = c["papers"] - c["listed"]
    return (
        f"Papers stored: {plural(c['listed'], 'paper')} over {plural(c['days'], 'day')}"
        + (f" (latest: {display_date(latest)})" if latest else "")
        + (f" · {extra} more from searches and lookups" if extra > 0 else "")
    )


def _sources_line(ctx: Ctx) -> str:
    """`Last import Wed 31 Dec 2025 · last fetch never`: where the papers came from, when."""
    db = ctx.core.db
    imported = fetch_log.latest_imported_day(db)
    last = fetch_log.latest(db)
    fetch = "never"
    if last:
        at = datetime.fromisoformat(last.fetched_at).astimezone(UTC)
        fetch = f"{display_datetime(at)} UTC"
        fetch = (
            f"failed {fetch}: {last.error}"
            if last.error
            else f"{fetch} (list of {display_date(last.key)})"
        )
    return f"Last import {display_date(imported) if imported else 'never'} · last fetch {fetch}"


async def help_cmd(ctx: Ctx, args: str) -> list[Reply]:
    reg = ctx.specs
    topic = args.strip().lower()
    if topic:
        spec = reg.get(topic)
        if spec is None:
            raise UsageError(f"no command {quoted_input(topic)}{did_you_mean(topic, reg) or '.'}")
        lines = [
            f"/papers {spec.usage}",
            spec.summary[:1].upper() + spec.summary[1:] + f" (who: {spec.who}).",
            "Examples:",
            *(f"  {e}" for e in spec.examples),
        ]
        if topic in ("search", "subscribe", "channel"):
            lines.append(QUERY_HELP)
        return private("\n".join(lines))
    lines = ["paperbot — the day's research papers. Commands:"]
    for spec in reg.values():
        lines += _overview_lines(spec)
    lines += [QUERY_HELP, "More on one command: /papers help <command>"]
    return private("\n".join(lines))


def _overview_lines(spec: Spec) -> list[str]:
    """One line per command, or per action of a command with actions; an example only when it
    shows more than the usage already does (not `/papers today` after `today [limit 1-25]`)."""
    if spec.actions:
        head = f"/papers {spec.name} — {spec.summary}:"
        return [head, *(f"/papers {spec.name} {a.name} — {a.summary}" for a in spec.actions)]
    bare = f"/papers {spec.name}"
    example = next((e for e in spec.examples if e.strip() != bare), "")
    tail = f" (e.g. {example})" if example else ""
    return [f"/papers {spec.usage} — {spec.summary}{tail}"]


SPECS = (
    Spec(
        "status",
        "status",
        "last fetch, papers stored, next posts",
        ("/papers status",),
        status,
    ),
    Spec(
        "help",
        "help [command]",
        "the commands, with examples",
        ("/papers help", "/papers help search"),
        help_cmd,
        args=(Arg("command"),),
    ),
)
