"""Merge arXiv into a paper Hugging Face listed: one row per paper, each source for its part."""

from __future__ import annotations

from dataclasses import replace

from bot.model import Paper


def merge_arxiv(hf: Paper, ax: Paper) -> Paper:
    """`hf` enriched by `ax`: arXiv owns the bibliographic fields, HF its community signals.

    arXiv fills categories, primary category, version, comment, DOI and journal ref; title,
    abstract, authors and date only when HF lacks them. Upvotes, keywords, AI summary, code and
    organization stay as HF has them.
    """
    if hf.id != ax.id:
        raise ValueError(f"cannot merge arXiv paper {ax.id} into {hf.id}")
    return replace(
        hf,
        title=hf.title or ax.title,
        abstract=hf.abstract or ax.abstract,
        authors=hf.authors or ax.authors,
        published_at=hf.published_at or ax.published_at,
        categories=ax.categories or hf.categories,
        primary_category=ax.primary_category or hf.primary_category,
        version=ax.version if ax.version is not None else hf.version,
        comment=ax.comment or hf.comment,
        doi=ax.doi or hf.doi,
        journal_ref=ax.journal_ref or hf.journal_ref,
    )
