"""The summary chain (SPEC §4): LLM → Hugging Face ai_summary → offline extractive, cached.

Caching policy: whatever answers is cached as the paper's summary, including a fallback
taken because the LLM failed or the budget ran out, so a paper reads the same in the daily
thread and in `/papers show`, and a flaky LLM is not hammered again for every view. There is
no later upgrade to an LLM summary. `summarise_offline` (for CLI paths that must not touch
the network) caches only when no LLM is in the chain, so an offline preview never locks a
paper out of the LLM summary it would get at posting time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from bot.clock import Clock, SystemClock
from bot.model import Paper
from bot.summaries.budget import LLMBudget
from bot.summaries.extractive import extractive_tldr
from bot.summaries.llm import LLMError, LLMSummariser
from storage import summaries as summary_store

log = logging.getLogger(__name__)

SOURCES = ("llm", "hf", "extractive")
MAX_CHARS = 300


@dataclass(frozen=True)
class Summary:
    text: str
    source: str  # "llm" | "hf" | "extractive"
    model: str = ""  # the LLM model for source "llm", else ""


class Summariser:
    """Runs the configured chain for a paper, first source that answers wins."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        order: Sequence[str],
        llm: LLMSummariser | None,
        budget: LLMBudget | None,
        clock: Clock | None = None,
    ) -> None:
        unknown = [s for s in order if s not in SOURCES]
        if unknown:
            raise ValueError(f"unknown summary source(s): {', '.join(unknown)}")
        self._db = db
        self.order = tuple(order)
        self._llm = llm
        self._budget = budget
        self._clock = clock or SystemClock()
        self._warned: set[str] = set()

    @property
    def llm_in_chain(self) -> bool:
        return self._llm is not None and "llm" in self.order

    def cached(self, paper_id: str) -> Summary | None:
        found = summary_store.get_summary(self._db, paper_id)
        return Summary(*found) if found else None

    async def summarise(self, paper: Paper) -> Summary:
        """The cached summary, else the first source in `order` that answers (then cached)."""
        cached = self.cached(paper.id)
        if cached is not None:
            return cached
        summary = None
        for source in self.order:
            if source == "llm":
                summary = await self._from_llm(paper)
            else:
                summary = self._offline_source(source, paper)
            if summary is not None:
                break
        summary = summary or _extractive(paper)
        self._store(paper.id, summary)
        return summary

    def summarise_offline(self, paper: Paper) -> Summary:
        """hf → extractive without the network; cached only when no LLM could do better later."""
        cached = self.cached(paper.id)
        if cached is not None:
            return cached
        summary = self._offline_source("hf", paper) or _extractive(paper)
        if not self.llm_in_chain:
            self._store(paper.id, summary)
        return summary

    async def day_overview(self, day: str, papers: Sequence[Paper]) -> Summary | None:
        """The LLM's 2–3 sentence overview of a day, cached per day; None without an LLM.

        Callers always have the day's themes (`themes.day_themes`) to show; this is the optional
        prose on top.
        """
        cached = summary_store.get_overview(self._db, day)
        if cached:
            return Summary(cached[0], cached[1], "")
        if not self.llm_in_chain or not papers or self._llm is None:
            return None
        if self._budget is not None and not self._budget.try_spend():
            self._warn_once("budget exhausted", "daily LLM call budget used up")
            return None
        items = [(p.title, (self.cached(p.id) or self.summarise_offline(p)).text) for p in papers]
        try:
            text = await self._llm.overview(day, items)
        except LLMError as e:
            self._warn_once(e.reason, str(e))
            return None
        summary_store.put_overview(self._db, day, text, "llm", self._now())
        return Summary(text, "llm", self._llm.model)

    async def _from_llm(self, paper: Paper) -> Summary | None:
        if self._llm is None:
            return None
        if self._budget is not None and not self._budget.try_spend():
            self._warn_once("budget exhausted", "daily LLM call budget used up")
            return None
        try:
            text = await self._llm.tldr(paper.title, paper.abstract)
        except LLMError as e:
            self._warn_once(e.reason, str(e))
            return None
        return Summary(text, "llm", self._llm.model)

    def _offline_source(self, source: str, paper: Paper) -> Summary | None:
        if source == "hf":
            text = " ".join((paper.ai_summary or "").split())
            return Summary(text, "hf") if text else None
        if source == "extractive":
            return _extractive(paper)
        return None

    def _store(self, paper_id: str, summary: Summary) -> None:
        summary_store.put_summary(
            self._db, paper_id, summary.text, summary.source, summary.model, self._now()
        )

    def _now(self) -> str:
        return self._clock.now().isoformat(timespec="seconds")

    def _warn_once(self, reason: str, message: str) -> None:
        """One warning per kind of failure: a dead LLM must not flood the log per paper."""
        if reason in self._warned:
            return
        self._warned.add(reason)
        log.warning("LLM summary skipped (%s); falling back to the next source", message)


def _extractive(paper: Paper) -> Summary:
    return Summary(extractive_tldr(paper.abstract, paper.title, MAX_CHARS), "extractive")
