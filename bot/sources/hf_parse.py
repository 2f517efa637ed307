"""Parse Hugging Face Daily Papers JSON into `Paper`s.

The API grew fields over two years (see shared/data/README.md), so every field but the paper id
and title is optional and unknown fields are ignored. A bad entry costs only itself: it becomes a
warning and the rest of the day is kept. A response that is not a list of entries at all is one
`MalformedResponse`.

Hostile values cost only their field: a count SQLite cannot hold is dropped, and strings lose
their lone surrogates and control characters (`bot.text.printable`) before anything stores or
prints them. `loads` is the one JSON decoder for Hugging Face data, live or saved.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.model import DayPapers, Paper
from bot.sources.arxiv_ids import split_version
from bot.sources.errors import MalformedResponse
from bot.text import ORGANIZATION_MAX, URL_MAX, clean_line, collapse_whitespace, printable

_GITHUB_URL_RE = re.compile(r"https?://(?:www\.)?github\.com/[^\s<>\"'`\]\[(){}]+", re.IGNORECASE)
_PLAIN_KEY_RE = re.compile(r"^[\w.\-]{1,40}$", re.ASCII)
_URL_TRAILING = ".,;:!?'\")]}>/"
COUNT_MAX = 2**63 - 1  # SQLite's largest INTEGER: every count we keep must be storable
_INT_DIGITS_MAX = 20  # longer integer literals are dropped while decoding (see `loads`)


class _BadEntry(ValueError):
    """Why one entry was skipped (becomes a warning, never escapes this module)."""


def loads(data: bytes | str) -> Any:
    """Decoded JSON; MalformedResponse (not RecursionError) for nesting too deep to decode.

    Integer literals longer than any count are decoded as null: Python refuses to read one
    past 4,300 digits, which would otherwise cost the whole day.
    """
    try:
        return json.loads(data, parse_int=_int_literal)
    except RecursionError:
        raise MalformedResponse("the JSON is nested too deeply to read") from None


def _int_literal(text: str) -> int | None:
    return int(text) if len(text) <= _INT_DIGITS_MAX else None


def parse_daily_papers(data: object) -> DayPapers:
    """A decoded `daily_papers` response -> papers in list order + one warning per skipped entry."""
    if not isinstance(data, list):
        raise MalformedResponse(f"expected a JSON array of papers, got {describe_json(data)}")
    papers: list[Paper] = []
    warnings: list[str] = []
    for index, entry in enumerate(data):
        try:
            papers.append(_paper_from_entry(entry))
        except _BadEntry as why:
            warnings.append(f"entry {index}: {why}")
    if data and not papers:
        raise MalformedResponse(f"no valid entries: {warnings[0]}")
    return DayPapers(papers=tuple(papers), warnings=tuple(warnings))


def parse_paper(obj: object) -> Paper:
    """One paper from `/api/papers/{id}` (bare) or a search result (`{"paper": {...}, ...}`)."""
    try:
        return _paper_from_entry(obj)
    except _BadEntry as why:
        raise MalformedResponse(f"unreadable paper: {why}") from None


def describe_json(value: object) -> str:
    """A short description of a JSON value for error messages: never the value itself."""
    if isinstance(value, dict):
        keys = [_printable_key(str(k)) for k in list(value)[:8]]
        more = ", …" if len(value) > 8 else ""
        return f"an object with keys {', '.join(keys)}{more}" if keys else "an empty object"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _printable_key(key: str) -> str:
    """Keys come from the server: show plain ones as they are, anything else JSON-quoted."""
    return key if _PLAIN_KEY_RE.match(key) else json.dumps(key[:30])


def first_github_url(text: str) -> str | None:
    """The first github.com URL in free text, without the punctuation that ends its sentence."""
    for match in _GITHUB_URL_RE.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        if "/" in url.split("github.com", 1)[1].strip("/"):  # owner/repo, not just a profile
            return url
    return None


def _paper_from_entry(entry: object) -> Paper:
    if not isinstance(entry, dict):
        raise _BadEntry(f"expected an object, got {describe_json(entry)}")
    paper = entry.get("paper", entry)
    if not isinstance(paper, dict):
        raise _BadEntry(f"'paper' is {describe_json(paper)}, not an object")
    paper_id = _paper_id(paper)
    title = collapse_whitespace(_text(paper, "title") or _text(entry, "title") or "")
    if not title:
        raise _BadEntry(f"paper {paper_id} has no title")
    abstract = collapse_whitespace(_text(paper, "summary") or _text(entry, "summary") or "")
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        authors=_author_names(paper.get("authors")),
        published_at=_text(paper, "publishedAt") or _text(entry, "publishedAt"),
        upvotes=_int(paper, "upvotes"),
        num_comments=_int(entry, "numComments"),
        ai_summary=_optional_text(paper, "ai_summary"),
        ai_keywords=_strings(paper.get("ai_keywords")),
        github_repo=_text(paper, "githubRepo") or first_github_url(abstract),
        github_stars=_int(paper, "githubStars"),
        project_page=_text(paper, "projectPage"),
        organization=_org_field(paper, "name") or _org_field(entry, "name"),
        organization_name=_org_field(paper, "fullname") or _org_field(entry, "fullname"),
        thumbnail=_https_url(entry, "thumbnail") or _https_url(paper, "thumbnail"),
        submitted_by=_submitter(entry.get("submittedBy"), "name")
        or _submitter(paper.get("submittedOnDailyBy"), "user"),
    )


def _paper_id(paper: dict[str, Any]) -> str:
    raw = paper.get("id")
    if not isinstance(raw, str) or not raw.strip():
        raise _BadEntry("no paper id")
    parts = split_version(raw)
    if parts is None:
        raise _BadEntry(f"paper id {raw[:40]!r} is not an arXiv id")
    return parts[0]


def _text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return (printable(value).strip() or None) if isinstance(value, str) else None


def _optional_text(obj: dict[str, Any], key: str) -> str | None:
    value = _text(obj, key)
    return collapse_whitespace(value) if value else None


def _int(obj: dict[str, Any], key: str) -> int | None:
    """A count, or None: not an integer, negative, or too large for SQLite (10^30 upvotes)."""
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if 0 <= value <= COUNT_MAX else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    cleaned = (clean_line(s) for s in value if isinstance(s, str))
    return tuple(s for s in cleaned if s)


def _author_names(value: object) -> tuple[str, ...]:
    """All author names, hidden ones too: `hidden` hides the HF account link, not the author."""
    if not isinstance(value, list):
        return ()
    names = []
    for author in value:
        name = author.get("name") if isinstance(author, dict) else author
        name = clean_line(name) if isinstance(name, str) else ""
        if name:
            names.append(name)
    return tuple(names)


def _org_field(obj: dict[str, Any], key: str) -> str | None:
    """The HF organisation's slug (`name`, "nvidia") or display name (`fullname`, "NVIDIA");
    one longer than any name (100 KB) is not kept."""
    org = obj.get("organization")
    name = _optional_text(org, key) if isinstance(org, dict) else None
    return name if name and len(name) <= ORGANIZATION_MAX else None


def _submitter(user: object, handle_key: str) -> str | None:
    """Who put the paper on the daily list: their full name, else their handle. Entries carry
    `submittedBy{fullname, name}`; papers (since 2025-03) `submittedOnDailyBy{fullname, user}`."""
    if not isinstance(user, dict):
        return None
    name = _optional_text(user, "fullname") or _optional_text(user, handle_key)
    return name if name and len(name) <= ORGANIZATION_MAX else None


def _https_url(obj: dict[str, Any], key: str) -> str | None:
    """An image URL a platform may fetch: https only, one line, of a usable length."""
    url = _text(obj, key)
    if url and url.startswith("https://") and len(url) <= URL_MAX and not _has_space(url):
        return url
    return None


def _has_space(text: str) -> bool:
    # Every whitespace character but the ASCII space is unprintable (Unicode "Separator" or
    # "Other"), so a printable string only needs the one test, at C speed; an import asks
    # this of ~6,000 thumbnail URLs.
    if text.isprintable():
        return " " in text
    return any(c.isspace() for c in text)
