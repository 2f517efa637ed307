"""Making untrusted text (titles, abstracts, names, queries) inert in a Discord message.

Three layers, because each alone has holes: invisible and direction-changing characters are
removed (they hide mentions and spoof text); Discord markdown is backslash-escaped; mention
and mass-mention syntax is broken with a zero-width space. Messages are also sent with
`allowed_mentions` that pings nobody (see render.py), so escaping is about what people see.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"

# Zero-width, joiner, bidi-control, word-joiner, BOM, soft hyphen, Mongolian vowel separator.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")
# Headings, subtext, lists and quotes only mean something at a line start before a space.
_LINE_MARK = re.compile(r"^([ \t]*)(?=(?:#{1,3}|-#|[-+]|>{1,3})\s)", re.MULTILINE)
_LINE_NUMBER = re.compile(r"^([ \t]*\d+)\.(?=\s)", re.MULTILINE)
_URL = re.compile(r"(https?://[^\s<>]+)")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_ANGLE_MENTION = re.compile(r"<(?=[@#/:]|a:|t:|id:)")


def clean(text: str) -> str:
    """Drop invisible and control characters (they can hide a mention or spoof text).
    Look-alikes such as full-width `＠everyone` are left alone: Discord never treats them as
    mentions, and folding them would also mangle real titles (`x²` → `x2`)."""
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text)


def one_line(text: str) -> str:
    """Collapse runs of whitespace (arXiv hard line breaks) to single spaces."""
    return " ".join(clean(text).split())


def defang_mentions(text: str) -> str:
    """Break `@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>`, `</cmd:id>` and `<t:…>`."""
    text = _MASS_MENTION.sub(lambda m: "@" + ZWSP + m.group(1), text)
    return _ANGLE_MENTION.sub("<" + ZWSP, text)


def escape_markdown(text: str) -> str:
    """Backslash-escape what Discord markdown gives meaning to (emphasis, code, spoilers,
    masked links, and headings/lists/quotes at line start). URLs are left intact so they stay
    clickable; Discord does not parse markdown inside an autolinked URL."""
    parts = _URL.split(text)
    for i in range(0, len(parts), 2):  # even indexes are the text between URLs
        parts[i] = _MARKDOWN.sub(r"\\\1", parts[i])
    out = "".join(parts)
    out = _LINE_MARK.sub(r"\1\\", out)
    return _LINE_NUMBER.sub(r"\1\\.", out)


def safe(text: str, *, single_line: bool = False) -> str:
    """Untrusted text → text that renders literally and mentions nobody."""
    text = one_line(text) if single_line else clean(text)
    return defang_mentions(escape_markdown(text))


def plain(text: str) -> str:
    """For places without markdown (thread names, autocomplete labels): clean, one line,
    mentions broken."""
    return defang_mentions(one_line(text))
