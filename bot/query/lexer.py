"""Cut a query string into tokens: words, quoted phrases, field filters, operators.

Hand-written and total: every input either becomes tokens or raises a `QueryError` whose
position (1-based) points at the problem. Nothing here interprets what a word means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.query.errors import QueryError

MAX_QUERY_CHARS = 200
# Slack and macOS turn typed quotes into curly ones; treat them all as the ASCII quote.
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\uff02"})
_FIELD = re.compile(r"([A-Za-z_]+):")
_COMPARE = re.compile(r"upvotes\s*(>=|<=|=>|=<|>|<|=)\s*([^\s()\"]*)", re.IGNORECASE)
_STOP = frozenset('()"')

FIELD_NAMES = {
    "cat": "cat",
    "category": "cat",
    "author": "author",
    "authors": "author",
    "org": "org",
    "organization": "org",
    "organisation": "org",
    "has": "has",
}
FIELD_HELP = "use cat:, author:, org:, upvotes>=N or has:code"
MAX_UPVOTES = 999_999_999  # keeps the number far inside SQLite's 64-bit integers
UPVOTES_EXAMPLE = (
    f"upvotes needs a comparison and a whole number from 0 to {MAX_UPVOTES} — example: upvotes>=20"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # LPAREN RPAREN MINUS OR AND WORD PHRASE FIELD COMPARE EOF
    text: str  # the word / phrase / field value / number
    pos: int  # 1-based position in the query
    name: str = ""  # FIELD: canonical field name; COMPARE: the operator


def normalise(text: str) -> str:
    """Same length as `text`: curly quotes made straight; control, format and odd space chars,
    and lone surrogates (which SQLite cannot take) made plain spaces."""
    if text.isascii() and text.isprintable():  # the common case: nothing to replace
        return text
    out = []
    for ch in text.translate(_QUOTES):
        category = unicodedata.category(ch)
        out.append(" " if category[0] == "Z" or category in ("Cc", "Cf", "Cs") else ch)
    return "".join(out)


def tokenize(raw: str) -> list[Token]:
    if len(raw.strip()) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query is too long ({len(raw.strip())} characters, at most {MAX_QUERY_CHARS})"
            " — example: diffusion video"
        )
    text = normalise(raw)
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token("LPAREN" if ch == "(" else "RPAREN", ch, i + 1))
            i += 1
        elif ch == '"':
            phrase, i = _read_quoted(text, i)
            tokens.append(Token("PHRASE", phrase, i + 1))
        elif ch == "-" and i + 1 < len(text) and not text[i + 1].isspace() and text[i + 1] != ")":
            tokens.append(Token("MINUS", "-", i + 1))
            i += 1
        else:
            token, i = _read_bare(text, i)
            tokens.append(token)
    tokens.append(Token("EOF", "", len(text) + 1))
    return tokens


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at `start` and its partner; the index after the partner."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(
            f'unterminated quote at position {start + 1} — example: "state space model"'
        )
    return text[start + 1 : end], end + 1


def _chunk_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace() and text[i] not in _STOP:
        i += 1
    return i


def _read_bare(text: str, start: int) -> tuple[Token, int]:
    compare = _COMPARE.match(text, start)
    if compare:
        return Token("COMPARE", compare.group(2), start + 1, compare.group(1)), compare.end()
    field = _FIELD.match(text, start)
    if field:
        return _read_field(text, start, field)
    end = _chunk_end(text, start)
    chunk = text[start:end]
    if chunk.upper() in ("OR", "AND"):
        return Token(chunk.upper(), chunk, start + 1), end
    return Token("WORD", chunk, start + 1), end


def _read_field(text: str, start: int, field: re.Match[str]) -> tuple[Token, int]:
    raw_name = field.group(1)
    name = FIELD_NAMES.get(raw_name.lower())
    if raw_name.lower() == "upvotes":
        raise QueryError(UPVOTES_EXAMPLE)
    if name is None:
        raise QueryError(f"unknown field '{raw_name}:' — {FIELD_HELP}")
    i = field.end()
    if i < len(text) and text[i] == '"':
        value, end = _read_quoted(text, i)
    else:
        end = _chunk_end(text, i)
        value = text[i:end]
    return Token("FIELD", value, start + 1, name), end
