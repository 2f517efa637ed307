"""`/papers channel …`: the daily thread's settings for one channel (admins only, but status)."""

from __future__ import annotations

from bot.commands.spec import Action, Arg, Ctx, Spec, UsageError, admin_refusal, private
from bot.config import check_timezone
from bot.daily.delivery import channel_target
from bot.daily.thread import build_digest
from bot.daily.triggers import DAY_NAMES, next_run, parse_days
from bot.model import Reply
from bot.query.parser import parse_query
from bot.text import parse_hhmm
from storage import channels as channel_store
from storage import users as user_store
from storage.ledger import Ledger

USAGE = (
    "channel enable [time HH:MM] [tz Area/City] [days mon-fri] [min-upvotes N] [max N] "
    "[empty-days note|skip] "
    "[filter <query>] | channel disable | channel status | channel preview"
)


def parse_enable_options(args: str, current: dict) -> dict:
    """Options in any order; `filter` takes the rest of the line."""
    opts = dict(current)
    tokens = args.split()
    i = 0
    while i < len(tokens):
        key = tokens[i].lower()
        if key == "filter":
            opts["filter"] = " ".join(tokens[i + 1 :]).strip() or None
            break
        if i + 1 >= len(tokens):
            raise UsageError(f"'{key}' needs a value.")
        val = tokens[i + 1]
        if key == "time":
            hhmm = parse_hhmm(val)
            if hhmm is None:
                raise UsageError(f"'{val}' is not a time; use HH:MM (24-hour), e.g. 09:00.")
            opts["time"] = hhmm
        elif key in ("tz", "timezone"):
            try:
                opts["timezone"] = check_timezone(val)
            except ValueError as e:
                raise UsageError(str(e)) from None
        elif key == "days":
            try:
                opts["days"] = ",".join(parse_days(val))
            except ValueError as e:
                raise UsageError(str(e)) from None
        elif key == "empty-days":
            if val.lower() not in ("note", "skip"):
                raise UsageError(f"'{val}' is not valid for empty-days; use note or skip.")
            opts["post_empty"] = 1 if val.lower() == "note" else 0
        elif key in ("min-upvotes", "max"):
            if not val.isdigit() or (key == "max" and not 1 <= int(val) <= 50):
                raise UsageError(
                    f"'{val}' is not valid for {key}; use a whole number"
                    + (" from 1 to 50." if key == "max" else ".")
                )
            opts["min_upvotes" if key == "min-upvotes" else "max_papers"] = int(val)
        else:
            raise UsageError(f"unknown option '{key}'.")
        i += 2
    if opts.get("filter"):
        opts["filter"] = parse_query(opts["filter"], allow_exclusion_only=True).text
    return opts


def _describe(ctx: Ctx, row: dict) -> str:
    days = tuple((row.get("days") or ",".join(DAY_NAMES)).split(","))
    lines = [
        f"Daily thread: {'on' if row.get('enabled') else 'off'}",
        f"Time: {row['time']} {row['timezone']} on {','.join(days)}",
        f"Min upvotes: {row.get('min_upvotes') or 0} · Max papers: {row.get('max_papers')}",
        f"Filter: {row.get('filter') or '(none)'}",
        "Days without papers: " + ("one short note" if row.get("post_empty") else "nothing posted"),
    ]
    if row.get("paused_reason"):
        lines.append(f"Paused: {row['paused_reason']}")
    elif row.get("enabled"):
        nxt = next_run(ctx.core.clock.now(), row["time"], row["timezone"], days)
        lines.append(f"Next post: {nxt:%a %d %b %Y %H:%M} {row['timezone']}")
    return "\n".join(lines)


def _key(ctx: Ctx) -> tuple[str, str, str]:
    p = ctx.cmd.place
    return p.platform, p.workspace_id, p.channel_id


def _refuse(action: str) -> list[Reply]:
    return private(admin_refusal(action), is_error=True)


async def channel(ctx: Ctx, args: str) -> list[Reply]:
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    if action not in ACTIONS:
        raise UsageError(f"'{action}' is not a channel action." if action else "which action?")
    existing = channel_store.get_channel(ctx.core.db, *_key(ctx))
    if action == "status":
        if not existing:
            return private(
                "No daily thread here. An admin can start one with /papers channel enable"
            )
        return private(_describe(ctx, existing))
    if not ctx.cmd.is_admin:
        return _refuse(action)
    if action == "enable":
        return _enable(ctx, rest, existing)
    if action == "disable":
        if not existing or not existing.get("enabled"):
            return private("The daily thread is not enabled here.")
        row = dict(existing, enabled=0, updated_by=ctx.cmd.user_id)
        channel_store.save_channel(ctx.core.db, row)
        ctx.core.channel_changed(row)
        user_store.audit(ctx.core.db, ctx.user, "channel disable", ctx.cmd.place.channel_id)
        return private("Daily thread disabled for this channel.")
    return await _preview(ctx, existing)


def _enable(ctx: Ctx, rest: str, existing: dict | None) -> list[Reply]:
    cfg = ctx.core.config.digest
    base = existing or {
        "time": cfg.default_time,
        "timezone": cfg.default_timezone,
        "days": ",".join(DAY_NAMES),
        "min_upvotes": 0,
        "max_papers": cfg.default_max,
        "filter": None,
        "post_empty": 0,
    }
    opts = parse_enable_options(rest, base)
    platform, ws, ch = _key(ctx)
    row = dict(
        opts,
        platform=platform,
        workspace_id=ws,
        channel_id=ch,
        enabled=1,
        paused_reason=None,
        updated_by=ctx.cmd.user_id,
    )
    channel_store.save_channel(ctx.core.db, row)
    ctx.core.channel_changed(row)
    user_store.audit(ctx.core.db, ctx.user, "channel enable", rest)
    return private("Daily thread enabled for this channel.\n" + _describe(ctx, row))


async def _preview(ctx: Ctx, existing: dict | None) -> list[Reply]:
    day = ctx.core.latest_day()
    if day is None:
        return private("No papers stored yet, so there is nothing to preview.")
    row = existing or {
        "platform": ctx.cmd.place.platform,
        "workspace_id": ctx.cmd.place.workspace_id,
        "channel_id": ctx.cmd.place.channel_id,
    }
    before = Ledger(ctx.core.db).items_sent_before(channel_target(row), day)
    digest = await build_digest(ctx.core, day, existing, exclude_ids=before)
    if digest is None:
        return private(f"No papers for {day} pass this channel's settings.")
    parent = digest.parent
    note = "Preview (only you can see this):\n"
    return [Reply(text=note + parent.text, title=parent.title, private=True)] + [
        Reply(text=r.text, cards=r.cards, private=True) for r in digest.items
    ]


SPECS = (
    Spec(
        "channel",
        USAGE,
        "the daily thread in this channel",
        (
            "/papers channel enable time 09:00 tz Europe/Berlin days mon-fri max 10",
            "/papers channel enable min-upvotes 20 filter diffusion OR video",
            "/papers channel status",
            "/papers channel disable",
        ),
        channel,
        who="channel admins (status: anyone)",
        actions=(
            Action(
                "enable",
                "post the daily thread here (admins)",
                tuple(
                    Arg(name)
                    for name in (
                        "time",
                        "tz",
                        "days",
                        "min-upvotes",
                        "max",
                        "empty-days",
                        "filter",
                    )  # fmt: skip
                ),
            ),
            Action("disable", "stop the daily thread here (admins)"),
            Action("status", "this channel's settings and next post"),
            Action("preview", "preview the thread, only you see it (admins)", slow=True),
        ),
    ),
)
ACTIONS = tuple(a.name for a in SPECS[0].actions)
