"""Papers picked for a person: `recommend` (from their library and their reactions) and
`similar` (papers like one paper), both over the last week's papers (`bot/recommend/`)."""

from __future__ import annotations

import asyncio
import sys
from datetime import date, timedelta

from bot.cards import card_for
from bot.commands.browse import find_paper
from bot.commands.spec import Arg, Ctx, Spec, UsageError, parse_limit, private
from bot.core import Core
from bot.model import PaperCard, Reply, paper_from_row
from bot.recommend import rank
from bot.recommend import vectors as vec
from bot.recommend.rank import Suggestion
from bot.text import plural
from storage import papers as paper_store
from storage import recommend as rec_store

RECENT_DAYS = 7
NOTHING_LIKED = (
    "Nothing to go on yet: save papers with /papers save <id>, or react 👍 to papers in a"
    " daily thread, then ask again."
)


def recent_window(core: Core) -> tuple[str, str]:
    """The last RECENT_DAYS days, today included (the sources' time zone)."""
    end = core.today()
    return (date.fromisoformat(end) - timedelta(days=RECENT_DAYS - 1)).isoformat(), end


async def _ready() -> None:
    """The first recommendation of a process imports scikit-learn: off the event loop."""
    if "sklearn.svm" not in sys.modules:
        await asyncio.to_thread(vec.warm_up)


def _no_recent(core: Core) -> list[Reply]:
    return private(
        f"No papers of the last {RECENT_DAYS} days are stored yet; `paperbot fetch` loads some."
    )


async def cards_for(core: Core, found: list[Suggestion]) -> tuple[PaperCard, ...]:
    """A card per suggestion, each saying which liked paper it is like."""
    out = []
    for i, s in enumerate(found, 1):
        row = paper_store.get_paper_row(core.db, s.paper_id)
        if row is not None:
            out.append(await card_for(core, paper_from_row(row), rank=i, like=s.like_title or ""))
    return tuple(out)


async def recommend(ctx: Ctx, args: str) -> list[Reply]:
    parts = args.split()
    if len(parts) > 1:
        raise UsageError("recommend takes at most one argument, the number of papers.")
    limit = parse_limit(parts[0] if parts else "")
    db = ctx.core.db
    signals = rank.user_signals(db, ctx.user)
    if not signals.liked:
        return private(NOTHING_LIKED)
    candidates = rec_store.recent_ids(db, *recent_window(ctx.core))
    if not candidates:
        return _no_recent(ctx.core)
    found = await rank.recommend_off_loop(db, signals, candidates, limit)
    if not found:
        return private(f"You already saved or voted on every paper of the last {RECENT_DAYS} days.")
    basis = plural(len(signals.liked), "paper")
    how = "a linear SVM" if signals.method == "svm" else "closeness"
    head = (
        f"Recommended for you: {plural(len(found), 'paper')} of the last {RECENT_DAYS} days,"
        f" by {how} to the {basis} you saved or liked"
    )
    return [Reply(text="", title=head, cards=await cards_for(ctx.core, found), private=True)]


async def similar(ctx: Ctx, args: str) -> list[Reply]:
    if len(args.split()) != 1:
        raise UsageError("similar takes one arXiv id or URL.")
    paper = await find_paper(ctx, args)
    return await similar_to(ctx.core, paper.id, paper.title)


async def similar_to(core: Core, paper_id: str, title: str, limit: int = 5) -> list[Reply]:
    """Papers of the last week like this one (also the card's "More like this" button)."""
    candidates = rec_store.recent_ids(core.db, *recent_window(core))
    if not candidates:
        return _no_recent(core)
    await _ready()
    found = rank.similar(core.db, paper_id, candidates, limit)
    name = " ".join(title.split())
    if not found:
        return private(f"Nothing of the last {RECENT_DAYS} days is like {name}.")
    cards = await cards_for(core, [Suggestion(s.paper_id, s.score) for s in found])
    head = f"Like “{name}”: {plural(len(cards), 'paper')} of the last {RECENT_DAYS} days"
    return [Reply(text="", title=head, cards=cards, private=True)]


SPECS = (
    Spec(
        "recommend",
        "recommend [limit 1-25]",
        "papers of the last week picked for you, from your library and 👍 reactions",
        ("/papers recommend", "/papers recommend 5"),
        recommend,
        args=(Arg("limit"),),
        slow=True,
    ),
    Spec(
        "similar",
        "similar <id or URL>",
        "papers of the last week like one paper",
        ("/papers similar 2509.24002",),
        similar,
        args=(Arg("paper", required=True),),
        slow=True,
    ),
)
