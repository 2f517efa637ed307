"""`/papers channel …`: the daily thread's settings for one channel (admins only, but status)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.commands.channel_send import preview, send_test
from bot.commands.spec import (
    Action,
    Arg,
    Ctx,
    Spec,
    UsageError,
    admin_refusal,
    did_you_mean,
    private,
)
from bot.commands.timeparse import parse_time_of_day, resolve_timezone
from bot.commands.unmatched import unmatched_notes
from bot.daily.channels import STYLES, ChannelSettings, load_channel, update_channel
from bot.daily.roundup_schedule import parse_roundup
from bot.daily.triggers import parse_days
from bot.model import Reply
from bot.query.errors import QueryError
from bot.text import display_datetime, quoted_input, whole_number
from storage import live as live_store
from storage import users as user_store

MAX_PAPERS = 50  # as digest.default_max allows
MAX_MIN_UPVOTES = 100_000  # far above any paper's count, far inside SQLite's integers
ENABLE_USAGE = (
    "channel enable [time 9am|21:30] [tz berlin|Area/City] [days mon-fri] [min-upvotes 0-100000]"
    " [max 1-50] [empty-days note|skip] [style full|compact] [live on|off]"
    " [roundup weekly fri 16:00|monthly 1 09:00|off] [filter <query>]"
)
ACTIONS_USAGE = "channel enable|disable|status|preview|test"
USAGE = f"{ENABLE_USAGE} | channel disable | channel status | channel preview | channel test"
WEEKEND = ("sat", "sun")


@dataclass(frozen=True, slots=True)
class Option:
    """One `channel enable` option: the `ChannelSettings` field it sets, and how its value
    is read. `parse` raises ValueError on a bad value; the user sees `error` (with `{val}`
    filled in), or the parser's own message when `error` is empty."""

    column: str
    parse: Callable[[str], object]
    error: str = ""
    rest_of_line: bool = False  # takes every remaining word (filter)
    words: int = 1  # a value may be this many words (`new york`)
    whole_error: bool = False  # a value that does not parse is quoted whole in the error


def _time(val: str) -> str:
    hhmm = parse_time_of_day(val)
    if hhmm is None:
        raise ValueError(val)
    return hhmm


def _number(low: int, high: int) -> Callable[[str], int]:
    def parse(val: str) -> int:
        n = whole_number(val, low, high)
        if n is None:
            raise ValueError(val)
        return n

    return parse


def _style(val: str) -> str:
    if val.lower() not in STYLES:
        raise ValueError(val)
    return val.lower()


def _on_off(val: str) -> bool:
    if val.lower() not in ("on", "off"):
        raise ValueError(val)
    return val.lower() == "on"


def _note_or_skip(val: str) -> bool:
    if val.lower() not in ("note", "skip"):
        raise ValueError(val)
    return val.lower() == "note"


OPTIONS: dict[str, Option] = {
    "time": Option("time", _time, "{val} is not a time; use 9am, 9:30pm or 21:30.", words=2),
    "tz": Option("timezone", resolve_timezone, words=3),
    "timezone": Option("timezone", resolve_timezone, words=3),
    "days": Option("days", parse_days),
    "min-upvotes": Option(
        "min_upvotes",
        _number(0, MAX_MIN_UPVOTES),
        f"{{val}} is not valid for min-upvotes; use a whole number from 0 to {MAX_MIN_UPVOTES}.",
    ),
    "max": Option(
        "max_papers",
        _number(1, MAX_PAPERS),
        f"{{val}} is not valid for max; use a whole number from 1 to {MAX_PAPERS}.",
    ),
    "empty-days": Option(
        "post_empty", _note_or_skip, "{val} is not valid for empty-days; use note or skip."
    ),
    "style": Option(
        "style", _style, "{val} is not a style; use full (a card per paper) or compact (lines)."
    ),
    "live": Option("live", _on_off, "{val} is not valid for live; use on or off."),
    "roundup": Option("roundup", parse_roundup, words=3, whole_error=True),
    # parsed when the settings are built: a bad query answers "Bad query: …"
    "filter": Option("filter", lambda text: text or None, rest_of_line=True),
}


def _words_value(tokens: list[str], start: int, option: Option) -> tuple[str, int]:
    """An option's value and where the next option starts: the longest run of up to
    `option.words` words (`tz new york`, `time 9 am`) that parses, else the one word."""
    longest = 1
    for n in range(option.words, 1, -1):
        run = tokens[start : start + n]
        if len(run) == n and not any(t.lower() in OPTIONS for t in run[1:]):
            longest = max(longest, n)
            try:
                option.parse(" ".join(run))
            except ValueError:
                continue
            return " ".join(run), start + n
    # Nothing parses: the whole value, so its error names it (`weekly friday 25:00`) — but
    # one word of a zone or a time, whose parser says "did you mean" about that word.
    n = longest if option.whole_error else 1
    return " ".join(tokens[start : start + n]), start + n


def parse_enable_options(args: str, current: ChannelSettings) -> ChannelSettings:
    """Options in any order (see OPTIONS); `filter` takes the rest of the line."""
    changes: dict[str, object] = {}
    tokens = args.split()
    i = 0
    while i < len(tokens):
        name = tokens[i].lower()
        option = OPTIONS.get(name)
        if option is not None and option.rest_of_line:
            val, i = " ".join(tokens[i + 1 :]).strip(), len(tokens)
        elif i + 1 >= len(tokens) and option is not None:
            raise UsageError(f"{quoted_input(name)} needs a value.", ENABLE_USAGE)
        elif option is None:
            raise UsageError(
                f"unknown option {quoted_input(name)}{did_you_mean(name, OPTIONS) or '.'}",
                ENABLE_USAGE,
            )
        else:
            val, i = _words_value(tokens, i + 1, option)
        try:
            changes[option.column] = option.parse(val)
        except ValueError as e:
            shown = quoted_input(val)
            message = option.error.format(val=shown) if option.error else str(e)
            raise UsageError(message, ENABLE_USAGE) from None
    settings = replace(current, **changes)  # type: ignore[arg-type]
    if settings.filter_error:
        raise QueryError(settings.filter_error)
    return settings


def _describe(ctx: Ctx, s: ChannelSettings) -> str:
    max_papers = s.max_papers or ctx.core.config.digest.default_max
    lines = [
        f"Daily thread: {'on' if s.enabled else 'off'}",
        f"Time: {s.time} {s.timezone} on {','.join(s.days)}",
        f"Min upvotes: {s.min_upvotes} · Max papers: {max_papers}",
        f"Filter: {s.filter or '(none)'}",
        "Days without papers: " + ("one short note" if s.post_empty else "nothing posted"),
        "Style: "
        + ("compact (lines, up to 10 papers a reply)" if s.style == "compact" else "full cards"),
        _live_line(ctx, s),
        f"Roundup: {s.roundup or 'off'}",
    ]
    if s.paused_reason:
        lines.append(f"Paused: {s.paused_reason}")
    elif s.enabled:
        nxt = s.next_run(ctx.core.clock.now())
        if nxt is None:
            lines.append(f"Not posting: {s.problem()}. Fix it with /papers channel enable …")
        else:
            lines.append(f"Next post: {display_datetime(nxt)} {s.timezone}")
    return "\n".join(lines)


def _live_line(ctx: Ctx, s: ChannelSettings) -> str:
    """Whether later fetches keep the thread up to date, and how many edits they made."""
    if not s.live:
        return "Live thread: off"
    today, total = live_store.edit_counts(ctx.core.db, s.target, ctx.core.latest_day() or "")
    return f"Live thread: on · edits: {today} to the latest thread, {total} in all"


def _key(ctx: Ctx) -> tuple[str, str, str]:
    p = ctx.cmd.place
    return p.platform, p.workspace_id, p.channel_id


def _refuse(action: str) -> list[Reply]:
    return private(admin_refusal(action), is_error=True)


def _actions_list() -> list[Reply]:
    """`/papers channel` alone: what it can do, one action a line."""
    lines = ["/papers channel — the daily thread in this channel:"]
    lines += [f"  {a.name} — {a.summary}" for a in SPECS[0].actions]
    lines.append("e.g. /papers channel enable time 9am tz berlin")
    return private("\n".join(lines))


async def channel(ctx: Ctx, args: str) -> list[Reply]:
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    if not action:
        return _actions_list()
    if action not in ACTIONS:
        hint = did_you_mean(action, ACTIONS)
        raise UsageError(
            f"{quoted_input(action)} is not a channel action{hint or '.'}", ACTIONS_USAGE
        )
    existing = load_channel(ctx.core, _key(ctx))
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
        if not existing or not existing.enabled:
            return private("The daily thread is not enabled here.")
        update_channel(ctx.core, replace(existing, enabled=False, updated_by=ctx.cmd.user_id))
        user_store.audit(ctx.core.db, ctx.user, "channel disable", ctx.cmd.place.channel_id)
        return private("Daily thread disabled for this channel.")
    if action == "test":
        return await send_test(ctx, _settings(ctx, existing))
    return await preview(ctx, _settings(ctx, existing))


def _settings(ctx: Ctx, existing: ChannelSettings | None) -> ChannelSettings:
    """This channel's settings, or the configured defaults when it has none yet."""
    return existing or ChannelSettings.new(ctx.cmd.place, ctx.core.config.digest)


def _notes(rest: str, settings: ChannelSettings) -> list[str]:
    """What the admin may not expect from what they just set."""
    words = rest.lower().split()
    notes = []
    if words and words[-1] == "filter":
        notes.append("Filter cleared: every paper that passes min-upvotes is kept.")
    weekend = [d for d in WEEKEND if d in settings.days]
    if "days" in words and weekend:
        notes.append(
            f"Note: Hugging Face publishes no daily list on weekends, so {'/'.join(weekend)}"
            " usually has no papers"
            + (" (a short note is posted)." if settings.post_empty else " (nothing is posted).")
        )
    return notes


def _enable(ctx: Ctx, rest: str, existing: ChannelSettings | None) -> list[Reply]:
    settings = replace(
        parse_enable_options(rest, _settings(ctx, existing)),
        enabled=True,
        paused_reason=None,
        updated_by=ctx.cmd.user_id,
    )
    update_channel(ctx.core, settings)
    user_store.audit(ctx.core.db, ctx.user, "channel enable", rest)
    lines = ["Daily thread enabled for this channel.", _describe(ctx, settings)]
    notes = unmatched_notes(ctx.core, settings.query)
    return private("\n".join(lines + _notes(rest, settings) + notes))


SPECS = (
    Spec(
        "channel",
        USAGE,
        "the daily thread in this channel",
        (
            "/papers channel enable time 9am tz berlin days mon-fri max 10",
            "/papers channel enable min-upvotes 20 filter diffusion OR video",
            "/papers channel enable filter  (no query: clears the filter)",
            "/papers channel preview",
            "/papers channel test",
            "/papers channel enable live off roundup weekly fri 16:00",
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
                        "live",
                        "roundup",
                        "filter",
                    )  # fmt: skip
                ),
            ),
            Action("disable", "stop the daily thread here (admins)"),
            Action("status", "this channel's settings and next post"),
            Action("preview", "preview the thread, only you see it (admins)", slow=True),
            Action("test", "post a [test] thread of the latest day here now (admins)", slow=True),
        ),
    ),
)
ACTIONS = tuple(a.name for a in SPECS[0].actions)
