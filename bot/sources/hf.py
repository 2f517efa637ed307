"""Hugging Face Daily Papers over HTTP: a day / ISO week / month list, one paper, and search."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

import httpx

from bot.model import DayPapers, Paper
from bot.sources.arxiv_ids import base_id
from bot.sources.errors import MalformedResponse
from bot.sources.hf_parse import describe_json, loads, parse_daily_papers, parse_paper
from bot.sources.http import RetryingClient

log = logging.getLogger(__name__)

_PERIOD_FORMATS = {
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "YYYY-MM-DD"),
    "week": (re.compile(r"^\d{4}-W\d{2}$"), "YYYY-Www"),
    "month": (re.compile(r"^\d{4}-\d{2}$"), "YYYY-MM"),
}


class HFClient:
    """The Hugging Face API at `base_url` (configurable, which is how tests reach the fake)."""

    def __init__(self, base_url: str, http: RetryingClient, *, max_pages: int = 50) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.max_pages = max_pages

    async def daily(
        self,
        *,
        date: str | None = None,
        week: str | None = None,
        month: str | None = None,
        limit: int = 100,
    ) -> DayPapers:
        """Every page of one period's list, deduplicated by id, with all pages' warnings.

        Paging stops at an empty page, a page that adds no new paper, or the last page: no
        `Link: rel="next"` when the server uses Link headers, or a short page when it does not.
        """
        if not 1 <= limit <= 100:
            raise ValueError(f"limit must be between 1 and 100, got {limit}")
        url = f"{self.base_url}/api/daily_papers"
        period = _period_params(date=date, week=week, month=month)
        papers: dict[str, Paper] = {}
        warnings: list[str] = []
        server_links = False
        for page in range(self.max_pages):
            response = await self.http.get(url, {**period, "limit": limit, "p": page})
            data = _decode_json(response)
            parsed = parse_daily_papers(data)
            warnings += [f"page {page} {w}" for w in parsed.warnings]
            new = [p for p in parsed.papers if p.id not in papers]
            papers.update((p.id, p) for p in new)
            has_next = "next" in response.links
            server_links = server_links or has_next
            if not data or not new or (not has_next and (server_links or len(data) < limit)):
                break
        else:
            log.warning("Hugging Face: stopped paging %s after %d pages", period, self.max_pages)
        for warning in warnings:
            log.warning("Hugging Face daily_papers %s: skipped %s", period, warning)
        return DayPapers(papers=tuple(papers.values()), warnings=tuple(warnings))

    async def paper(self, arxiv_id: str) -> Paper | None:
        """One paper by arXiv id (any version); None when Hugging Face does not have it."""
        paper_id = base_id(arxiv_id)
        if paper_id is None:
            return None
        url = f"{self.base_url}/api/papers/{quote(paper_id, safe='')}"
        response = await self.http.get(url, allow_status=(404,))
        if response.status_code == 404:
            return None
        return parse_paper(_decode_json(response))

    async def search(self, q: str, limit: int = 20) -> list[Paper]:
        """Hugging Face's own paper search; unreadable results are skipped, not fatal."""
        if not q.strip():
            return []
        url = f"{self.base_url}/api/papers/search"
        response = await self.http.get(url, {"q": q.strip(), "limit": limit})
        data = _decode_json(response)
        if not isinstance(data, list):
            raise MalformedResponse(
                f"Hugging Face search answered {describe_json(data)}, expected an array of papers"
            )
        results: list[Paper] = []
        for index, item in enumerate(data):
            try:
                paper = parse_paper(item)
            except MalformedResponse as exc:
                log.warning("Hugging Face search: skipped result %d: %s", index, exc)
                continue
            if all(p.id != paper.id for p in results):
                results.append(paper)
        return results[:limit]


def _period_params(**given: str | None) -> dict[str, str]:
    chosen: dict[str, str] = {k: v for k, v in given.items() if v is not None}
    if len(chosen) > 1:
        raise ValueError(f"give one of date, week or month, not {' and '.join(chosen)}")
    for key, value in chosen.items():
        pattern, shape = _PERIOD_FORMATS[key]
        if not pattern.match(value):
            raise ValueError(f"{key} must look like {shape}, got {value!r}")
    return chosen


def _decode_json(response: httpx.Response) -> Any:
    try:
        return loads(response.content)
    except MalformedResponse as exc:
        raise MalformedResponse(f"Hugging Face at {response.request.url}: {exc}") from None
    except (ValueError, UnicodeDecodeError):
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        raise MalformedResponse(
            f"Hugging Face at {response.request.url} answered with something that is not JSON"
            f" ({kind}, {len(response.content)} bytes)"
        ) from None
