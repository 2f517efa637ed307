"""A paper as a message shows it: the neutral `PaperCard`, and every link to a paper or a day.

Links are built here and only here, so a card, BibTeX and the day's thread agree on them.
Recognising ids in what users type is `bot.sources.arxiv_ids`.

A card is also where untrusted fields get their caps (`bot.text`): a source can send a megabyte
where a title belongs, and a platform that splits rather than cuts would post it as hundreds of
messages. Capped once here, every platform, the shell and `paperbot digest` show the same card.
"""

from __future__ import annotations

from bot.core import Core
from bot.model import Link, Paper, PaperCard
from bot.summaries.shorten import fit_label
from bot.text import (
    AUTHOR_MAX,
    KEYWORD_MAX,
    KEYWORDS_SHOWN,
    ORGANIZATION_MAX,
    TITLE_MAX,
    TLDR_MAX,
    URL_MAX,
)

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
    """arXiv, PDF and HF, then the paper's own code and project links when they are usable
    URLs (a longer one is dropped: a cut URL leads nowhere)."""
    links = [Link(label, url) for label, url in arxiv_links(paper.id).items()]
    for label, url in (("Code", paper.github_repo), ("Project", paper.project_page)):
        if url and len(url) <= URL_MAX:
            links.append(Link(label, url))
    return tuple(links)


async def card_for(
    core: Core,
    paper: Paper,
    *,
    rank: int | None = None,
    matched: tuple[str, ...] = (),
    offline: bool = False,
    like: str = "",
) -> PaperCard:
    """A card with the paper's TL;DR; `offline` never calls an LLM (CLI digest, tests)."""
    s = core.summariser
    summary = s.summarise_offline(paper) if offline else await s.summarise(paper)
    return PaperCard(
        paper_id=paper.id,
        title=fit_label(paper.title, TITLE_MAX),
        url=hf_paper_url(paper.id),
        tldr=fit_label(summary.text, TLDR_MAX),
        authors=tuple(fit_label(a, AUTHOR_MAX) for a in short_authors(paper.authors)),
        upvotes=paper.upvotes,
        keywords=tuple(fit_label(k, KEYWORD_MAX) for k in paper.ai_keywords[:KEYWORDS_SHOWN]),
        links=paper_links(paper),
        rank=rank,
        matched=matched,
        summary_source=summary.source,
        comments=paper.num_comments,
        stars=paper.github_stars,
        organization=fit_label(
            paper.organization_name or paper.organization or "", ORGANIZATION_MAX
        ),
        thumbnail=safe_image_url(paper.thumbnail),
        date=(paper.published_at or "")[:10] or None,
        authors_total=len(paper.authors),
        like=fit_label(like, TITLE_MAX) if like else "",
    )


def safe_image_url(url: str | None) -> str | None:
    """An image URL a card may show: https only (a platform fetches it, and an `http:` or
    `javascript:` URL must never reach a client), and short enough to be whole."""
    if url and url.startswith("https://") and len(url) <= URL_MAX and url.isprintable():
        return url
    return None
