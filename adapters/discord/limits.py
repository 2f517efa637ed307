"""Discord's message limits (SPEC §8) and the one splitter that respects them.

Long text is split at paragraph, line, then word boundaries — never silently truncated — and
a cut never separates a backslash escape from the character it escapes.
"""

from __future__ import annotations

CONTENT_MAX = 2000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBEDS_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
THREAD_NAME_MAX = 100
ALLOWED_USERS_MAX = 100
NONCE_MAX = 25
CHOICES_MAX = 25
CHOICE_TEXT_MAX = 100
# https://discord.com/developers/docs/components/reference#button and #action-row
ACTION_ROWS_MAX = 5  # per message
BUTTONS_PER_ROW = 5
BUTTON_LABEL_MAX = 80
BUTTON_URL_MAX = 512
CUSTOM_ID_MAX = 100

ELLIPSIS = "…"


def split_text(text: str, limit: int, first_limit: int | None = None) -> list[str]:
    """Pieces of `text`, each at most `limit` characters (the first at most `first_limit`);
    joined with whitespace they read as the original. Empty text gives no pieces."""
    if min(limit, first_limit or limit) < 2:
        raise ValueError("limit too small")
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        lim = first_limit if first_limit is not None and not pieces else limit
        if len(rest) <= lim:
            pieces.append(rest)
            break
        cut = _cut_point(rest, lim)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [p for p in pieces if p]


def _cut_point(text: str, limit: int) -> int:
    window = text[: limit + 1]
    for sep in ("\n\n", "\n", " "):
        i = window.rfind(sep, 0, limit)
        if i > limit // 2:
            return i
    cut = limit
    while cut > 1 and text[cut - 1] == "\\":
        cut -= 1
    return cut


def shorten(text: str, limit: int) -> str:
    """`text` if it fits, else cut at a word boundary with a visible ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    while head.endswith("\\"):
        head = head[:-1]
    return head.rstrip() + ELLIPSIS
