"""A paper as a message shows it: the neutral `PaperCard`, and every link to a paper or a day.

Links are built here and only here, so a card, BibTeX and the day's thread agree on them.
Recognising ids in what users type is `bot.sources.arxiv_ids`.

A card is also where untrusted fields get their caps (`bot.text`): a source can send a megabyte
where a title belongs, and a platform that splits rather than cuts would post it as hundreds of
messages. Capped once here, every platform, the shell and `paperbot digest` show the same card.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
    short_count,
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


def hf_period_url(kind: str, name: str) -> str:
    """Hugging Face's page of an ISO week (`week`, `2025-W40`) or a month (`month`, `2025-09`)."""
    return f"{HF_BASE}/papers/{kind}/{name}"


def arxiv_links(paper_id: str) -> dict[str, str]:
    return {
        "arXiv": arxiv_abs_url(paper_id),
        "PDF": arxiv_pdf_url(paper_id),
        "HF": hf_paper_url(paper_id),
    }


ET_AL = "et al."


def short_authors(authors: tuple[str, ...], n: int = 3) -> tuple[str, ...]:
    if len(authors) <= n:
        return authors
    return (*authors[:n], ET_AL)


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
    day: str | None = None,
    like: str = "",
) -> PaperCard:
    """A card with the paper's TL;DR; `offline` never calls an LLM (CLI digest, tests).
    `day` is the Hugging Face day the caller listed it under (the card's date, when known)."""
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
        date=day or (paper.published_at or "")[:10] or None,
        authors_total=len(paper.authors),
        like=fit_label(like, TITLE_MAX) if like else "",
    )


def safe_image_url(url: str | None) -> str | None:
    """An image URL a card may show: https only (a platform fetches it, and an `http:` or
    `javascript:` URL must never reach a client), with a host and no space (Slack refuses a
    whole message over an image URL it cannot fetch, `https://` alone included), and short
    enough to be whole."""
    if not url or not url.startswith("https://") or len(url) > URL_MAX:
        return None
    if not url.isprintable() or " " in url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    return url if host else None


# --- the card's face: what a compact reply shows (#11) ----------------------------------------
# Decided once here so Slack and Discord show the same facts; each adapter only escapes and
# lays them out. The buttons live in one function per platform (`card_buttons`), built from
# `card_links` plus the interactive ones, so a new button is one line there.
CONTEXT_AUTHORS = 2
KEYWORDS_ON_CARD = 3
SAVE_LABEL = "Save"
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """Plural-insensitive: "models" ~ "model", "policies" ~ "policy" (enough for keywords)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _WORD.findall(text.lower()))


def card_keywords(card: PaperCard, n: int = KEYWORDS_ON_CARD) -> tuple[str, ...]:
    """At most `n` keywords, none repeating the title (or an earlier keyword) — case- and
    plural-insensitive: a keyword is dropped when its words appear in a row in the title."""
    title = " " + " ".join(_words(card.title)) + " "
    seen: set[tuple[str, ...]] = set()
    out: list[str] = []
    for keyword in card.keywords:
        words = _words(keyword)
        if not words or words in seen or f" {' '.join(words)} " in title:
            continue
        seen.add(words)
        out.append(keyword)
        if len(out) == n:
            break
    return tuple(out)


def context_authors(card: PaperCard, n: int = CONTEXT_AUTHORS) -> str:
    """ "Qinsi Wang, Bo Liu et al." — the first `n` authors, and "et al." when there are more."""
    names = [a for a in card.authors if a != ET_AL]
    more = len(names) > n or len(card.authors) > len(names) or card.authors_total > n
    shown = ", ".join(names[:n])
    return f"{shown} et al." if shown and more else shown


def context_facts(card: PaperCard, authors: int = CONTEXT_AUTHORS) -> list[str]:
    """The card's one context line as parts, each only when present:
    `▲ 55`, `💬 3`, `⭐ 6.3k`, the organisation, the first `authors` authors. Plain,
    untrusted text."""
    facts = []
    if card.upvotes is not None:
        facts.append(f"▲ {card.upvotes}")
    if card.comments:
        facts.append(f"💬 {card.comments}")
    if card.stars:
        facts.append(f"⭐ {short_count(card.stars)}")
    facts += [f for f in (card.organization.strip(), context_authors(card, authors)) if f]
    return facts


def _link(card: PaperCard, label: str) -> str | None:
    return next((link.url for link in card.links if link.label == label), None)


def card_links(card: PaperCard) -> tuple[Link, ...]:
    """The card's link buttons: PDF, `Code ⭐N` when there is a repository, Project only when
    it is not the code link. No HF (the title is that link) and no arXiv (one click from PDF)."""
    out = []
    pdf = _link(card, "PDF")
    if pdf:
        out.append(Link("PDF", pdf))
    code = _link(card, "Code")
    if code:
        out.append(Link(f"Code ⭐{short_count(card.stars)}" if card.stars else "Code", code))
    project = _link(card, "Project")
    if project and project.rstrip("/") != (code or "").rstrip("/"):
        out.append(Link("Project", project))
    return tuple(out)


# --- a compact channel's line: linked title · ▲ · ⭐ · one-line TL;DR --------------------------
COMPACT_TLDR = 140


def compact_facts(card: PaperCard) -> list[str]:
    """`▲ 55`, `⭐ 6.3k`: what a compact line shows beside the title, each only when present."""
    facts = [f"▲ {card.upvotes}"] if card.upvotes is not None else []
    return facts + ([f"⭐ {short_count(card.stars)}"] if card.stars else [])


def compact_tldr(card: PaperCard) -> str:
    """The TL;DR on one line, short enough that ten lines stay a glance."""
    return fit_label(" ".join(card.tldr.split()), COMPACT_TLDR)
