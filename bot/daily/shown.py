"""What a posted thread message shows, as the live thread compares it: a reply's ▲/💬/⭐
counts, the parent's fingerprint, and the "new since this morning" mark of a late paper.

Delivery records these when it posts a message and the live thread when it edits one, so the
next fetch edits only what changed — and a reply only when a count moved past the threshold.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from bot.core import Core
from bot.model import PaperCard, Reply
from storage import live as live_store

Counts = tuple[int | None, int | None, int | None]  # upvotes, comments, stars

LATE_NOTE = "New since this morning"


def counts(card: PaperCard) -> Counts:
    return (card.upvotes, card.comments, card.stars)


def fingerprint(reply: Reply) -> str:
    """A short digest of everything a message shows: equal fingerprints, nothing to edit."""
    return hashlib.sha256(repr(reply).encode()).hexdigest()[:16]


def late_items(core: Core, target: str, day: str) -> set[str]:
    """The papers appended to the day's thread after the morning."""
    return {item for item, s in live_store.shown(core.db, target, day).items() if s.late}


def mark_late(reply: Reply) -> Reply:
    """A paper appended after the morning says so above its card."""
    return replace(reply, text=f"{LATE_NOTE}\n{reply.text}".strip())


def moved(old: int | None, new: int | None, minimum: int, ratio: float) -> bool:
    """A count moved enough to be worth an edit: by `minimum` or more, or by `ratio` of what
    the message shows (a paper at 20 ▲ that gains 2 has moved 10%)."""
    a, b = old or 0, new or 0
    change = abs(b - a)
    return change > 0 and (change >= minimum or (a > 0 and change >= ratio * a))


def worth_editing(old: Counts, new: Counts, minimum: int, ratio: float) -> bool:
    return any(moved(a, b, minimum, ratio) for a, b in zip(old, new, strict=True))


def record_shown(
    core: Core, target: str, day: str, item: str, reply: Reply, *, edited: bool = False
) -> None:
    """What a message just posted (or edited) shows: a paper's counts, or the parent's
    fingerprint."""
    at = core.clock.now().isoformat(timespec="seconds")
    db = core.db
    if len(reply.cards) == 1:
        live_store.record(db, target, day, item, counts(reply.cards[0]), at=at, edited=edited)
    else:
        live_store.record(db, target, day, item, shown=fingerprint(reply), at=at, edited=edited)
