"""Parse arXiv's daily announcement feed (RSS 2.0) into papers and how each was announced.

The format is arXiv's own "RSS feed Specifications"
(https://info.arxiv.org/help/rss_specifications.html): the channel's `<pubDate>` is the
announcement date, empty on Saturdays, Sundays and holidays (`<skipDays>`); each `<item>` has
`<title>`, `<link>` to the abstract, `<description>` ("arXiv:ID Announce Type: T\\nAbstract:
…"), `<guid>` `oai:arXiv.org:IDvN`, one `<category>` per subject class, `<pubDate>`,
`<arxiv:announce_type>` (new, cross, replace, replace-cross), `<dc:creator>` (the authors,
comma-separated) and optional `<arxiv:DOI>` and `<arxiv:journal_reference>`.

The specification does not mark the primary category; like the API's `<category>` list, the
feed lists it first, so it is taken as the primary (arXiv enrichment, which names it
explicitly, corrects it when it differs). Standard library XML with the same DTD refusal as the
API parser (`safe_xml`): the feed is plain RSS, so feedparser's normalising (and a dependency)
would buy nothing and hide the `arxiv:` elements under renamed keys.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime

from bot.model import Paper
from bot.sources.arxiv_ids import split_version
from bot.sources.arxiv_parse import safe_xml
from bot.sources.errors import MalformedResponse
from bot.text import clean_line

log = logging.getLogger(__name__)

NS = {"arxiv": "http://arxiv.org/schemas/atom", "dc": "http://purl.org/dc/elements/1.1/"}
ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")
# "new" and "cross" announce a paper to a category for the first time; the other two a new
# version of one announced before (never announced again as new).
FIRST_ANNOUNCEMENTS = frozenset({"new", "cross"})
_ABSTRACT_RE = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*Abstract:\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Announcement:
    paper: Paper  # categories primary first; published_at only for a first announcement
    announce_type: str  # one of ANNOUNCE_TYPES

    @property
    def is_replacement(self) -> bool:
        return self.announce_type not in FIRST_ANNOUNCEMENTS


@dataclass(frozen=True, slots=True)
class AnnouncementFeed:
    day: str | None  # YYYY-MM-DD of the announcement (arXiv's own date); None if not said
    items: tuple[Announcement, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def parse_announcements(xml: str | bytes) -> AnnouncementFeed:
    """A feed body -> its announcements, one per paper, and a warning per skipped item.

    Raises MalformedResponse when the body is not an RSS 2.0 document; an item that cannot be
    read (no usable id, no title, an unknown announce type) is skipped with a warning."""
    root = safe_xml(xml, "arXiv's announcement feed")
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise MalformedResponse(
            f"arXiv's announcement feed answered with <{root.tag.rsplit('}', 1)[-1]}>,"
            " not an RSS <rss><channel>"
        )
    items: dict[str, Announcement] = {}
    warnings: list[str] = []
    for index, item in enumerate(channel.findall("item")):
        try:
            found = _announcement(item)
        except ValueError as exc:
            warnings.append(f"item {index}: {exc}")
            log.warning("arXiv announcement feed: skipped item %d: %s", index, exc)
            continue
        items[found.paper.id] = _combined(items.get(found.paper.id), found)
    return AnnouncementFeed(_day(_text(channel, "pubDate")), tuple(items.values()), tuple(warnings))


def _announcement(item: ET.Element) -> Announcement:
    kind = (_text(item, "arxiv:announce_type") or "").lower()
    if kind not in ANNOUNCE_TYPES:
        raise ValueError(f"announce type {kind[:20]!r} is not one of {', '.join(ANNOUNCE_TYPES)}")
    parts = _id_of(item)
    title = _text(item, "title")
    if parts is None or not title:
        raise ValueError("no usable arXiv id or no title")
    categories = tuple(dict.fromkeys(c for e in item.findall("category") if (c := _clean(e.text))))
    announced = _timestamp(_text(item, "pubDate"))
    paper = Paper(
        id=parts[0],
        version=parts[1],
        title=title,
        abstract=_ABSTRACT_RE.sub("", _text(item, "description") or ""),
        authors=tuple(
            a for a in (_clean(n) for n in (_text(item, "dc:creator") or "").split(",")) if a
        ),
        categories=categories,
        primary_category=categories[0] if categories else None,
        doi=_text(item, "arxiv:DOI"),
        journal_ref=_text(item, "arxiv:journal_reference"),
        published_at=announced if kind in FIRST_ANNOUNCEMENTS else None,
    )
    return Announcement(paper, kind)


def _id_of(item: ET.Element) -> tuple[str, int | None] | None:
    """The id and version from `<guid>` (`oai:arXiv.org:2203.01250v3`), else from the link."""
    guid = (_text(item, "guid") or "").removeprefix("oai:arXiv.org:")
    parts = split_version(guid) if guid else None
    if parts is None:
        link = (_text(item, "link") or "").rsplit("/abs/", 1)[-1]
        parts = split_version(link) if link else None
    return parts


def _combined(seen: Announcement | None, new: Announcement) -> Announcement:
    """One paper listed twice in a multi-category feed: a first announcement beats a
    replacement, and the categories of both are kept."""
    if seen is None:
        return new
    keep = seen if not seen.is_replacement or new.is_replacement else new
    cats = tuple(
        dict.fromkeys((*keep.paper.categories, *seen.paper.categories, *new.paper.categories))
    )
    return Announcement(replace(keep.paper, categories=cats), keep.announce_type)


def _day(pub_date: str | None) -> str | None:
    """The announcement date as arXiv means it: the date in the feed's own offset (-0500)."""
    stamp = _timestamp(pub_date)
    return stamp[:10] if stamp else None


def _timestamp(value: str | None) -> str | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.isoformat()


def _text(element: ET.Element, path: str) -> str | None:
    child = element.find(path, NS)
    return _clean(child.text) if child is not None else None


def _clean(text: str | None) -> str | None:
    """Whitespace collapsed and control characters removed (XML allows C1 controls)."""
    return (clean_line(text) or None) if text else None
