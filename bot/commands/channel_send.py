"""`channel preview` and `channel test`: the daily thread before its time, privately or for real.

The preview says why each paper left (already posted here, below min-upvotes, failing the
filter, over the max), as counted by the very selection delivery makes (`plan_selection`).
The test posts the thread now through the platform's own `Poster` (the scheduler's), marked
`[test]`, under its own ledger target (`bot.daily.delivery.deliver_test_thread`): it neither
counts as nor blocks the day's post, and at most one goes out per channel every
`TEST_EVERY_MINUTES` — an interrupted one is resumed, never sent twice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands.spec import Ctx, private
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import TEST_MARK, channel_test_target, deliver_test_thread
from bot.daily.thread import Selection, digest_for, plan_selection
from bot.model import Reply
from bot.text import display_date, display_datetime, plural
from storage.ledger import Ledger

TEST_EVERY_MINUTES = 10
_STAMP = "%Y-%m-%dT%H:%M:%SZ"  # a test run's name in the ledger: sortable, UTC


def selection_line(selection: Selection, settings: ChannelSettings) -> str:
    """`37 papers · 12 below min-upvotes 10 · 20 fail the filter · 5 kept`."""
    parts = [plural(selection.listed, "paper")]
    for n, why in (
        (selection.posted_before, "already posted here on an earlier day"),
        (selection.below_min, f"below min-upvotes {settings.min_upvotes}"),
        (selection.failed_filter, "fail the filter"),
        (selection.over_max, f"over the max of {selection.most}"),
    ):
        if n:
            parts.append(f"{n} {why}")
    return " · ".join([*parts, f"{len(selection.chosen)} kept"])


async def preview(ctx: Ctx, settings: ChannelSettings) -> list[Reply]:
    day = ctx.core.latest_day()
    if day is None:
        return private("No papers stored yet, so there is nothing to preview.")
    selection = plan_selection(ctx.core, settings, day)
    why = selection_line(selection, settings)
    digest = await digest_for(ctx.core, day, selection.chosen, settings)
    if digest is None:
        return private(f"No papers for {display_date(day)} pass this channel's settings: {why}.")
    # The parent as posted (its headline: count, themes, top 3), marked as a preview; no one
    # is mentioned in a preview.
    note = f"Preview (only you can see this) — {why}:"
    parent = replace(digest.parent, text=note, private=True, mention_user_ids=())
    return [parent] + [replace(r, private=True, mention_user_ids=()) for r in digest.items]


def _test_stamp(ctx: Ctx, settings: ChannelSettings) -> str | Reply:
    """The ledger name of the test to send: an interrupted one's (resumed), else a new one;
    a refusal when the last test is too recent."""
    now = ctx.core.clock.now()
    ledger = Ledger(ctx.core.db)
    target = channel_test_target(settings)
    last = ledger.latest_day(target)
    if last is None:
        return now.strftime(_STAMP)
    if any(r.status == "pending" for r in ledger.rows(target, last)):
        return last
    at = datetime.fromisoformat(last)
    due = at + timedelta(minutes=TEST_EVERY_MINUTES)
    if now < due:
        zone = settings.timezone or "UTC"
        return Reply(
            f"A test was posted here at {_local(at, zone)}; the next can go at {_local(due, zone)}"
            f" {zone} (one test per channel every {TEST_EVERY_MINUTES} minutes).",
            private=True,
            is_error=True,
        )
    return now.strftime(_STAMP)


def _local(moment: datetime, zone: str) -> str:
    try:
        return display_datetime(moment.astimezone(ZoneInfo(zone)))
    except (KeyError, ValueError):  # a zone edited by hand into nonsense: say it in UTC
        return display_datetime(moment)


async def send_test(ctx: Ctx, settings: ChannelSettings) -> list[Reply]:
    """Post the latest stored day's thread here now, marked `[test]` (admins only)."""
    if ctx.poster is None:
        return private(
            "channel test posts to a Discord or Slack channel; here there is none."
            " /papers channel preview shows the thread."
        )
    day = ctx.core.latest_day()
    if day is None:
        return private("No papers stored yet, so there is nothing to test with.")
    stamp = _test_stamp(ctx, settings)
    if isinstance(stamp, Reply):
        return [stamp]
    result = await deliver_test_thread(ctx.core, ctx.poster, settings, day, stamp)
    shown = display_date(day)
    if result.status == "empty":
        why = selection_line(plan_selection(ctx.core, settings, day), settings)
        return private(f"No papers for {shown} pass this channel's settings ({why}): no test.")
    if result.status == "failed":
        target = channel_test_target(settings)
        left = any(r.status == "pending" for r in Ledger(ctx.core.db).rows(target, stamp))
        again = " /papers channel test again finishes it (nothing is sent twice)." if left else ""
        return private(
            f"The test thread could not be posted: {result.reason}.{again}", is_error=True
        )
    return private(
        f"Posted a test thread of {shown} here, marked {TEST_MARK.strip()}"
        f" ({plural(result.sent, 'message')}). It does not count as the day's post:"
        " the daily thread still goes out as scheduled (see /papers channel status)."
    )
