"""Reading papers: today, top, search, show."""

from __future__ import annotations

from datetime import date

from bot.cards import card_for
from bot.commands.spec import Arg, Ctx, Spec, UsageError, outage, parse_limit, private
from bot.daily.periods import looks_like_period, parse_period
from bot.daily.thread import digest_title
from bot.model import Paper, Reply, paper_from_row
from bot.query.match import doc_for, explain_match
from bot.query.parser import parse_query
from bot.query.search import search_papers
from bot.sources.arxiv_ids import find_arxiv_id
from bot.sources.errors import SourceError
from bot.text import display_date, plural, quoted_input
from storage import papers as paper_store


async def _cards_reply(ctx: Ctx, text: str, papers: list[tuple[Paper, tuple[str, ...]]]) -> list:
    cards = tuple(
        [await card_for(ctx.core, p, rank=i, matched=m) for i, (p, m) in enumerate(papers, 1)]
    )
    return [Reply(text=text, cards=cards, private=True)]


async def today(ctx: Ctx, args: str) -> list[Reply]:
    parts = args.split()
    if len(parts) > 1:
        raise UsageError("today takes at most one argument, the number of papers.")
    limit = parse_limit(parts[0] if parts else "")
    core = ctx.core
    day = core.latest_day()
    if day is None:
        return private(
            "No papers stored yet. Run `paperbot fetch` (or `paperbot import`) to load some."
        )
    total, rows = paper_store.day_page(core.db, day, limit)
    head = digest_title(day, total)
    if day != core.today():
        head += f" (latest day with papers; nothing yet for {display_date(core.today())})"
    shown = [(paper_from_row(r), ()) for r in rows]
    if total > limit:
        head += f" — showing the top {limit}"
    return await _cards_reply(ctx, head, shown)


async def top(ctx: Ctx, args: str) -> list[Reply]:
    parts = args.split()
    word = parts.pop(0) if parts and looks_like_period(parts[0]) else "week"
    if len(parts) > 1 or (parts and not _looks_numeric(parts[0])):
        raise UsageError(
            f"{quoted_input(' '.join(parts))} is not a period; use day, week, month, 7d, "
            "2025-W40 or 2025-09."
        )
    limit = parse_limit(parts[0] if parts else "")
    end = ctx.core.latest_day()
    if end is None:
        return private("No papers stored yet. Run `paperbot fetch` to load some.")
    period = parse_period(word, date.fromisoformat(end))
    if period is None:
        raise UsageError(f"{quoted_input(word)} is not a period; e.g. 2025-W40, 2025-09 or 7d.")
    rows = paper_store.top_page(ctx.core.db, period.days[0], period.days[-1], limit)
    head = f"Top {len(rows)} papers of {period.describe()}, by upvotes"
    return await _cards_reply(ctx, head, [(paper_from_row(r), ()) for r in rows])


def _looks_numeric(token: str) -> bool:
    """A token meant as a limit (`5`, `-3`, `²`), so its error names the limit's range."""
    return any(c.isdigit() or c in "+-" for c in token)


async def search(ctx: Ctx, args: str) -> list[Reply]:
    if not args.strip():
        raise UsageError("search needs a query.")
    q = parse_query(args)
    hits = search_papers(ctx.core.db, q, limit=10)
    if hits:
        papers = [(h.paper, h.matched) for h in hits if h.paper is not None]
        verb = "matches" if len(papers) == 1 else "match"
        head = f"{plural(len(papers), 'stored paper')} {verb} {q.text}"
        return await _cards_reply(ctx, head, papers)
    try:
        remote = await ctx.core.hf.search(args.strip(), limit=10)
    except SourceError as e:
        return private(f"Nothing stored matches {q.text}; {outage(e)}.", is_error=True)
    matches = []
    for p in remote:
        m = explain_match(q, doc_for(p))
        matches.append((p, m or ()))
    if not matches:
        return private(f"Nothing matches {q.text}, here or on Hugging Face.")
    paper_store.upsert_papers(ctx.core.db, [p for p, _ in matches])
    head = f"Nothing stored matches {q.text}; {len(matches)} result(s) from Hugging Face search"
    return await _cards_reply(ctx, head, matches)


async def find_paper(ctx: Ctx, text: str) -> Paper:
    """A paper by id or URL: stored first, then Hugging Face, then arXiv (then stored)."""
    pid = find_arxiv_id(text)
    if pid is None:
        raise UsageError(f"'{text.strip()}' is not an arXiv id or paper URL (e.g. 2509.24002).")
    row = paper_store.get_paper_row(ctx.core.db, pid)
    if row:
        return paper_from_row(row)
    paper = await ctx.core.hf.paper(pid)
    if paper is None:
        found = await ctx.core.arxiv.lookup([pid])
        paper = found.get(pid)
    if paper is None:
        raise UsageError(f"No paper {pid} here, on Hugging Face or on arXiv.")
    paper_store.upsert_papers(ctx.core.db, [paper])
    return paper


async def show(ctx: Ctx, args: str) -> list[Reply]:
    if not args.strip() or len(args.split()) != 1:
        raise UsageError("show takes one arXiv id or URL.")
    paper = await find_paper(ctx, args)
    card = await card_for(ctx.core, paper)
    return [Reply(text="", cards=(card,), private=True)]


SPECS = (
    Spec(
        "today",
        "today [limit 1-25]",
        "today's papers (or the latest day that has any), by upvotes",
        ("/papers today", "/papers today 5"),
        today,
        args=(Arg("limit"),),
        slow=True,
    ),
    Spec(
        "top",
        "top [day|week|month|7d|2025-W40|2025-09] [limit 1-25]",
        "the most upvoted papers of an ISO week, a month, a day or the last N days",
        ("/papers top week", "/papers top month 5", "/papers top 2025-W40", "/papers top 30d"),
        top,
        args=(Arg("period"), Arg("limit")),
        slow=True,
    ),
    Spec(
        "search",
        "search <query>",
        "search stored papers (then Hugging Face)",
        (
            "/papers search diffusion video",
            '/papers search "state space model" -survey',
            "/papers search rlhf OR dpo cat:cs.CL",
        ),
        search,
        args=(Arg("query", required=True),),
        slow=True,
    ),
    Spec(
        "show",
        "show <id or URL>",
        "one paper: summary, authors, upvotes, links",
        ("/papers show 2509.24002", "/papers show https://arxiv.org/abs/2509.24002"),
        show,
        args=(Arg("paper", required=True),),
        slow=True,
    ),
)
