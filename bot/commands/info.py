"""`status` and `help`."""

from __future__ import annotations

from bot.commands.spec import Ctx, Spec, UsageError, private
from bot.model import Reply
from bot.schedule_times import next_run
from storage import channels as channel_store
from storage import papers as paper_store

QUERY_HELP = (
    'Query forms: words (all must match) · "a phrase" · a OR b · -exclude · cat:cs.CL · '
    'author:"Yann LeCun" · org:nvidia · upvotes>=20 · has:code'
)


async def status(ctx: Ctx, args: str) -> list[Reply]:
    db = ctx.core.db
    c = paper_store.counts(db)
    last = db.execute(
        "SELECT key, fetched_at, error FROM fetch_log ORDER BY fetched_at DESC LIMIT 1"
    ).fetchone()
    lines = [
        f"Papers stored: {c['papers']} over {c['days']} days "
        f"(latest: {ctx.core.latest_day() or 'none'})"
    ]
    if last:
        lines.append(
            f"Last fetch: {last[0]} at {last[1]}" + (f" — failed: {last[2]}" if last[2] else "")
        )
    else:
        lines.append("Last fetch: never")
    chans = channel_store.enabled_channels(db)
    now = ctx.core.clock.now()
    for ch in chans[:10]:
        where = f"{ch['platform']} channel {ch['channel_id']}"
        if ch.get("paused_reason"):
            lines.append(f"Paused: {where} — {ch['paused_reason']}")
        else:
            days = tuple((ch.get("days") or "mon,tue,wed,thu,fri,sat,sun").split(","))
            nxt = next_run(now, ch["time"], ch["timezone"], days)
            lines.append(f"Next post: {where} at {nxt:%a %d %b %H:%M} {ch['timezone']}")
    if not chans:
        lines.append("Daily threads: none enabled (admins: /papers channel enable)")
    return private("\n".join(lines))


async def help_cmd(ctx: Ctx, args: str) -> list[Reply]:
    from bot.commands.dispatch import registry

    reg = registry()
    topic = args.strip().lower()
    if topic:
        spec = reg.get(topic)
        if spec is None:
            raise UsageError(f"no command '{topic}'.")
        lines = [
            f"/papers {spec.usage}",
            spec.summary.capitalize() + f" (who: {spec.who}).",
            "Examples:",
            *(f"  {e}" for e in spec.examples),
        ]
        if topic in ("search", "subscribe", "channel"):
            lines.append(QUERY_HELP)
        return private("\n".join(lines))
    lines = ["paperbot — the day's research papers. Commands:"]
    for spec in reg.values():
        lines.append(
            f"/papers {spec.usage.split(' | ')[0]} — {spec.summary} (e.g. {spec.examples[0]})"
        )
    lines += [QUERY_HELP, "More on one command: /papers help <command>"]
    return private("\n".join(lines))


SPECS = (
    Spec("status", "status", "last fetch, papers stored, next posts", ("/papers status",), status),
    Spec(
        "help",
        "help [command]",
        "the commands, with examples",
        ("/papers help", "/papers help search"),
        help_cmd,
    ),
)
