"""A reply as a terminal (TTY) shows it, with `rich`: the card the platforms post, styled.

Bold title as a hyperlink (OSC 8) to the paper's page, a dim context line (`▲ 55 · 💬 3 ·
⭐ 6.3k · NVIDIA · authors`), the TL;DR, the links. Piped output is `render.render_reply`'s
plain text instead: no escape code at all.

What reaches the terminal is built only from `rich.text.Text` objects (never markup, which
untrusted text could use to style itself), each string cleaned by `bot.text.printable`, so the
only escape sequences written are rich's own SGR styling and the OSC 8 links built here from
URLs that `link_target` accepts. `rich` is imported here, and this module only when the shell
runs on a TTY, so `paperbot --help` never pays for it.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from adapters.shell.render import card_heading, context_line
from bot.model import Link, PaperCard, Reply
from bot.text import URL_MAX, printable

# Printable ASCII with no space: nothing in it can end the OSC 8 sequence (ST is ESC \) or
# start another, and a terminal shows the address the user will open.
_SAFE_URL = re.compile(r"https?://[!-~]+")
DIM = Style(dim=True)


def link_target(url: str) -> str | None:
    """`url` when the shell may make it a terminal hyperlink, else None (shown as text only)."""
    return url if len(url) <= URL_MAX and _SAFE_URL.fullmatch(url) else None


def _text(text: str, style: Style | str = "", link: str | None = None) -> Text:
    target = link_target(link) if link else None
    base = Style.parse(style) if isinstance(style, str) else style
    return Text(printable(text), style=base + Style(link=target) if target else base)


def _link_line(link: Link) -> Text:
    line = Text(no_wrap=True, overflow="ignore")  # a URL is never folded
    line.append_text(_text(link.label + ": ", DIM))
    line.append_text(_text(link.url, link=link.url))
    return line


def card_renderable(card: PaperCard) -> Any:
    body: list[Text] = []
    if meta := context_line(card):
        body.append(_text(meta, DIM))
    if card.tldr:
        body.append(_text(card.tldr))
    if card.keywords:
        body.append(_text("Keywords: " + ", ".join(card.keywords), DIM))
    if card.matched:
        body.append(_text("matched: " + ", ".join(card.matched), DIM))
    body += [_link_line(link) for link in card.links]
    title = _text(card_heading(card), "bold", link=card.url)
    # One Padding per line: a shared one would pad every line to the widest with spaces.
    return Group(title, *(Padding(line, (0, 0, 0, 3), expand=False) for line in body))


def reply_renderable(reply: Reply) -> Any:
    """The whole reply as one rich renderable (print it on a Console with markup off)."""
    if reply.preformatted:
        return _text(reply.text)
    parts: list[Any] = []
    if reply.title:
        parts.append(_text(reply.title, "bold"))
    if reply.text.strip():
        parts.append(_text(reply.text, "red" if reply.is_error else ""))
    parts += [_link_line(link) for link in reply.links]
    for card in reply.cards:
        if parts:
            parts.append(Text(""))
        parts.append(card_renderable(card))
    return Group(*parts)


def print_reply(console: Any, reply: Reply) -> None:
    """`reply` on `console`, then a blank line; preformatted text (BibTeX) is never folded."""
    keep = {"no_wrap": True, "overflow": "ignore", "crop": False} if reply.preformatted else {}
    console.print(reply_renderable(reply), **keep)
    console.print()


def console(out: Any, width: int) -> Any:
    """A Console that styles `out` (a TTY) and interprets nothing it is given."""
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=True,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
