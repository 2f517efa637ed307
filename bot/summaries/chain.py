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
        rows = self._db.execute(
            "SELECT text, source, model FROM summaries WHERE paper_id = ?", [paper_id]
        ).fetchall()
        if not rows:
            return None
        text, source, model = rows[0]
        return Summary(text or "", source or "", model or "")

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

        Callers always have `day_overview_line` to show; this is the optional prose on top.
        """
        rows = self._db.execute(
            "SELECT text, source FROM day_overviews WHERE day = ?", [day]
        ).fetchall()
        if rows:
            return Summary(rows[0][0] or "", rows[0][1] or "llm", "")
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
        self._db["day_overviews"].upsert(
            {"day": day, "text": text, "source": "llm", "created_at": self._now()}, pk="day"
        )
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
        self._db["summaries"].upsert(
            {
                "paper_id": paper_id,
                "text": summary.text,
                "source": summary.source,
                "model": summary.model,
                "created_at": self._now(),
            },
            pk="paper_id",
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
