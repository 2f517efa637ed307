"""A paper card → Discord embeds: linked title, TL;DR, authors, upvotes, keywords, links.

One embed normally; a TL;DR too long for one embed continues in more embeds (never cut).
A title longer than Discord allows is shortened with an ellipsis *and* repeated in full at
the top of the description, so nothing is lost silently.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.discord.escape import plain, safe
from adapters.discord.limits import (
    EMBED_DESCRIPTION_MAX,
    EMBED_TITLE_MAX,
    EMBEDS_TOTAL_MAX,
    FIELD_VALUE_MAX,
    FOOTER_MAX,
    shorten,
    split_text,
)
from bot.model import Link, PaperCard

COLOR = 0xFFD21E  # Hugging Face yellow
URL_MAX = 2048
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]\"'`\\|]+$")
SOURCES = {"llm": "LLM summary", "hf": "Hugging Face AI summary", "extractive": "from the abstract"}


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


def _joined(items: list[str], sep: str, limit: int) -> str:
    """Join whole items while they fit, then say how many were left out."""
    out: list[str] = []
    for i, item in enumerate(items):
        more = f"{sep}+{len(items) - i} more"
        if len(sep.join([*out, item])) + len(more) > limit:
            if not out:
                return shorten(item, limit)
            return sep.join(out) + more
        out.append(item)
    return sep.join(out)


def _links(links: tuple[Link, ...]) -> str:
    parts = []
    for link in links:
        url = safe_url(link.url)
        if url:
            parts.append(f"[{link_label(link.label)}]({url})")
    return _joined(parts, " · ", FIELD_VALUE_MAX)


def _fields(card: PaperCard) -> list[dict[str, Any]]:
    fields = []
    authors = [a for a in (safe(x, single_line=True) for x in card.authors) if a]
    if authors:
        fields.append({"name": "Authors", "value": _joined(authors, ", ", FIELD_VALUE_MAX)})
    if card.upvotes is not None:
        fields.append({"name": "Upvotes", "value": f"▲ {card.upvotes}", "inline": True})
    keywords = [k for k in (safe(x, single_line=True) for x in card.keywords) if k]
    if keywords:
        value = _joined(keywords, " · ", FIELD_VALUE_MAX)
        fields.append({"name": "Keywords", "value": value, "inline": True})
    links = _links(card.links)
    if links:
        fields.append({"name": "Links", "value": links})
    return fields


def _description(card: PaperCard, full_title: str, title_cut: bool) -> str:
    parts = []
    if title_cut:
        parts.append(f"**{full_title}**")
    tldr = safe(card.tldr).strip()
    if tldr:
        parts.append(tldr)
    matched = [m for m in (safe(x, single_line=True) for x in card.matched) if m]
    if matched:
        parts.append("matched: " + ", ".join(matched))
    like = safe(card.like, single_line=True)
    if like:
        parts.append(f"like *{like}*")
    return "\n\n".join(parts)


def card_embeds(card: PaperCard, *, reserve: int = 0) -> list[dict[str, Any]]:
    """The embeds for one card, each within Discord's embed limits, `reserve` characters of the
    message's 6,000 left free (for a ref added to the footer)."""
    name = safe(card.title, single_line=True) or safe(card.paper_id, single_line=True)
    full_title = f"{card.rank}. {name}" if card.rank is not None else name
    title = shorten(full_title, EMBED_TITLE_MAX)
    source = SOURCES.get(card.summary_source, plain(card.summary_source))
    footer = f"arXiv {plain(card.paper_id)}"  # footers show no markdown: nothing to escape
    if source:
        footer += f" · TL;DR: {source}"
    first: dict[str, Any] = {"type": "rich", "title": title, "color": COLOR}
    url = safe_url(card.url)
    if url:
        first["url"] = url
    fields = _fields(card)
    if fields:
        first["fields"] = fields
    first["footer"] = {"text": shorten(footer, min(FOOTER_MAX, 300))}
    budget = min(EMBED_DESCRIPTION_MAX, EMBEDS_TOTAL_MAX - reserve - embed_length(first))
    description = _description(card, full_title, title != full_title)
    pieces = split_text(description, EMBED_DESCRIPTION_MAX, first_limit=budget)
    embeds = [first]
    if pieces:
        first["description"] = pieces.pop(0)
    for piece in pieces:
        embeds.append({"type": "rich", "description": piece, "color": COLOR})
    return embeds
