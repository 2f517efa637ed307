"""The service bag at the bottom of the house: database, config, clock, sources, summaries.

Everything above holds a `Core` and reads its services; `Core` itself calls nothing above it
(commands run through `bot.commands.dispatch.handle(core, cmd)`). The CLI builds one per
command. Network clients are created lazily so offline commands (import, digest, the shell on
stored data) never open one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import Clock, SystemClock
from bot.config import Config
from storage import open_db
from storage import papers as paper_store

if TYPE_CHECKING:
    import httpx

    from bot.sources.arxiv import ArxivClient
    from bot.sources.arxiv_rss import ArxivFeedClient
    from bot.sources.hf import HFClient
    from bot.sources.pacing import Pacer
    from bot.summaries.chain import Summariser


class Core:
    def __init__(self, db: sqlite_utils.Database, config: Config, clock: Clock | None = None):
        self.db = db
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self._http: httpx.AsyncClient | None = None
        self._hf: HFClient | None = None
        self._arxiv: ArxivClient | None = None
        self._arxiv_feed: ArxivFeedClient | None = None
        self._arxiv_pacer: Pacer | None = None
        self._summariser: Summariser | None = None
        # Called with the channel's new `bot.daily.channels.ChannelSettings` (typed Any: that
        # module sits above this one) after it is enabled, changed, paused or disabled; the
        # scheduler rebuilds that channel's job. `update_channel` is the one caller.
        self.channel_listeners: list[Callable[[Any], None]] = []

    def channel_changed(self, channel: Any) -> None:
        for listener in list(self.channel_listeners):
            listener(channel)

    @classmethod
    def open(cls, config: Config, db_path: str | None = None, clock: Clock | None = None) -> Core:
        return cls(open_db(db_path or config.storage.path), config, clock)

    # --- lazily built collaborators ---------------------------------------------------
    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx  # lazily: offline commands never pay for importing httpx

            from bot import __version__

            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(self.config.sources.timeout_seconds),
                headers={"User-Agent": f"paperbot/{__version__}"},
                follow_redirects=True,
            )
        return self._http

    def _retrying(self, name: str) -> Any:
        from bot.sources.http import RetryingClient  # lazily, with httpx (see `http`)

        return RetryingClient(
            self.http, self.clock, max_retries=self.config.sources.max_retries, source_name=name
        )

    @property
    def hf(self) -> HFClient:
        if self._hf is None:
            from bot.sources.hf import HFClient  # lazily, with httpx (see `http`)

            self._hf = HFClient(self.config.sources.hf_base_url, self._retrying("Hugging Face"))
        return self._hf

    @property
    def arxiv(self) -> ArxivClient:
        if self._arxiv is None:
            from bot.sources.arxiv import ArxivClient  # lazily, with httpx (see `http`)

            self._arxiv = ArxivClient(
                self.config.sources.arxiv_base_url,
                self._retrying("arXiv"),
                self.clock,
                pacer=self.arxiv_pacer,
            )
        return self._arxiv

    @property
    def arxiv_pacer(self) -> Pacer:
        """The one pacer of every arXiv request (API and feeds): 3 s apart in total."""
        if self._arxiv_pacer is None:
            from bot.sources.pacing import Pacer

            self._arxiv_pacer = Pacer(self.clock, 3.0)
        return self._arxiv_pacer

    @property
    def arxiv_feed(self) -> ArxivFeedClient:
        if self._arxiv_feed is None:
            from bot.sources.arxiv_rss import ArxivFeedClient  # lazily, with httpx

            self._arxiv_feed = ArxivFeedClient(
                self.config.sources.arxiv_rss_base_url,
                self._retrying("arXiv's announcement feed"),
                self.arxiv_pacer,
            )
        return self._arxiv_feed

    @property
    def summariser(self) -> Summariser:
        if self._summariser is None:
            # lazily: the summary chain and its LLM client are only needed to render cards
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

    async def aclose(self) -> None:
        """Close the network client and the database: every start has its stop."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        self.db.close()
