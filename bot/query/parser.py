"""Recursive-descent parser for the topic query language (SPEC §5).

Grammar (OR binds tighter than the implicit AND between terms):

    query   := and_expr EOF
    and_expr:= or_expr ( [AND] or_expr )*
    or_expr := unary ( OR unary )*
    unary   := "-"* atom                    ("--x" is read as "-x")
    atom    := WORD | PHRASE | FIELD | COMPARE | "(" and_expr ")"

OR and AND are operators in any case ("rlhf or dpo"); to search the word, quote it.

Words with nothing searchable in them (a lone "&", "***") are dropped rather than refused.
A query must ask for something: one that only excludes (`-survey`) is refused unless the
caller passes `allow_exclusion_only=True` (channel filters, where "everything but surveys"
is a sensible wish; a subscription that matches every paper is not).
"""

from __future__ import annotations

import re
import unicodedata

from bot.query.ast import (
    And,
    Compare,
    Field,
    Flag,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    Term,
    has_positive,
)
from bot.query.errors import QueryError
from bot.query.fts_text import fts_words, is_word_char
from bot.query.lexer import MAX_UPVOTES, UPVOTES_EXAMPLE, Token, normalise, tokenize
from bot.text import whole_number

_CATEGORY = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{0,39}")
_FLAGS = {
    "code": "code",
    "github": "code",
    "repo": "code",
    "project": "project",
    "page": "project",
    "project_page": "project",
    "projectpage": "project",
}
_OPS = {">=": ">=", "=>": ">=", "<=": "<=", "=<": "<=", ">": ">", "<": "<", "=": "="}
_OR_EXAMPLE = "OR needs a term on both sides — example: rlhf OR dpo"
_AND_EXAMPLE = "AND needs a term on both sides — example: diffusion AND video"
_NOT_EXAMPLE = "'-' needs a word right after it to exclude — example: diffusion -survey"
_EMPTY = "a query needs at least one word or filter to look for — example: diffusion -survey"
_ONLY_EXCLUSIONS = (
    "a query needs at least one word or filter to look for, not only exclusions"
    " — example: diffusion -survey"
)
_ENDS_OPERAND = frozenset({"EOF", "RPAREN", "OR", "AND"})
MAX_NESTING = 10  # parentheses inside parentheses; keeps recursion and SQL depth small


def parse_query(text: str, *, allow_exclusion_only: bool = False) -> Query:
    """Parse a user's query, or raise `QueryError` with one line saying what to fix."""
    parser = _Parser(tokenize(text))
    root = parser.parse()
    if root is None:
        raise QueryError(_EMPTY)
    if not allow_exclusion_only and not has_positive(root):
        raise QueryError(_ONLY_EXCLUSIONS)
    return Query(root=root, text=" ".join(normalise(text).split()))


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _next(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node | None:
        root = self._and_expr()
        if self.tok.kind == "RPAREN":
            raise _unbalanced(self.tok.pos)
        return root

    def _and_expr(self) -> Node | None:
        items: list[Node] = []
        while self.tok.kind not in ("EOF", "RPAREN"):
            if self.tok.kind == "OR":
                raise QueryError(_OR_EXAMPLE)
            if self.tok.kind == "AND":
                self._next()
                if not items or self.tok.kind in _ENDS_OPERAND:
                    raise QueryError(_AND_EXAMPLE)
                continue
            node = self._or_expr()
            if node is not None:
                items.append(node)
        return _combine(And, items)

    def _or_expr(self) -> Node | None:
        items = [self._unary()]
        while self.tok.kind == "OR":
            self._next()
            if self.tok.kind in _ENDS_OPERAND:
                raise QueryError(_OR_EXAMPLE)
            items.append(self._unary())
        return _combine(Or, [item for item in items if item is not None])

    def _unary(self) -> Node | None:
        if self.tok.kind != "MINUS":
            return self._atom()
        while self.tok.kind == "MINUS":  # "--survey" is a typo for "-survey"
            self._next()
        if self.tok.kind in _ENDS_OPERAND:
            raise QueryError(_NOT_EXAMPLE)
        item = self._atom()
        if item is None:
            return None
        return item.item if isinstance(item, Not) else Not(item)

    def _atom(self) -> Node | None:
        token = self._next()
        if token.kind == "LPAREN":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QueryError(
                    f"too many parentheses inside each other (at most {MAX_NESTING})"
                    " — example: (rlhf OR dpo) alignment"
                )
            inner = self._and_expr()
            self.depth -= 1
            if self.tok.kind != "RPAREN":
                raise _unbalanced(token.pos)
            self._next()
            if inner is None:
                raise QueryError(
                    f"nothing to look for inside the parentheses at position {token.pos}"
                    " — example: (rlhf OR dpo) alignment"
                )
            return inner
        if token.kind == "WORD":
            return _word(token.text)
        if token.kind == "PHRASE":
            return _phrase(token.text)
        if token.kind == "FIELD":
            return _field(token)
        if token.kind == "COMPARE":
            return _compare(token)
        raise AssertionError(f"unexpected token {token.kind}")  # _and_expr filters the rest


def _unbalanced(pos: int) -> QueryError:
    return QueryError(
        f"unbalanced parenthesis at position {pos} — example: (rlhf OR dpo) alignment"
    )


def _combine(kind: type[And] | type[Or], items: list[Node]) -> Node | None:
    """One node from many: flatten nested nodes of the same kind and drop repeats."""
    flat: list[Node] = []
    for item in items:
        for part in item.items if isinstance(item, kind) else (item,):
            if part not in flat:
                flat.append(part)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_READS_AS_COMPARE = re.compile(r"upvotes\s*[<>=]")


def _word(text: str) -> Node | None:
    """A word without the punctuation around it; None if nothing in it can be searched."""
    chars = _clean(text)
    start, end = 0, len(chars)
    while start < end and not is_word_char(chars[start]):
        start += 1
    while end > start and not is_word_char(chars[end - 1]):
        end -= 1
    word = chars[start:end].lower()
    if not word or not fts_words(word):
        return None
    # Keep the canonical text re-parseable: these would read back as an operator or a field.
    if word.upper() in ("OR", "AND") or ":" in word or _READS_AS_COMPARE.match(word):
        return Phrase((word,))
    return Term(word)


def _phrase(text: str) -> Node | None:
    words = tuple(_clean(text).lower().split())
    return Phrase(words) if fts_words(" ".join(words)) else None


def _field(token: Token) -> Node:
    value = _clean(token.text)
    if token.name == "has":
        flag = _FLAGS.get(value.lower())
        if flag is None:
            raise QueryError(f"unknown flag 'has:{value}' — use has:code or has:project")
        return Flag(flag)
    if not value:
        example = {"cat": "cat:cs.CL", "author": 'author:"Yann LeCun"', "org": "org:nvidia"}
        raise QueryError(f"{token.name}: needs a value — example: {example[token.name]}")
    if token.name == "cat" and not _CATEGORY.fullmatch(value):
        raise QueryError("cat: needs an arXiv category — example: cat:cs.CL")
    if token.name == "author" and not fts_words(value):
        raise QueryError('author: needs a name — example: author:"Yann LeCun"')
    return Field(token.name, value)


def _compare(token: Token) -> Node:
    digits = token.text
    n = whole_number(digits, 0, MAX_UPVOTES)
    if n is None:
        raise QueryError(UPVOTES_EXAMPLE)
    return Compare("upvotes", _OPS[token.name], n)
