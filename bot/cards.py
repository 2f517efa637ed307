"""A paper as a message shows it: the neutral `PaperCard`, and every link to a paper or a day.

Links are built here and only here, so a card, BibTeX and the day's thread agree on them.
Recognising ids in what users type is `bot.sources.arxiv_ids`.
"""

from __future__ import annotations

from bot.core import Core
from bot.model import Link, Paper, PaperCard
from bot.text import collapse_whitespace

HF_BASE = "https://huggingface.co"


def arxiv_abs_url(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


def arxiv_pdf_url(paper_id: str) -> str:
    return f"https://arxiv.org/pdf/{paper_id}"


def hf_paper_url(paper_id: str) -> str:
    return f"{HF_BASE}/papers/{paper_id}"


def hf_day_url(day: str) -> str:
    return f"{HF_BASE}/papers/date/{day}"


def arxiv_links(paper_id: str) -> dict[str, str]:
    return {
        "arXiv": arxiv_abs_url(paper_id),
        "PDF": arxiv_pdf_url(paper_id),
        "HF": hf_paper_url(paper_id),
    }


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
        url=hf_paper_url(paper.id),
        tldr=summary.text,
        authors=short_authors(paper.authors),
        upvotes=paper.upvotes,
        keywords=tuple(paper.ai_keywords[:6]),
        links=paper_links(paper),
        rank=rank,
        matched=matched,
        summary_source=summary.source,
    )
