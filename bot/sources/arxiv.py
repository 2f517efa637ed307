"""The arXiv API: batched id lookup for enrichment, and search for papers HF does not have.

arXiv's terms allow one request every 3 seconds; the pacing here spaces the *start* of every
attempt, retries included, using the injected clock.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from bot.clock import Clock
from bot.model import Paper
from bot.sources.arxiv_ids import base_id
from bot.sources.arxiv_parse import parse_atom
from bot.sources.errors import MalformedResponse
from bot.sources.http import RetryingClient
from bot.sources.pacing import Pacer

log = logging.getLogger(__name__)

MAX_IDS_PER_REQUEST = 100
_SEARCH_WORD_RE = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")
_OPERATORS = {"AND", "OR", "ANDNOT"}


class ArxivClient:
    """The arXiv API at `base_url`; one instance per process so pacing covers every call."""

    def __init__(
        self,
        base_url: str,
        http: RetryingClient,
        clock: Clock,
        min_interval: float = 3.0,
        *,
        batch_size: int = MAX_IDS_PER_REQUEST,
        pacer: Pacer | None = None,
    ) -> None:
        """`pacer`: the one shared with the announcement feed client (`Core` passes it)."""
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.clock = clock
        self.min_interval = min_interval
        self.batch_size = max(1, min(batch_size, MAX_IDS_PER_REQUEST))
        self.pacer = pacer or Pacer(clock, min_interval)

    async def lookup(self, ids: Sequence[str]) -> dict[str, Paper]:
        """The papers arXiv has among `ids`, keyed by id without version (latest version).

        Ids that are not arXiv ids are skipped before any request: one bad id makes arXiv
        reject the whole batch. Unknown ids are simply absent from the result.
        """
        wanted = _valid_unique_ids(ids)
        found: dict[str, Paper] = {}
        for start in range(0, len(wanted), self.batch_size):
            batch = wanted[start : start + self.batch_size]
            params = {"id_list": ",".join(batch), "max_results": str(len(batch))}
            for paper in await self._query(params):
                if paper.id in batch:
                    found[paper.id] = paper
        return found

    async def search(self, query: str, max_results: int = 10) -> list[Paper]:
        """arXiv's relevance search over all fields; every word of `query` must match."""
        search_query = arxiv_search_query(query)
        if not search_query:
            return []
        params = {
            "search_query": search_query,
            "start": "0",
            "max_results": str(max(1, min(max_results, 100))),
            "sortBy": "relevance",
        }
        return (await self._query(params))[:max_results]

    async def _query(self, params: dict[str, str]) -> list[Paper]:
        url = f"{self.base_url}/api/query"
        response = await self.http.get(url, params, allow_status=(400,), before_attempt=self._pace)
        papers = parse_atom(response.content)  # a 400 carries arXiv's Error entry: raised here
        if response.status_code == 400:
            raise MalformedResponse(f"arXiv rejected the query {response.request.url} (HTTP 400)")
        return papers

    async def _pace(self) -> None:
        """Keep at least `min_interval` seconds between the starts of consecutive requests
        (of this client and of every client sharing its pacer)."""
        await self.pacer.wait()


def arxiv_search_query(text: str, max_words: int = 12) -> str:
    """User text -> `all:word AND all:word …`, keeping only plain words.

    Quotes, parentheses, colons and the AND/OR/ANDNOT operators have meaning in arXiv's
    query syntax, so user text never reaches it raw.
    """
    words = [w for w in _SEARCH_WORD_RE.findall(text) if w.upper() not in _OPERATORS]
    return " AND ".join(f"all:{w}" for w in words[:max_words])


def _valid_unique_ids(ids: Sequence[str]) -> list[str]:
    wanted: dict[str, None] = {}
    for raw in ids:
        paper_id = base_id(raw)
        if paper_id is None:
            log.warning("arXiv lookup: skipped %r, not an arXiv id", raw[:40])
        else:
            wanted[paper_id] = None
    return list(wanted)
