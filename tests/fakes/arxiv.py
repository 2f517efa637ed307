"""A loopback arXiv API: `/api/query` with `id_list=` or `search_query=`, answering Atom.

Entries come verbatim from recorded feeds (either backend's layout) or are built from `Paper`s.
An unknown id gives an empty feed; a malformed id gives HTTP 400 with arXiv's Error entry,
as recorded. Given the test's clock, it notes when every request arrived (injected faults
included) so tests can check that requests are spaced.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from bot.clock import Clock
from bot.model import Paper
from tests.fakes.server import FakeServer

ATOM = "http://www.w3.org/2005/Atom"
_ID_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z\-]*(\.[A-Z]{2})?/\d{7})(v\d+)?$")
_ENTRY_RE = re.compile(r"<entry\b.*?</entry>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
    ' xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)


def entry_xml(paper: Paper) -> str:
    """An Atom entry in the 2026 layout for a Paper (what arXiv would say about it)."""
    version = paper.version or 1
    parts = [
        f"<id>http://arxiv.org/abs/{escape(paper.id)}v{version}</id>",
        f"<title>{escape(paper.title)}</title>",
        f"<summary>{escape(paper.abstract)}</summary>",
        *(f"<category term={quoteattr(c)} />" for c in paper.categories),
        f"<published>{escape(paper.published_at or '2025-01-01T00:00:00Z')}</published>",
    ]
    for tag in ("comment", "journal_ref", "doi"):
        value = getattr(paper, tag)
        if value:
            parts.append(f"<arxiv:{tag}>{escape(value)}</arxiv:{tag}>")
    if paper.primary_category:
        parts.append(f"<arxiv:primary_category term={quoteattr(paper.primary_category)} />")
    parts += [f"<author><name>{escape(a)}</name></author>" for a in paper.authors]
    return "<entry>" + "".join(parts) + "</entry>"


@dataclass(kw_only=True)
class FakeArxiv(FakeServer):
    feed_files: Sequence[Path] = ()
    papers: Sequence[Paper] = ()
    clock: Clock | None = None
    request_times: list[float] = field(default_factory=list)  # clock.monotonic() per request
    entries: dict[str, str] = field(default_factory=dict)  # id without version -> entry XML

    def __post_init__(self) -> None:
        for path in self.feed_files:
            self.add_feed(path.read_text(encoding="utf-8"))
        for paper in self.papers:
            self.entries[paper.id] = entry_xml(paper)

    def add_feed(self, xml: str) -> None:
        root = ET.fromstring(xml.encode("utf-8"))
        ids = [e.findtext(f"{{{ATOM}}}id", "") for e in root.findall(f"{{{ATOM}}}entry")]
        raw_entries = _ENTRY_RE.findall(xml)
        assert len(ids) == len(raw_entries), "entries must not nest"
        for entry_id, raw in zip(ids, raw_entries, strict=True):
            if "/abs/" in entry_id:
                bare = re.sub(r"v\d+$", "", entry_id.rsplit("/abs/", 1)[1])
                self.entries[bare] = raw

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_get("/api/query", self._query)

    @web.middleware
    async def _record_and_fault(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Time every request before a fault may answer it: retries must be spaced too."""
        self.request_times.append(self.clock.monotonic() if self.clock else time.monotonic())
        return await super()._record_and_fault(request, handler)

    async def _query(self, request: web.Request) -> web.StreamResponse:
        q = request.query
        start = int(q.get("start", "0"))
        max_results = int(q.get("max_results", "10"))
        if q.get("id_list"):
            ids = q["id_list"].split(",")
            bad = next((i for i in ids if not _ID_RE.match(i)), None)
            if bad is not None:
                return _atom(error_feed(f"incorrect id format for {bad}"), status=400)
            found = [self.entries[k] for i in ids if (k := re.sub(r"v\d+$", "", i)) in self.entries]
        else:
            words = [w.lower() for w in re.findall(r"all:([^\s\"()]+)", q.get("search_query", ""))]
            found = [e for e in self.entries.values() if words and _matches(e, words)]
        page = found[start : start + max_results]
        return _atom(feed(page, total=len(found), start=start, title=str(request.query_string)))


def feed(entries: Sequence[str], *, total: int, start: int = 0, title: str = "") -> str:
    return (
        _FEED_HEAD
        + "  <id>https://arxiv.org/api/fake</id>\n"
        + f"  <title>arXiv Query: {escape(title)}</title>\n"
        + "  <updated>2026-04-12T22:09:26Z</updated>\n"
        + f"  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        + f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        + "".join(f"  {e}\n" for e in entries)
        + "</feed>\n"
    )


def error_feed(message: str) -> str:
    """arXiv's answer to a bad query (sent with HTTP 400), shaped like the recording."""
    anchor = "https://arxiv.org/api/errors#" + re.sub(r"\W+", "_", message)
    entry = (
        f"<entry><id>{escape(anchor)}</id><title>Error</title>"
        f"<updated>2026-04-12T22:59:06Z</updated><summary>{escape(message)}</summary>"
        "<author><name>arXiv api core</name></author></entry>"
    )
    return feed([entry], total=1, title="")


def _matches(entry: str, words: list[str]) -> bool:
    text = _TAG_RE.sub(" ", entry).lower()
    return all(w in text for w in words)


def _atom(body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=body, status=status, content_type="application/atom+xml", charset="utf-8"
    )
