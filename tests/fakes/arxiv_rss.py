"""A loopback arXiv announcement feed: `GET /rss/{cat}` and `/rss/{cat}+{cat}…`, RSS 2.0.

The layout is arXiv's "RSS feed Specifications"
(https://info.arxiv.org/help/rss_specifications.html): channel `<pubDate>` = the announcement
date, `<skipDays>` Saturday and Sunday (empty feeds then), items with title, link,
description ("arXiv:ID Announce Type: T\\nAbstract: …"), `guid` `oai:arXiv.org:IDvN`,
`category`, `pubDate`, `arxiv:announce_type`, `dc:rights`, `dc:creator`. Several categories
joined with `+` answer one feed (https://info.arxiv.org/help/rss.html, "Subscribe by multiple
categories"); a paper listed under two of them appears once (the first category's item).
Given the test's clock, it notes when each request arrived, as the API fake does.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

from bot.clock import Clock
from bot.model import Paper
from tests.fakes.server import FakeServer

_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n'
)
_GUID_RE = re.compile(r"<guid[^>]*>oai:arXiv\.org:([^<]+?)(v\d+)?</guid>")


def item_xml(paper: Paper, announce_type: str, pub_date: str) -> str:
    """One `<item>` as arXiv writes it for `paper` (categories primary first)."""
    version = paper.version or 1
    arxiv_id = f"{paper.id}v{version}"
    parts = [
        f"<title>{escape(paper.title)}</title>",
        f"<link>https://arxiv.org/abs/{escape(paper.id)}</link>",
        f"<description>arXiv:{escape(arxiv_id)} Announce Type: {escape(announce_type)} \n"
        f"Abstract: {escape(paper.abstract)}</description>",
        f'<guid isPermaLink="false">oai:arXiv.org:{escape(arxiv_id)}</guid>',
        *(f"<category>{escape(c)}</category>" for c in paper.categories),
        f"<pubDate>{escape(pub_date)}</pubDate>",
        f"<arxiv:announce_type>{escape(announce_type)}</arxiv:announce_type>",
        "<dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>",
    ]
    if paper.journal_ref:
        parts.append(
            f"<arxiv:journal_reference>{escape(paper.journal_ref)}</arxiv:journal_reference>"
        )
    if paper.doi:
        parts.append(f"<arxiv:DOI>{escape(paper.doi)}</arxiv:DOI>")
    parts.append(f"<dc:creator>{escape(', '.join(paper.authors))}</dc:creator>")
    return "<item>\n" + "\n".join(parts) + "\n</item>"


def feed_xml(categories: str, pub_date: str, items: Sequence[str]) -> str:
    """A whole feed: the channel elements the specification lists, then `items`."""
    link = f"http://rss.arxiv.org/rss/{escape(categories)}"
    return (
        _HEAD
        + "<channel>\n"
        + f"<title>{escape(categories)} updates on arXiv.org</title>\n"
        + f"<link>{link}</link>\n"
        + f"<description>{escape(categories)} updates on the arXiv.org e-print archive."
        + "</description>\n"
        + f'<atom:link href="{link}" rel="self" type="application/rss+xml"/>\n'
        + "<docs>http://www.rssboard.org/rss-specification</docs>\n"
        + "<language>en-us</language>\n"
        + f"<lastBuildDate>{escape(pub_date)}</lastBuildDate>\n"
        + "<managingEditor>rss-help@arxiv.org</managingEditor>\n"
        + f"<pubDate>{escape(pub_date)}</pubDate>\n"
        + "<skipDays>\n<day>Saturday</day>\n<day>Sunday</day>\n</skipDays>\n"
        + "".join(f"{i}\n" for i in items)
        + "</channel>\n</rss>\n"
    )


@dataclass(kw_only=True)
class FakeArxivRss(FakeServer):
    """`items[cat]`: that category's `<item>`s today; `pub_date`: the announcement date."""

    items: dict[str, list[str]] = field(default_factory=dict)
    pub_date: str = "Thu, 21 Sep 2023 00:00:00 -0400"
    clock: Clock | None = None
    request_times: list[float] = field(default_factory=list)
    raw_body: str | None = None  # served as is instead (a recorded feed, a broken body)

    def announce(self, category: str, paper: Paper, announce_type: str = "new") -> None:
        self.items.setdefault(category, []).append(item_xml(paper, announce_type, self.pub_date))

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_get("/rss/{categories}", self._feed)

    @web.middleware
    async def _record_and_fault(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.request_times.append(self.clock.monotonic() if self.clock else time.monotonic())
        return await super()._record_and_fault(request, handler)

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        wanted = request.match_info["categories"]
        if self.raw_body is not None:
            body = self.raw_body
        else:
            seen: set[str] = set()
            items = []
            for cat in wanted.split("+"):
                for item in self.items.get(cat, []):
                    m = _GUID_RE.search(item)
                    key = m.group(1) if m else item
                    if key not in seen:
                        seen.add(key)
                        items.append(item)
            body = feed_xml(wanted, self.pub_date, items)
        return web.Response(text=body, content_type="application/rss+xml", charset="utf-8")
