"""Neutral replies → terminal text: wrapped prose; URLs kept whole so they stay clickable.

Everything printed is untrusted (titles, abstracts, what a server answered), and a terminal
obeys control characters: ESC and C1 sequences can retitle or clear it or make it type into
stdin. `render_reply` strips them (`bot.text.printable`) from every line, keeping line breaks.
"""

from __future__ import annotations

import re
import textwrap

from bot.cards import ET_AL, context_facts
from bot.model import PaperCard, Reply
from bot.summaries.overview import headline_text
from bot.text import printable

_URL = re.compile(r"https?://\S+")


def _wrap(text: str, width: int, indent: str = "", hang: str = "   ") -> list[str]:
    out: list[str] = []
    for line in printable(text).splitlines() or [""]:  # cleaned first: widths come out right
        if not line.strip():
            out.append("")
            continue
        if _URL.fullmatch(line.strip()):
            out.append(indent + line.strip())
            continue
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                initial_indent=indent,
                subsequent_indent=indent + hang,
                break_long_words=False,  # never split a URL or an id
                break_on_hyphens=False,
            )
            or [indent]
        )
    return out


def context_line(card: PaperCard) -> str:
    """`▲ 55 · 💬 3 · ⭐ 6.3k · NVIDIA · Qinsi Wang, Bo Liu, Jiyang Liu et al.`: the platforms'
    context facts (`bot.cards.context_facts`), with every author the card carries — a terminal
    line has the room."""
    names = [a for a in card.authors if a != ET_AL]
    return " · ".join(context_facts(card, authors=len(names)))


def card_heading(card: PaperCard) -> str:
    return (f"{card.rank}. " if card.rank is not None else "") + card.title


def render_card(card: PaperCard, width: int = 88) -> list[str]:
    lines = _wrap(card_heading(card), width)
    if meta := context_line(card):
        lines += _wrap(meta, width, "   ", "")
    if card.tldr:
        lines += _wrap(f"TL;DR: {card.tldr}", width, "   ", "")
    if card.keywords:
        lines += _wrap("Keywords: " + ", ".join(card.keywords), width, "   ", "")
    if card.matched_label():
        lines += _wrap(card.matched_label(), width, "   ", "")
    if card.like:
        lines += _wrap(f"like “{card.like}”", width, "   ", "")
    for link in card.links:
        lines.append(f"   {link.label + ':':9}{link.url}")
    return lines


def render_reply(reply: Reply, width: int = 88) -> str:
    """The terminal text of `reply`, free of control characters (see the module docstring)."""
    return printable(_render(reply, width))


def _render(reply: Reply, width: int) -> str:
    if reply.preformatted:
        return reply.text
    # The title, the body, the message's links, then the cards: each said once by the core.
    lines = _wrap(reply.title, width) if reply.title else []
    if reply.text.strip():
        lines += _wrap(reply.text, width)
    if reply.headline is not None:  # the parent of a day's thread
        lines += _wrap(headline_text(reply.headline), width)
    lines += [f"{link.label}: {link.url}" for link in reply.links]
    for card in reply.cards:
        if lines:
            lines.append("")
        lines += render_card(card, width)
    return "\n".join(lines)
