"""A paper card → one Discord embed and its row of buttons: linked title, TL;DR, the HF
thumbnail, and the facts line (upvotes, comments, stars, organisation, authors, keywords) in
the footer; buttons PDF, Code ⭐N, Project, Save and More like this.

One embed normally; a TL;DR too long for one embed continues in more embeds (never cut).
A title longer than Discord allows is shortened with an ellipsis *and* repeated in full at
the top of the description, so nothing is lost silently.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.discord.escape import plain, safe
from adapters.discord.limits import (
    BUTTON_LABEL_MAX,
    BUTTON_URL_MAX,
    BUTTONS_PER_ROW,
    CUSTOM_ID_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_TITLE_MAX,
    EMBEDS_TOTAL_MAX,
    FOOTER_MAX,
    shorten,
    split_text,
)
from bot.cards import (
    SAVE_LABEL,
    card_keywords,
    card_links,
    compact_facts,
    compact_tldr,
    context_facts,
)
from bot.model import PaperCard

COLOR = 0xFFD21E  # Hugging Face yellow
URL_MAX = 2048
FOOTER_SHOWN = 500  # facts (authors ≤ 2 × 100, organisation ≤ 100) and 3 keywords ≤ 40
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\|]+$")
ACTION_ROW, LINK_STYLE, SECONDARY_STYLE = 1, 5, 2
SIMILAR_LABEL = "More like this"
SIMILAR_ID = "paperbot:similar:"  # + paper id; answered by adapters/discord/discover.py
SAVE_PREFIX = "paperbot:save:"  # + the arXiv id: a custom_id that means the same after a restart


def safe_url(url: str) -> str | None:
    """A URL usable as an embed/markdown link target, or None. Parentheses and brackets are
    percent-encoded so a link cannot close the markdown around it early."""
    url = url.strip().replace("(", "%28").replace(")", "%29")
    url = url.replace("[", "%5B").replace("]", "%5D")
    if _MASS_MENTION.search(url):  # nothing that even reads as @everyone/@here
        return None
    return url if len(url) <= URL_MAX and _SAFE_URL.match(url) else None


def link_label(label: str) -> str:
    """A masked link's visible text; never empty, or the link could not be clicked."""
    return safe(label, single_line=True) or "link"


def embed_length(embed: dict[str, Any]) -> int:
    """Characters Discord counts toward its 6,000 per message."""
    n = len(embed.get("title", "")) + len(embed.get("description", ""))
    n += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    return n + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))


def _link_button(label: str, url: str) -> dict[str, Any] | None:
    target = safe_url(url)
    if not target or len(target) > BUTTON_URL_MAX:
        return None  # a cut URL leads nowhere
    label = shorten(plain(label), BUTTON_LABEL_MAX)
    return {"type": 2, "style": LINK_STYLE, "label": label, "url": target}


def card_buttons(card: PaperCard, prefix: str = "", slot: int = 0) -> list[dict[str, Any]]:
    """Every button of a card, in order — the one place they are built (a new button is one
    line here): PDF, Code ⭐N, Project (`bot.cards.card_links`), then Save and More like this.
    `prefix` ("1 · ") tells the rows apart when one message shows several cards; `slot` (the
    card's place in its reply) keeps custom ids unique in a message even if a paper appears
    twice."""
    buttons = [_link_button(prefix + link.label, link.url) for link in card_links(card)]
    save_id = SAVE_PREFIX + card.paper_id + (f":{slot}" if slot else "")
    if len(save_id) <= CUSTOM_ID_MAX:
        label = shorten(prefix + SAVE_LABEL, BUTTON_LABEL_MAX)
        buttons.append({"type": 2, "style": SECONDARY_STYLE, "label": label, "custom_id": save_id})
    similar_id = SIMILAR_ID + card.paper_id + (f":{slot}" if slot else "")
    if len(similar_id) <= CUSTOM_ID_MAX:
        label = shorten(prefix + SIMILAR_LABEL, BUTTON_LABEL_MAX)
        buttons.append(
            {"type": 2, "style": SECONDARY_STYLE, "label": label, "custom_id": similar_id}
        )
    return [b for b in buttons if b][:BUTTONS_PER_ROW]


def action_row(buttons: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": ACTION_ROW, "components": buttons}


def button_paper_id(custom_id: str, prefix: str) -> str | None:
    """The paper a card button's `custom_id` (`prefix` + id, maybe `:slot`) names, or None
    when it is not that kind of button."""
    if not custom_id.startswith(prefix):
        return None
    return custom_id[len(prefix) :].split(":", 1)[0] or None  # arXiv ids hold no ":"


def saved_paper_id(custom_id: str) -> str | None:
    """The paper a Save button's `custom_id` names, or None when it is not one of ours."""
    return button_paper_id(custom_id, SAVE_PREFIX)


def _facts_line(card: PaperCard) -> str:
    """The footer: `▲ 55 · 💬 3 · ⭐ 6.3k · NVIDIA · Qinsi Wang, Bo Liu et al.`, then up to 3
    keywords. The keywords sit here rather than on a line of their own under the TL;DR: the
    footer is small type across the whole embed, the description a narrower column beside the
    thumbnail (#11: a reply's height). Footers show no markdown, so the untrusted parts only
    lose control characters and have mentions broken."""
    parts = [*context_facts(card), *card_keywords(card)]
    return " · ".join(p for p in (plain(f) for f in parts) if p)


def _description(card: PaperCard, full_title: str, title_cut: bool) -> str:
    parts = []
    if title_cut:
        parts.append(f"**{full_title}**")
    tldr = safe(card.tldr).strip()
    if tldr:
        parts.append(tldr)
    matched = safe(card.matched_label(), single_line=True)
    if matched:
        parts.append(matched)
    like = safe(card.like, single_line=True)
    if like:
        parts.append(f"like *{like}*")
    return "\n".join(parts)


def card_embeds(card: PaperCard, *, reserve: int = 0) -> list[dict[str, Any]]:
    """The embeds for one card — one, unless the TL;DR needs more — each within Discord's
    embed limits, `reserve` characters of the message's 6,000 left free (for a ref added to
    the footer). The title links to the HF page; the thumbnail is an https URL or absent."""
    name = safe(card.title, single_line=True) or safe(card.paper_id, single_line=True)
    full_title = f"{card.rank}. {name}" if card.rank is not None else name
    title = shorten(full_title, EMBED_TITLE_MAX)
    first: dict[str, Any] = {"type": "rich", "title": title, "color": COLOR}
    url = safe_url(card.url)
    if url:
        first["url"] = url
    thumb = card.thumbnail
    if thumb and thumb.startswith("https://") and safe_url(thumb) == thumb:
        first["thumbnail"] = {"url": thumb}
    footer = _facts_line(card) or f"arXiv {plain(card.paper_id)}"
    first["footer"] = {"text": shorten(footer, min(FOOTER_MAX, FOOTER_SHOWN))}
    budget = min(EMBED_DESCRIPTION_MAX, EMBEDS_TOTAL_MAX - reserve - embed_length(first))
    description = _description(card, full_title, title != full_title)
    pieces = split_text(description, EMBED_DESCRIPTION_MAX, first_limit=budget)
    embeds = [first]
    if pieces:
        first["description"] = pieces.pop(0)
    for piece in pieces:
        embeds.append({"type": "rich", "description": piece, "color": COLOR})
    return embeds


def compact_line(card: PaperCard) -> str:
    """A compact channel's line: `**1. [title](url)** · ▲ 55 · ⭐ 6.3k · the TL;DR`."""
    name = safe(card.title, single_line=True) or safe(card.paper_id, single_line=True)
    name = shorten(name, EMBED_TITLE_MAX)
    url = safe_url(card.url)
    rank = f"{card.rank}. " if card.rank is not None else ""
    title = f"**{rank}[{name}]({url})**" if url else f"**{rank}{name}**"
    tldr = safe(compact_tldr(card), single_line=True)
    return " · ".join([title, *compact_facts(card), *([tldr] if tldr else [])])


def compact_embeds(cards: tuple[PaperCard, ...]) -> list[dict[str, Any]]:
    """Several papers as lines in one embed's description; lines that do not fit continue in
    more embeds (whole lines, never cut). The message packer keeps the 6,000 per message."""
    descriptions: list[list[str]] = [[]]
    for line in (compact_line(c) for c in cards):
        if descriptions[-1] and len("\n".join([*descriptions[-1], line])) > EMBED_DESCRIPTION_MAX:
            descriptions.append([])
        descriptions[-1].append(line)
    return [
        {"type": "rich", "description": "\n".join(lines), "color": COLOR}
        for lines in descriptions
        if lines
    ]
