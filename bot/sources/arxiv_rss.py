"""arXiv's daily announcement feeds over HTTP: `{base}/rss/cs.LG+cs.CL`, one request a fetch.

Several categories go in one request, joined with `+` (https://info.arxiv.org/help/rss.html,
"Subscribe by multiple categories", up to 2,000 results), and every request waits on the pacer
the arXiv API client uses: one request every 3 seconds for arXiv as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from bot.sources.arxiv_rss_parse import AnnouncementFeed, parse_announcements
from bot.sources.http import RetryingClient
from bot.sources.pacing import Pacer


class ArxivFeedClient:
    def __init__(self, base_url: str, http: RetryingClient, pacer: Pacer) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.pacer = pacer

    def url_for(self, categories: Sequence[str]) -> str:
        joined = "+".join(quote(c, safe="") for c in dict.fromkeys(categories))
        return f"{self.base_url}/rss/{joined}"

    async def announcements(self, categories: Sequence[str]) -> AnnouncementFeed:
        """The day's announcements in `categories` (an empty feed on weekends and holidays)."""
        if not categories:
            return AnnouncementFeed(day=None)
        response = await self.http.get(self.url_for(categories), before_attempt=self.pacer.wait)
        return parse_announcements(response.content)
