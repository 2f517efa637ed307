"""Recognising an arXiv id in what a user typed: a bare id, a versioned id, or a URL."""

from __future__ import annotations

import re

_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z\-]+(?:\.[A-Z]{2})?/\d{7}"
_ID = re.compile(rf"(?:arxiv:)?({_NEW}|{_OLD})(?:v(\d+))?", re.IGNORECASE)
_URL = re.compile(
    rf"^https?://(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers)/"
    rf"({_NEW}|{_OLD})(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def parse_paper_id(text: str) -> str | None:
    """`2509.24002`, `2509.24002v2`, `arXiv:2509.24002`, an arXiv or HF URL → `2509.24002`."""
    t = text.strip().strip("<>")
    m = _URL.match(t)
    if m:
        return m.group(1)
    m = _ID.fullmatch(t)
    if m:
        return m.group(1)
    return None


def arxiv_links(paper_id: str) -> dict[str, str]:
    return {
        "arXiv": f"https://arxiv.org/abs/{paper_id}",
        "PDF": f"https://arxiv.org/pdf/{paper_id}",
        "HF": f"https://huggingface.co/papers/{paper_id}",
    }
