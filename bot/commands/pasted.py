"""Papers pasted in chat: the cards of the arXiv / Hugging Face paper links in a message.

Both platforms come here — Slack's link unfurls (one card per link Slack names) and Discord's
"Paper card" message command (the cards of every paper link in the message) — so what a
pasted link shows is decided once. A paper not stored is looked up as `/papers show` does
(Hugging Face, then the arXiv API), summarised by `card_for` and stored.
"""

from __future__ import annotations

import logging

from bot.cards import card_for
from bot.commands.browse import lookup_paper
from bot.core import Core
from bot.model import PaperCard, Reply
from bot.sources.arxiv_ids import linked_arxiv_ids
from bot.sources.errors import SourceError
from bot.text import plural

log = logging.getLogger(__name__)

MAX_CARDS = 5  # a message with more links gets the first five: a card is a screenful
NO_LINK = "No paper link in this message (an arxiv.org, huggingface.co or hf.co paper page)."


async def cards_for_ids(core: Core, ids: list[str]) -> dict[str, PaperCard]:
    """A card per id that a source knows (at most MAX_CARDS ids are looked up); an id no
    source knows, or whose source fails, has none — a paste never answers with an error."""
    out: dict[str, PaperCard] = {}
    for pid in ids[:MAX_CARDS]:
        try:
            paper = await lookup_paper(core, pid)
        except SourceError as e:
            log.warning("pasted paper %s: %s", pid, e)
            continue
        if paper is not None:
            out[pid] = await card_for(core, paper)
    return out


async def pasted_reply(core: Core, text: str) -> Reply:
    """The private answer for a message's paper links: their cards, or one line saying there
    is none (or that none of them could be found)."""
    ids = linked_arxiv_ids(text)
    if not ids:
        return Reply(NO_LINK, private=True)
    cards = await cards_for_ids(core, ids)
    if not cards:
        return Reply(
            f"No paper found for {', '.join(ids[:MAX_CARDS])} (here, on Hugging Face or on arXiv).",
            private=True,
        )
    head = f"{plural(len(cards), 'paper')} linked in this message"
    if len(ids) > MAX_CARDS:
        head += f" (the first {MAX_CARDS} of {len(ids)} links)"
    return Reply("", cards=tuple(cards.values()), private=True, title=head)
