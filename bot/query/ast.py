"""The parsed form of a topic query: small frozen nodes, and their canonical text.

`describe` renders any node back to query syntax (parsing that text gives the same node);
it supplies the words of a "matched: …" line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One word, lower-cased; stemmed when matched. Inner punctuation (gpt-4o) makes it a phrase."""

    word: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """Quoted words that must appear next to each other, in order, in one field."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class Field:
    """A metadata filter: name is "cat", "author" or "org"; value is as typed."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Compare:
    """A threshold: field is "upvotes"; op one of >=, >, <=, <, =."""

    field: str
    op: str
    value: int


@dataclass(frozen=True, slots=True)
class Flag:
    """has:<name>, name is "code" (a GitHub repo) or "project" (a project page)."""

    name: str


Node = Term | Phrase | Or | And | Not | Field | Compare | Flag
TEXT_NODES = (Term, Phrase)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: `root` to compile or match; `text` the user's query with whitespace
    collapsed and quotes straightened (store this: it parses back to the same root)."""

    root: Node
    text: str


def _needs_quotes(value: str) -> bool:
    return not value or any(ch.isspace() or ch in '()"' for ch in value)


def describe(node: Node) -> str:
    """Canonical query text for `node`; parses back to an equal node."""
    if isinstance(node, Term):
        return node.word
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Field):
        value = f'"{node.value}"' if _needs_quotes(node.value) else node.value
        return f"{node.name}:{value}"
    if isinstance(node, Compare):
        return f"{node.field}{node.op}{node.value}"
    if isinstance(node, Flag):
        return f"has:{node.name}"
    if isinstance(node, Not):
        inner = describe(node.item)
        return f"-({inner})" if isinstance(node.item, And | Or) else f"-{inner}"
    if isinstance(node, Or):
        return " OR ".join(
            f"({describe(item)})" if isinstance(item, And) else describe(item)
            for item in node.items
        )
    return " ".join(
        f"({describe(item)})" if isinstance(item, Or) else describe(item) for item in node.items
    )


def has_positive(node: Node) -> bool:
    """True when the query asks for something, not only for things to leave out.

    An Or counts only if every branch does: `a OR -b` would let almost every paper through.
    """
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(has_positive(item) for item in node.items)
    if isinstance(node, Or):
        return all(has_positive(item) for item in node.items)
    return True


def positive_atoms(node: Node) -> tuple[Node, ...]:
    """The terms, phrases and filters a match can be explained by (those not under a `-`)."""
    if isinstance(node, Not):
        return ()
    if isinstance(node, And | Or):
        return tuple(atom for item in node.items for atom in positive_atoms(item))
    return (node,)
