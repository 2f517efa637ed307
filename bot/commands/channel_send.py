"""`channel preview` and `channel test`: the daily thread before its time, privately or for real.

The preview says why each paper left (below min-upvotes, failing the filter, over the max,
already posted here), counted by the same rules, in the same order, as `plan_thread` applies.
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
from bot.daily.thread import digest_for, plan_thread
from bot.model import Paper, Reply, paper_from_row
from bot.query.ast import Query
from bot.query.match import doc_for, explain_match
from bot.text import display_date, display_datetime, plural
from storage import papers as paper_store
from storage.ledger import Ledger

TEST_EVERY_MINUTES = 10
_STAMP = "%Y-%m-%dT%H:%M:%SZ"  # a test run's name in the ledger: sortable, UTC


def _passes(query: Query | None, paper: Paper) -> bool:
    """What `select_papers` keeps: a match with nothing to explain (`-survey`) still counts."""
    return query is None or explain_match(query, doc_for(paper)) is not None


def selection_line(ctx: Ctx, settings: ChannelSettings, day: str) -> str:
    """`37 papers · 12 below min-upvotes 10 · 20 fail the filter · 5 kept`."""
    papers = [paper_from_row(r) for r in paper_store.day_rows(ctx.core.db, day)]
    before = Ledger(ctx.core.db).items_sent_before(settings.target, day)
    fresh = [p for p in papers if p.id not in before]
    upvoted = [p for p in fresh if (p.upvotes or 0) >= settings.min_upvotes]
    query = settings.query
    matching = [p for p in upvoted if query is None or _passes(query, p)]
    most = settings.max_papers or ctx.core.config.digest.default_max
    kept = min(len(matching), most)
    parts = [plural(len(papers), "paper")]
    for n, why in (
        (len(papers) - len(fresh), "already posted here on an earlier day"),
        (len(fresh) - len(upvoted), f"below min-upvotes {settings.min_upvotes}"),
        (len(upvoted) - len(matching), "fail the filter"),
        (len(matching) - kept, f"over the max of {most}"),
    ):
        if n:
            parts.append(f"{n} {why}")
    return " · ".join([*parts, f"{kept} kept"])


async def preview(ctx: Ctx, settings: ChannelSettings) -> list[Reply]:
    day = ctx.core.latest_day()
    if day is None:
        return private("No papers stored yet, so there is nothing to preview.")
    why = selection_line(ctx, settings, day)
    digest = await digest_for(ctx.core, day, plan_thread(ctx.core, settings, day), settings)
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
        why = selection_line(ctx, settings, day)
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
