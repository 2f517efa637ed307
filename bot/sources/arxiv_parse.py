"""Parse arXiv API Atom feeds into `Paper`s.

Lookups are by namespace and tag, never by position: the 2016 and 2026 backends order the
elements of an entry differently and declare namespaces in different places. The standard
library parser is enough here: it resolves no external entities, modern expat caps entity
expansion, and a feed that declares a DOCTYPE is refused outright (arXiv never sends one).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

from bot.model import Paper
from bot.sources.arxiv_ids import split_version
from bot.sources.errors import MalformedResponse
from bot.text import clean_line

log = logging.getLogger(__name__)

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_FEED_TAG = f"{{{NS['atom']}}}feed"


def parse_atom(xml: str | bytes) -> list[Paper]:
    """An arXiv API response body -> its papers; [] for an empty feed.

    Raises MalformedResponse for unparsable XML, a non-feed document, or arXiv's own error
    entry (what it sends with HTTP 400, e.g. "incorrect id format for abc").
    """
    root = _parse_feed(xml)
    papers = []
    for index, entry in enumerate(root.findall("atom:entry", NS)):
        _raise_if_error_entry(entry)
        paper = _paper_from_entry(entry)
        if paper is None:
            log.warning("arXiv feed: skipped entry %d without a usable id or title", index)
            continue
        papers.append(paper)
    return papers


def safe_xml(xml: str | bytes, service: str = "arXiv") -> ET.Element:
    """The document's root; MalformedResponse for unparsable XML or any DTD (the API and the
    announcement feeds share this: neither ever sends one, and refusing it rules out entity
    tricks without another dependency)."""
    data = xml if isinstance(xml, bytes) else xml.encode("utf-8")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise MalformedResponse(
            f"{service} answered with an XML document type declaration; refused"
        )
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise MalformedResponse(f"{service} answered with unparsable XML ({exc})") from None


def _parse_feed(xml: str | bytes) -> ET.Element:
    root = safe_xml(xml)
    if root.tag != _FEED_TAG:
        raise MalformedResponse(f"arXiv answered with <{_local(root.tag)}>, not an Atom <feed>")
    return root


def _raise_if_error_entry(entry: ET.Element) -> None:
    entry_id = _child_text(entry, "atom:id") or ""
    if _child_text(entry, "atom:title") == "Error" and "/api/errors" in entry_id:
        summary = _child_text(entry, "atom:summary") or "unknown error"
        raise MalformedResponse(f"arXiv rejected the query: {summary}")


def _paper_from_entry(entry: ET.Element) -> Paper | None:
    raw_id = (_child_text(entry, "atom:id") or "").rsplit("/abs/", 1)[-1]
    parts = split_version(raw_id)
    title = _child_text(entry, "atom:title")
    if parts is None or not title:
        return None
    primary = _attr(entry.find("arxiv:primary_category", NS), "term")
    categories = [primary] if primary else []
    categories += [_attr(c, "term") for c in entry.findall("atom:category", NS)]
    return Paper(
        id=parts[0],
        version=parts[1],
        title=title,
        abstract=_child_text(entry, "atom:summary") or "",
        authors=tuple(
            name for a in entry.findall("atom:author", NS) if (name := _child_text(a, "atom:name"))
        ),
        categories=tuple(dict.fromkeys(c for c in categories if c)),
        primary_category=primary,
        comment=_child_text(entry, "arxiv:comment"),
        doi=_child_text(entry, "arxiv:doi"),
        journal_ref=_child_text(entry, "arxiv:journal_ref"),
        published_at=_child_text(entry, "atom:published"),
    )


def _child_text(element: ET.Element, path: str) -> str | None:
    """The child's text with whitespace collapsed and control characters removed (XML allows
    C1 controls), or None when missing or blank."""
    child = element.find(path, NS)
    if child is None or child.text is None:
        return None
    return clean_line(child.text) or None


def _attr(element: ET.Element | None, name: str) -> str | None:
    if element is None:
        return None
    return (element.get(name) or "").strip() or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
