"""The core as one object: database, config, clock, sources and summaries, wired once.

Adapters hold a `Core` and call `handle`; the CLI builds one per command. Network clients are
created lazily so offline commands (import, digest, the shell on stored data) never open one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.model import Command, Reply
from storage import open_db
from storage import papers as paper_store
from storage import users as user_store

if TYPE_CHECKING:
    import httpx

    from bot.digest import Digest
    from bot.sources.arxiv import ArxivClient
    from bot.sources.hf import HFClient
    from bot.summaries.chain import Summariser


class Core:
    def __init__(self, db: sqlite_utils.Database, config: Config, clock: Clock | None = None):
        self.db = db
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self._http: httpx.AsyncClient | None = None
        self._hf: HFClient | None = None
        self._arxiv: ArxivClient | None = None
        self._summariser: Summariser | None = None
        # Called with the channel row after it is enabled, changed, paused or disabled
        # (the scheduler rebuilds that channel's job).
        self.channel_listeners: list[Callable[[dict[str, Any]], None]] = []

    def channel_changed(self, row: dict[str, Any]) -> None:
        for listener in list(self.channel_listeners):
            listener(row)

    @classmethod
    def open(cls, config: Config, db_path: str | None = None, clock: Clock | None = None) -> Core:
        return cls(open_db(db_path or config.storage.path), config, clock)

    # --- lazily built collaborators ---------------------------------------------------
    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            from bot import __version__

            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(self.config.sources.timeout_seconds),
                headers={"User-Agent": f"paperbot/{__version__}"},
                follow_redirects=True,
            )
        return self._http

    def _retrying(self, name: str) -> Any:
        from bot.sources.http import RetryingClient

        return RetryingClient(
            self.http, self.clock, max_retries=self.config.sources.max_retries, source_name=name
        )

    @property
    def hf(self) -> HFClient:
        if self._hf is None:
            from bot.sources.hf import HFClient

            self._hf = HFClient(self.config.sources.hf_base_url, self._retrying("Hugging Face"))
        return self._hf

    @property
    def arxiv(self) -> ArxivClient:
        if self._arxiv is None:
            from bot.sources.arxiv import ArxivClient

            self._arxiv = ArxivClient(
                self.config.sources.arxiv_base_url, self._retrying("arXiv"), self.clock
            )
        return self._arxiv

    @property
    def summariser(self) -> Summariser:
        if self._summariser is None:
            from bot.summaries.budget import LLMBudget
            from bot.summaries.chain import Summariser
            from bot.summaries.llm import LLMSummariser

            llm_cfg = self.config.llm
            llm = budget = None
            if llm_cfg.enabled:
                llm = LLMSummariser(
                    llm_cfg.base_url,
                    llm_cfg.model,
                    llm_cfg.api_key(),
                    self.http,
                    language=self.config.summaries.language,
                    timeout=llm_cfg.timeout_seconds,
                )
                budget = LLMBudget(self.db, llm_cfg.max_calls_per_day, self.clock)
            self._summariser = Summariser(self.db, self.config.summaries.order, llm, budget)
        return self._summariser

    # --- time ---------------------------------------------------------------------------
    def today(self) -> str:
        """Today's date where papers are published (the sources' time zone)."""
        tz = ZoneInfo(self.config.sources.timezone)
        return self.clock.now().astimezone(tz).date().isoformat()

    def latest_day(self, on_or_before: str | None = None) -> str | None:
        return paper_store.latest_day(self.db, on_or_before or self.today())

    # --- the adapter-facing API -----------------------------------------------------------
    async def handle(self, cmd: Command) -> list[Reply]:
        from bot.commands.dispatch import dispatch

        return await dispatch(self, cmd)

    def autocomplete_topics(
        self, platform: str, workspace_id: str, user_id: str, prefix: str = ""
    ) -> list[tuple[str, str]]:
        user = user_store.UserKey(platform, workspace_id, user_id)
        out = []
        for n, t in enumerate(user_store.list_topics(self.db, user), 1):
            label = f"{n}. {t['query']}"
            if prefix.lower() in label.lower():
                out.append((str(n), label[:100]))
        return out[:25]

    def autocomplete_papers(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        rows = paper_store.recent_papers(self.db, prefix.strip(), limit)
        return [(r["id"], f"{r['id']} — {' '.join(r['title'].split())}"[:100]) for r in rows]

    async def digest(self, day: str | None = None, channel: dict | None = None) -> Digest | None:
        from bot.daily_digest import build_digest

        return await build_digest(self, day or self.latest_day() or self.today(), channel)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None


def parse_day(text: str) -> str:
    """Validate a YYYY-MM-DD string; raise ValueError with a readable message."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2025-10-01") from None
