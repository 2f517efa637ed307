"""`/papers search`: an honest count, pages, a chosen order, and a Hugging Face fallback
that answers the same question the user asked.

The head says how many stored papers match ("52 stored papers match mamba — the top 10 by
relevance"); past the candidate window it says so ("1,000+"), never a page size posing as a
total. `page N` and `sort:relevance|upvotes|date` are read off the query before it is
parsed, so they are not query words. The fallback runs only when nothing stored matches
and the query has words to send; it sends just those words, and keeps only hits that pass
the whole query (its filters and exclusions too). Its hits are stored as papers, never as a
day: `today`, `status` and the day counts know only the daily lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cards import card_for
from bot.commands.spec import Ctx, UsageError, outage, private
from bot.commands.unmatched import recent_window, unmatched_notes, unmatched_reason
from bot.model import Paper, Reply
from bot.query.ast import TEXT_NODES, Phrase, Query, Term, positive_atoms
from bot.query.match import doc_for, explain_match
from bot.query.parser import parse_query
from bot.query.search import SORTS, SearchPage, search_page
from bot.query.window import listed_between
from bot.sources.errors import SourceError
from bot.text import plural, quoted_input, whole_number
from storage import papers as paper_store

PER_PAGE = 10
MAX_PAGE = 100
_SORT_WORDS = {"relevance": "by relevance", "upvotes": "most upvoted", "date": "newest"}


@dataclass(frozen=True, slots=True)
class SearchArgs:
    """A search as typed: the query text, and the page and order read off it."""

    query: str
    page: int = 1
    sort: str = "relevance"


def search_args(text: str) -> SearchArgs:
    """Split `sort:X` and `page N` off what the user typed; the rest is the query."""
    tokens = text.split()
    page, sort, rest = 1, "relevance", []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        low = token.lower()
        if low.startswith("sort:"):
            sort = low[5:]
            if sort not in SORTS:
                raise UsageError(
                    f"{quoted_input(token)} is not an order; use sort:{'|'.join(SORTS)}."
                )
        elif (
            low == "page"
            and i + 1 < len(tokens)
            and tokens[i + 1].isascii()
            and tokens[i + 1].isdigit()
        ):
            n = whole_number(tokens[i + 1], 1, MAX_PAGE)
            if n is None:
                raise UsageError(
                    f"page {quoted_input(tokens[i + 1])}: use a page from 1 to {MAX_PAGE}."
                )
            page, i = n, i + 1
        else:
            rest.append(token)
        i += 1
    return SearchArgs(" ".join(rest), page, sort)


def count_head(total: int, capped: bool, q: Query, page: int, shown: int, sort: str) -> str:
    """ "52 stored papers match mamba — the top 10 by relevance"; "— 11–20, newest" on page 2."""
    if capped:
        head = f"{total:,}+ stored papers match {q.text} (the newest {total:,} are ranked)"
    else:
        verb = "matches" if total == 1 else "match"
        head = f"{plural(total, 'stored paper')} {verb} {q.text}"
    has_words = any(isinstance(a, TEXT_NODES) for a in positive_atoms(q.root))
    order = _SORT_WORDS["upvotes" if sort == "relevance" and not has_words else sort]
    if page == 1 and shown == total and not capped:
        return f"{head}, {order}" if total > 1 else head
    first = (page - 1) * PER_PAGE + 1
    if page == 1:
        return f"{head} — the top {shown} {order}"
    return f"{head} — {first}–{first + shown - 1}, {order}"


async def search(ctx: Ctx, args: str) -> list[Reply]:
    if not args.strip():
        raise UsageError("search needs a query.")
    sa = search_args(args)
    if not sa.query:
        raise UsageError("search needs a query besides page and sort:.")
    q = parse_query(sa.query)
    found = search_page(ctx.core.db, q, page=sa.page, per_page=PER_PAGE, sort=sa.sort)
    if found.hits:
        head = count_head(found.total, found.capped, q, sa.page, len(found.hits), sa.sort)
        if sa.page == 1:  # older matches only: say why
            head = "\n".join([head, *_older_note(ctx, q, found)])
        papers = [(h.paper, h.matched) for h in found.hits if h.paper is not None]
        return await _cards(ctx, head, papers, (sa.page - 1) * PER_PAGE + 1)
    if found.total:
        last = -(-found.total // PER_PAGE)
        return private(
            f"{plural(found.total, 'stored paper')} match {q.text}: page {sa.page} is past"
            f" the last ({last})."
        )
    return await _fallback(ctx, q)


def _older_note(ctx: Ctx, q: Query, found: SearchPage) -> list[str]:
    """The "matches nothing lately" note, when no match is listed in the last RECENT_DAYS
    days. The search's newest match usually settles it (bot.query.window.listed_between:
    listed in them, or older than every paper listed in them); only when it cannot is the
    window counted."""
    window = recent_window(ctx.core)
    if window is None:
        return []
    listed = listed_between(ctx.core.db, found.newest, *window)
    if listed:
        return []
    return unmatched_notes(ctx.core, q, count=None if listed is None else 0)


def free_words(q: Query) -> str:
    """The words and phrases a query asks for, as plain words: what a text search can take."""
    words = []
    for atom in dict.fromkeys(positive_atoms(q.root)):
        if isinstance(atom, Term):
            words.append(atom.word)
        elif isinstance(atom, Phrase):
            words.extend(atom.words)
    return " ".join(words)


async def _fallback(ctx: Ctx, q: Query) -> list[Reply]:
    """Hugging Face's search, for a query with words; only hits the whole query accepts."""

    def why() -> str:  # read only when the answer is "nothing": a found hit never shows it
        reason = unmatched_reason(ctx.core, q)
        return f" ({reason})" if reason else ""

    words = free_words(q)
    if not words:
        return private(f"Nothing stored matches {q.text}{why()}.")
    try:
        remote = await ctx.core.hf.search(words, limit=PER_PAGE)
    except SourceError as e:
        return private(f"Nothing stored matches {q.text}{why()}; {outage(e)}.", is_error=True)
    matches: list[tuple[Paper, tuple[str, ...]]] = []
    for p in remote:
        m = explain_match(q, doc_for(p))
        if m is not None:
            matches.append((p, m))
    if not matches:
        return private(f"Nothing matches {q.text}, here or on Hugging Face{why()}.")
    paper_store.upsert_papers(ctx.core.db, [p for p, _ in matches])
    head = (
        f"Nothing stored matches {q.text}; {plural(len(matches), 'result')}"
        " from Hugging Face search"
    )
    return await _cards(ctx, head, matches)


async def _cards(
    ctx: Ctx, head: str, papers: list[tuple[Paper, tuple[str, ...]]], first: int = 1
) -> list[Reply]:
    cards = tuple(
        [await card_for(ctx.core, p, rank=i, matched=m) for i, (p, m) in enumerate(papers, first)]
    )
    return [Reply(text=head, cards=cards, private=True)]
