"""`show <id> share` (and the Share button on a private card): that one card, posted publicly.

Replies stay private by default; sharing is the one way a reader puts a card in front of the
channel. The message says who shared it by display name — plain text, never a mention — and
names no one else (`mention_user_ids` empty, so every adapter sends it with mentions off).
It goes through the platform's `Poster` (the scheduler's own) under a ledger target of its
own: one share per reader, paper and channel a day, so a double click or a retried request
posts once.
"""

from __future__ import annotations

from bot.cards import card_for
from bot.commands.spec import Ctx, private
from bot.daily.posting import DeliveryError, message_key, send_with_retry
from bot.model import Paper, Reply
from bot.text import collapse_whitespace
from storage.ledger import Ledger

SHARE_WORD = "share"
NAME_MAX = 80  # a display name as the message shows it
# The Share button's id on every platform (Slack action_id, Discord custom_id; both allow
# far more than `paperbot:share:` and an arXiv id): the button runs `show <id> share`.
SHARE_PREFIX = "paperbot:share:"


def share_action_id(paper_id: str) -> str:
    return SHARE_PREFIX + paper_id


def shared_paper(action_id: str) -> str | None:
    """The paper id a Share button carries; None for any other id."""
    if not action_id.startswith(SHARE_PREFIX):
        return None
    return action_id[len(SHARE_PREFIX) :] or None


def share_target(ctx: Ctx) -> str:
    p = ctx.cmd.place
    return f"{p.platform}:{p.workspace_id}:{p.channel_id}:share"


def shared_by(name: str) -> str:
    """`Shared by @Ada Lovelace`: the name as text (adapters escape it; it pings nobody)."""
    shown = collapse_whitespace(name)[:NAME_MAX] or "someone"
    return f"Shared by @{shown}"


async def share(ctx: Ctx, paper: Paper) -> list[Reply]:
    """Post `paper`'s card to the channel the command came from, once a day per reader."""
    if ctx.poster is None:
        return private("Sharing posts to a Discord or Slack channel; here there is none.")
    ledger = Ledger(ctx.core.db, ctx.core.clock.now)
    target, day = share_target(ctx), ctx.core.today()
    item = f"{paper.id}@{ctx.cmd.user_id}"
    row = ledger.get(target, day, item)
    if row is not None and row.status == "sent":
        return private(f"You already shared {paper.id} here today.")
    card = await card_for(ctx.core, paper)
    reply = Reply(text=shared_by(ctx.cmd.user_name), cards=(card,))
    ledger.plan(target, day, [item])
    ledger.attempt(target, day, item)
    key = message_key(day, f"share-{item}", ctx.cmd.place.channel_id)
    poster, place = ctx.poster, ctx.cmd.place
    try:
        mid = await send_with_retry(
            ctx.core.clock, f"share of {paper.id}", lambda: poster.post(place, reply, key=key)
        )
    except DeliveryError as e:
        if e.permanent:
            ledger.failed(target, day, item, e.reason)
        return private(f"Could not share {paper.id} here: {e.reason}", is_error=True)
    ledger.sent(target, day, item, mid)
    return private(f"Shared {paper.id} with this channel.")
