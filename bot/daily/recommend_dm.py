"""The "Recommended for you" section of the daily alert DM (`alerts recommend on|off`).

A few papers of the week ending on the DM's day, ranked for the user by `bot/recommend/` from
their library and reactions, each card saying which liked paper it is like. The section rides
on the alert DM — one message a day, through the same ledger item — so a user whose topics
matched nothing that day still gets a DM with the section alone, and never a second one.
Papers the DM already shows as topic matches are not offered again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from bot.cards import card_for
from bot.core import Core
from bot.model import PaperCard, paper_from_row
from bot.recommend import rank
from bot.text import plural
from storage import papers as paper_store
from storage import recommend as rec_store
from storage.users import UserKey

UserId = tuple[str, str, str]  # platform, workspace_id, user_id
RECOMMENDED_IN_DM = 3
WINDOW_DAYS = 7  # as /papers recommend: the week ending on the DM's day
HEADING = "Recommended for you"


def wants_section(core: Core, user: UserId) -> bool:
    return rec_store.recommend_dm(core.db, UserKey(*user))


async def recommended_cards(
    core: Core, user: UserId, day: str, *, shown: Collection[str] = (), first_rank: int = 1
) -> tuple[PaperCard, ...]:
    """The section's cards for `user` on `day` (none when the section is off, the user likes
    nothing yet, or nothing of the week is left to offer), ranked on from `first_rank`."""
    if not wants_section(core, user):
        return ()
    signals = rank.user_signals(core.db, UserKey(*user))
    if not signals.liked:
        return ()
    start = (date.fromisoformat(day) - timedelta(days=WINDOW_DAYS - 1)).isoformat()
    candidates = [c for c in rec_store.recent_ids(core.db, start, day) if c not in shown]
    if not candidates:
        return ()
    found = await rank.recommend_off_loop(core.db, signals, candidates, RECOMMENDED_IN_DM)
    cards = []
    for s in found:
        row = paper_store.get_paper_row(core.db, s.paper_id)
        if row is not None:
            card = await card_for(
                core, paper_from_row(row), rank=first_rank + len(cards), like=s.like_title or ""
            )
            cards.append(card)
    return tuple(cards)


def section_text(cards: tuple[PaperCard, ...], *, after_matches: bool) -> str:
    """The DM's words about the section: after the alert summary, or alone."""
    what = f"{plural(len(cards), 'paper')} of the week"
    if after_matches:
        return f"\n{HEADING}: the last {what}, each like one you saved or liked."
    return (
        f"{HEADING}: {what}, each like one you saved or liked"
        " (none of your topics matched today's papers)."
    )
