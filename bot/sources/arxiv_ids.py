"""arXiv identifiers: one place that knows what an id looks like.

Ids end up in URLs and database keys, so anything that is not an arXiv id is rejected here
rather than passed on. Ids are ASCII: without `re.ASCII`, `\\d` would take Arabic-Indic or
fullwidth digits (`٢٦١٢.٠٠٠٠١`) and IGNORECASE would fold the Kelvin sign into `k`. A version
has at most four digits, so it always fits a database integer.
"""

from __future__ import annotations

import re

# New style YYMM.NNNNN: a real month, 4 digits after the dot until 1412 and 5 from 1501
# (https://info.arxiv.org/help/arxiv_identifier.html), so `2509.2400` is refused before any
# request; old style astro-ph/0601001 or math.GT/0309136.
_MONTH = r"(?:0[1-9]|1[0-2])"
_NEW = rf"(?:0[7-9]|1[0-4]){_MONTH}\.\d{{4}}|(?:1[5-9]|[2-9]\d){_MONTH}\.\d{{5}}"
_ID = rf"(?P<id>{_NEW}|[a-z][a-z\-]*(?:\.[A-Z]{{2}})?/\d{{7}})(?:v(?P<version>\d{{1,4}}))?"
_ID_RE = re.compile(rf"^{_ID}$", re.ASCII)
# The pages people paste: arXiv's abstract/PDF/HTML, Hugging Face's paper page (also under its
# short domain hf.co) and alphaXiv's (abs/ and overview/; a trailing version or .pdf is fine).
_PAGES = (
    r"\b(?:arxiv\.org/(?:abs|pdf|html)/|(?:huggingface|hf)\.co/papers/"
    r"|alphaxiv\.org/(?:abs|overview|pdf)/)"
)
_IN_TEXT_RE = re.compile(
    # no digit of any script may follow the id: "2401.1234٥" is not "2401.1234"
    rf"(?:{_PAGES}|\barxiv:\s*){_ID}(?!(?u:\d))",
    re.IGNORECASE | re.ASCII,
)


def split_version(raw: str) -> tuple[str, int | None] | None:
    """`2401.12345v2` -> ("2401.12345", 2); `astro-ph/0601001` -> (…, None); junk -> None."""
    m = _ID_RE.match(raw.strip())
    if not m:
        return None
    version = m.group("version")
    return m.group("id"), int(version) if version else None


def base_id(raw: str) -> str | None:
    """The id without its version, or None when `raw` is not an arXiv id."""
    parts = split_version(raw)
    return parts[0] if parts else None


def find_arxiv_id(text: str) -> str | None:
    """The arXiv id in a user's text: a bare id or an arxiv.org, huggingface.co/papers (hf.co)
    or alphaxiv.org URL."""
    exact = base_id(text)
    if exact:
        return exact
    m = _IN_TEXT_RE.search(text)
    return m.group("id") if m else None


def linked_arxiv_ids(text: str) -> list[str]:
    """Every paper page linked in a chat message (the arxiv.org, huggingface.co/papers, hf.co
    and alphaxiv.org pages `find_arxiv_id` knows, or `arXiv:` ids), in order, without repeats
    and without versions (one stored paper per id)."""
    return list(dict.fromkeys(m.group("id") for m in _IN_TEXT_RE.finditer(text)))
