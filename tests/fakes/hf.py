"""A loopback Hugging Face API: daily_papers (date / week / month, paged), papers/{id}, search.

It serves recorded `daily_papers` entries, pages them with `p` and `limit` and a
`Link: <…>; rel="next"` header, and enforces a fixed-window quota with the same
`RateLimit` / `RateLimit-Policy` headers Hugging Face sends (429 + Retry-After when exceeded).
Give it the test's FakeClock so the quota window moves when the client sleeps.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.clock import Clock
from tests.fakes.server import FakeServer

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")


def load_day_files(directory: Path) -> dict[str, list[Any]]:
    """`YYYY-MM-DD.json` (or `.json.gz`) files -> {day: entries}."""
    days: dict[str, list[Any]] = {}
    for path in sorted(directory.iterdir()):
        day = path.name.split(".", 1)[0]
        if not _DATE_RE.match(day):
            continue
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            days[day] = json.load(f)
    return days


@dataclass(kw_only=True)
class FakeHF(FakeServer):
    data_dir: Path | None = None
    days: dict[str, list[Any]] = field(default_factory=dict)
    papers: dict[str, dict[str, Any]] = field(default_factory=dict)  # extra /api/papers/{id}
    clock: Clock | None = None
    quota: int = 500  # requests per window, like the anonymous limit
    window: float = 300.0
    default_limit: int = 50
    max_limit: int = 100
    send_links: bool = True
    quota_refusals: int = 0  # 429s the quota itself caused (not injected faults)
    _window_start: float | None = None
    _used: int = 0

    def __post_init__(self) -> None:
        if self.data_dir is not None:
            self.days = {**load_day_files(self.data_dir), **self.days}

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_get("/api/daily_papers", self._daily_papers)
        app.router.add_get("/api/papers/search", self._search)
        app.router.add_get("/api/papers/{paper_id}", self._paper)

    # --- handlers ----------------------------------------------------------------
    async def _daily_papers(self, request: web.Request) -> web.StreamResponse:
        headers, refused = self._take_quota()
        if refused:
            return refused
        q = request.query
        try:
            entries = self._entries_for(q)
            limit = min(int(q.get("limit", self.default_limit)), self.max_limit)
            page = int(q.get("p", "0"))
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400, headers=headers)
        if limit < 1 or page < 0:
            return web.json_response({"error": "bad limit or p"}, status=400, headers=headers)
        chunk = entries[page * limit : (page + 1) * limit]
        if self.send_links and (page + 1) * limit < len(entries):
            next_url = request.url.update_query(p=str(page + 1))
            headers["Link"] = f'<{next_url}>; rel="next"'
        return web.json_response(chunk, headers=headers)

    async def _paper(self, request: web.Request) -> web.StreamResponse:
        headers, refused = self._take_quota()
        if refused:
            return refused
        paper_id = request.match_info["paper_id"]
        paper = self.papers.get(paper_id) or self._find_paper(paper_id)
        if paper is None:
            return web.json_response({"error": "Entry not found"}, status=404, headers=headers)
        return web.json_response(paper, headers=headers)

    async def _search(self, request: web.Request) -> web.StreamResponse:
        headers, refused = self._take_quota()
        if refused:
            return refused
        needle = request.query.get("q", "").strip().lower()
        limit = int(request.query.get("limit", "20"))
        found: dict[str, Any] = {}
        for entries in self.days.values():
            for entry in entries:
                paper = entry.get("paper", {}) if isinstance(entry, dict) else {}
                text = f"{paper.get('title', '')} {paper.get('summary', '')}".lower()
                if needle and needle in text and paper.get("id") not in found:
                    found[paper.get("id")] = entry
        return web.json_response(list(found.values())[:limit], headers=headers)

    # --- data --------------------------------------------------------------------
    def _entries_for(self, q: Any) -> list[Any]:
        if "date" in q:
            if not _DATE_RE.match(q["date"]):
                raise ValueError("date must be YYYY-MM-DD")
            return list(self.days.get(q["date"], []))
        if "week" in q:
            m = _WEEK_RE.match(q["week"])
            if not m:
                raise ValueError("week must be YYYY-Www")
            year, week = int(m.group(1)), int(m.group(2))
            wanted = [date.fromisocalendar(year, week, d).isoformat() for d in range(1, 8)]
            return [e for day in wanted for e in self.days.get(day, [])]
        if "month" in q:
            if not _MONTH_RE.match(q["month"]):
                raise ValueError("month must be YYYY-MM")
            return [e for day in sorted(self.days) if day[:7] == q["month"] for e in self.days[day]]
        return list(self.days[max(self.days)]) if self.days else []

    def _find_paper(self, paper_id: str) -> dict[str, Any] | None:
        for entries in self.days.values():
            for entry in entries:
                paper = entry.get("paper") if isinstance(entry, dict) else None
                if isinstance(paper, dict) and paper.get("id") == paper_id:
                    return paper
        return None

    # --- quota -------------------------------------------------------------------
    def _take_quota(self) -> tuple[dict[str, str], web.StreamResponse | None]:
        now = self.clock.monotonic() if self.clock else time.monotonic()
        if self._window_start is None or now - self._window_start >= self.window:
            self._window_start, self._used = now, 0
        reset = max(1, math.ceil(self._window_start + self.window - now))
        policy = f'"fixed window";"api";q={self.quota};w={int(self.window)}'
        if self._used >= self.quota:
            self.quota_refusals += 1
            headers = {
                "RateLimit": f'"api";r=0;t={reset}',
                "RateLimit-Policy": policy,
                "Retry-After": str(reset),
            }
            refused = web.json_response({"error": "rate limited"}, status=429, headers=headers)
            return headers, refused
        self._used += 1
        remaining = self.quota - self._used
        return {"RateLimit": f'"api";r={remaining};t={reset}', "RateLimit-Policy": policy}, None
