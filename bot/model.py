"""The platform-neutral model: plain frozen data that crosses every boundary.

Adapters translate platform payloads into `Command` and render `Reply`; the core
never sees a platform type. Sources produce `Paper`; storage persists it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from bot.text import plural


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message goes or came from."""

    platform: str  # "discord" | "slack" | "shell" | "memory"
    channel_id: str
    workspace_id: str = ""  # Discord guild / Slack team; "" when there is none
    thread_id: str | None = None  # Discord thread id / Slack thread_ts


@dataclass(frozen=True, slots=True)
class Command:
    """What a user asked: `name` is the subcommand (`search`), `args` the raw rest."""

    name: str
    args: str
    user_id: str
    user_name: str
    is_admin: bool
    place: Place


@dataclass(frozen=True, slots=True)
class Link:
    label: str  # "arXiv", "PDF", "HF", "Code", "Project"
    url: str


@dataclass(frozen=True, slots=True)
class PaperCard:
    """One paper as a message shows it; all strings are untrusted plain text."""

    paper_id: str
    title: str
    url: str
    tldr: str
    authors: tuple[str, ...] = ()  # already shortened: first 3 + "et al."
    upvotes: int | None = None
    keywords: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    rank: int | None = None
    matched: tuple[str, ...] = ()  # "matched: diffusion, video"
    summary_source: str = ""  # "llm" | "hf" | "extractive"
    # The signals a researcher picks by (#11): each None/"" when the source did not send it.
    comments: int | None = None  # HF discussion comments
    stars: int | None = None  # GitHub stars of the code repository
    organization: str = ""  # the organisation's display name ("NVIDIA"), else its slug
    thumbnail: str | None = None  # HF social thumbnail; only ever an https:// URL
    date: str | None = None  # YYYY-MM-DD: the HF day it was listed, else arXiv publication
    authors_total: int = 0  # how many authors the paper has (`authors` is shortened)
    # In an alert DM: which of the reader's topics matched, as `/papers topics` numbers them.
    topics: tuple[str, ...] = ()  # ("#2 diffusion video",)
    like: str = ""  # recommended for being like this saved/liked paper (its title); "" if not

    def matched_label(self) -> str:
        """The card's "why it is here" line, the same on every platform:
        `your topic #2 diffusion video · matched: diffusion, video`; "" when there is none."""
        parts = []
        if self.topics:
            noun = "your topic" if len(self.topics) == 1 else "your topics"
            parts.append(f"{noun} {'; '.join(self.topics)}")
        if self.matched:
            parts.append("matched: " + ", ".join(self.matched))
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Theme:
    """One of a day's themes: a label as the papers spell it, and how many papers share it."""

    label: str  # "reinforcement learning"; untrusted (from ai_keywords or titles)
    count: int


@dataclass(frozen=True, slots=True)
class TopPaper:
    """One of the day's most upvoted papers, as the parent of its thread links it."""

    title: str
    url: str
    upvotes: int | None = None


@dataclass(frozen=True, slots=True)
class DayHeadline:
    """A day at a glance: what the parent message of its thread says, as plain data.

    `total` is the day's true count; `kept` how many this thread holds and `kept_note` why
    ("the top 15 are in this thread"). `overview` is an LLM's 2–3 sentences when one is
    configured, shown instead of `themes`. Adapters render it (bold count, linked titles); the
    button to the day's page is the message's `Reply.links`."""

    day: str  # YYYY-MM-DD
    total: int
    kept: int
    kept_note: str
    themes: tuple[Theme, ...] = ()
    overview: str = ""
    top: tuple[TopPaper, ...] = ()

    @property
    def count_parts(self) -> tuple[str, str]:
        """("37 papers", " today · the top 15 are in this thread"): the first part is the
        one an adapter makes bold."""
        return plural(self.total, "paper"), f" today · {self.kept_note}"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the core answers; adapters escape and render it.

    Each fact is said once: `title` is the heading, `cards` the papers, `links` the links about
    the whole message, and `text` only the body besides them (plain, no markup; often empty).
    An adapter that needs a plain fallback (a notification, a screen reader, the terminal)
    composes it from `title`, `text` and `cards` — `text` never repeats them."""

    text: str
    cards: tuple[PaperCard, ...] = ()
    private: bool = False  # ephemeral / visible only to the caller
    mention_user_ids: tuple[str, ...] = ()  # the only users an adapter may ping
    title: str | None = None
    is_error: bool = False
    links: tuple[Link, ...] = ()  # links about the whole message (e.g. the day's HF page)
    preformatted: bool = False  # keep line breaks and spacing (BibTeX): a code block, never wrapped
    compact: bool = False  # each card as one line (a channel's compact style), no buttons
    headline: DayHeadline | None = None  # the parent of a day's thread: adapters render it
    shareable: bool = False  # a private card its reader may post to the channel (a Share button)


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper merged from all sources, keyed by arXiv id without version."""

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    published_at: str | None = None
    upvotes: int | None = None
    num_comments: int | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    organization: str | None = None  # HF organization name (slug), e.g. "nvidia"
    organization_name: str | None = None  # its display name, e.g. "NVIDIA"
    thumbnail: str | None = None  # HF social thumbnail URL
    submitted_by: str | None = None  # the HF user who submitted it to the daily list
    categories: tuple[str, ...] = ()  # arXiv, primary first
    primary_category: str | None = None
    version: int | None = None
    comment: str | None = None
    doi: str | None = None
    journal_ref: str | None = None


@dataclass(frozen=True, slots=True)
class DayPapers:
    """A parsed `daily_papers` response: the good papers, plus a warning per skipped entry."""

    papers: tuple[Paper, ...] = ()
    warnings: tuple[str, ...] = field(default=())


_PAPER_FIELDS = frozenset(f.name for f in fields(Paper))
_TUPLE_FIELDS = ("authors", "ai_keywords", "categories")


def paper_from_row(row: Mapping[str, Any]) -> Paper:
    """A `Paper` from a stored row (storage has already decoded its JSON list columns);
    columns the model does not know (`day_upvotes`, `saved_at`, …) are ignored."""
    data = {k: v for k, v in row.items() if k in _PAPER_FIELDS}
    for k in _TUPLE_FIELDS:
        data[k] = tuple(data.get(k) or ())
    data["abstract"] = data.get("abstract") or ""
    return Paper(**data)


@dataclass(frozen=True, slots=True)
class Digest:
    """The day's thread as neutral data: a parent message and one reply per paper.

    Built once and rendered by each adapter (and by `paperbot digest`), so what the CLI prints
    is exactly what the scheduler posts."""

    day: str  # YYYY-MM-DD
    title: str  # "Daily Papers — Wed 1 Oct 2025"
    overview: str  # the day in plain text: count, themes (or the LLM's prose), most upvoted
    hf_url: str  # the day's page on Hugging Face
    parent: Reply  # title + `headline` + the button to the day's page
    items: tuple[Reply, ...]  # one card each, best first
    thread_name: str  # ≤100 chars, for Discord threads / forum posts: "Daily Papers — Wed 1 Oct"


@dataclass(frozen=True, slots=True)
class Check:
    """One line of `paperbot doctor`: what was checked, whether it passed, what was seen,
    and (when it failed) what to do about it. Adapters build these for their platform."""

    name: str
    ok: bool
    detail: str = ""
    fix: str = ""
