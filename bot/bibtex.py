"""BibTeX entries for papers, in the @misc form arXiv itself suggests."""

from __future__ import annotations

import re
import unicodedata

from bot.cards import arxiv_abs_url
from bot.model import Paper

_SPECIAL = str.maketrans(
    {
        "{": r"\{",
        "}": r"\}",
        "\\": r"\textbackslash{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
    }
)


def _escape(text: str) -> str:
    return " ".join(text.split()).translate(_SPECIAL)


def _key(paper: Paper) -> str:
    first = paper.authors[0] if paper.authors else "anon"
    last = first.split()[-1] if first.split() else "anon"
    last = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode().lower()
    last = re.sub(r"[^a-z]", "", last) or "anon"
    year = _year(paper)
    word = next((w.lower() for w in re.findall(r"[A-Za-z]{4,}", paper.title)), "paper")
    return f"{last}{year}{word}"


def _year(paper: Paper) -> str:
    if paper.published_at and paper.published_at[:4].isdigit():
        return paper.published_at[:4]
    m = re.match(r"(\d{2})(\d{2})\.", paper.id)
    return f"20{m.group(1)}" if m else ""


def bibtex_entry(paper: Paper) -> str:
    fields = [
        ("title", "{" + _escape(paper.title) + "}"),
        ("author", " and ".join(_escape(a) for a in paper.authors) or "Unknown"),
        ("year", _year(paper)),
        ("eprint", paper.id),
        ("archivePrefix", "arXiv"),
    ]
    if paper.primary_category:
        fields.append(("primaryClass", paper.primary_category))
    if paper.doi:
        fields.append(("doi", paper.doi))
    fields.append(("url", arxiv_abs_url(paper.id)))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@misc{{{_key(paper)},\n{body}\n}}"
