"""Making untrusted text safe for Slack: escaping, links, mentions and clipping.

Slack turns `<…>` into links and pings (`<!channel>`, `<@U123>`), so every untrusted string is
escaped (`&`, `<`, `>`) before it reaches a message, and the only markup we emit is built here:
links to URLs the core supplied and mentions of user ids the core named.
"""

from __future__ import annotations

import re
from urllib.parse import quote

ELLIPSIS = "…"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
# Kept as-is in a URL; everything else (notably < > | " and non-ASCII) is percent-encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%-._~"


def escape(text: str) -> str:
    """Slack's three control characters; nothing else needs escaping to stop pings and links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(escaped: str, limit: int) -> str:
    """Cut already-escaped text to `limit` chars with a visible ellipsis, never inside an
    entity like `&amp;` and preferring a word boundary."""
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: max(0, limit - 1)]
    cut = _PARTIAL_ENTITY.sub("", cut)
    space = cut.rfind(" ")
    if space >= len(cut) * 0.7:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def one_line(text: str, limit: int) -> str:
    """Escaped and clipped, with all whitespace runs (arXiv hard breaks) folded to one space."""
    return clip(escape(" ".join(text.split())), limit)


def safe_url(url: str) -> str | None:
    """An http(s) URL that cannot break out of `<url|label>`; None if it is not one."""
    url = url.strip()
    if not _URL.match(url):
        return None
    return quote(url, safe=_URL_SAFE)


def link(url: str, label: str, limit: int = 600) -> str:
    """`<url|label>` with an escaped label, or just the escaped label when the URL is unusable."""
    target = safe_url(url)
    text = one_line(label, limit)
    if target is None:
        return text
    return f"<{escape(target)}|{text}>"


def mention(user_id: str) -> str | None:
    """`<@U123>` for a well-formed Slack user id; None for anything else (never a broadcast)."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else None
