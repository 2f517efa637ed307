"""The day's thread as neutral data: a parent message and one reply per paper.

Built once and rendered by each adapter (and by `paperbot digest`), so what the CLI prints is
exactly what the scheduler posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from bot.model import Reply


@dataclass(frozen=True, slots=True)
class Digest:
    day: str  # YYYY-MM-DD
    title: str  # "Daily Papers — Wed 1 Oct 2025 · 37 papers"
    overview: str  # the overview line
    hf_url: str  # the day's page on Hugging Face
    parent: Reply  # title + overview + link
    items: tuple[Reply, ...]  # one card each, best first
    thread_name: str  # ≤100 chars, for Discord threads / forum posts


def digest_title(day: str, count: int) -> str:
    d = Date.fromisoformat(day)
    noun = "paper" if count == 1 else "papers"
    return f"Daily Papers — {d:%a} {d.day} {d:%b %Y} · {count} {noun}"
