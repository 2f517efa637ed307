"""Building the neutral `PaperCard` a message shows for a paper."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.model import Link, Paper, PaperCard
from bot.paper_ids import arxiv_links
from bot.sources.hf_parse import collapse_whitespace

if TYPE_CHECKING:
    from bot.core import Core


def short_authors(authors: tuple[str, ...], n: int = 3) -> tuple[str, ...]:
    if len(authors) <= n:
        return authors
    return (*authors[:n], "et al.")


def paper_links(paper: Paper) -> tuple[Link, ...]:
    links = [Link(label, url) for label, url in arxiv_links(paper.id).items()]
    if paper.github_repo:
        links.append(Link("Code", paper.github_repo))
    if paper.project_page:
        links.append(Link("Project", paper.project_page))
    return tuple(links)


async def card_for(
    core: Core,
    paper: Paper,
    *,
    rank: int | None = None,
    matched: tuple[str, ...] = (),
    offline: bool = False,
) -> PaperCard:
    """A card with the paper's TL;DR; `offline` never calls an LLM (CLI digest, tests)."""
    s = core.summariser
    summary = s.summarise_offline(paper) if offline else await s.summarise(paper)
    return PaperCard(
        paper_id=paper.id,
        title=collapse_whitespace(paper.title),
        url=f"https://huggingface.co/papers/{paper.id}",
        tldr=summary.text,
        authors=short_authors(paper.authors),
        upvotes=paper.upvotes,
        keywords=tuple(paper.ai_keywords[:6]),
        links=paper_links(paper),
        rank=rank,
        matched=matched,
        summary_source=summary.source,
    )
