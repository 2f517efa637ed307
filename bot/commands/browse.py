"""Reading papers: today, top, search, show."""

from __future__ import annotations

from datetime import date

from bot.cards import card_for
from bot.commands.detail import detail_text
from bot.commands.search import search
from bot.commands.share import SHARE_WORD, share
from bot.commands.spec import Arg, Ctx, Spec, UsageError, parse_limit, private
from bot.core import Core
from bot.daily.periods import looks_like_period, parse_period
from bot.daily.thread import digest_title
from bot.model import Paper, Reply, paper_from_row
from bot.query.parser import parse_query
from bot.query.search import search_page
from bot.sources.arxiv_ids import find_arxiv_id
from bot.text import display_date, plural, quoted_input
from storage import papers as paper_store

SUGGESTIONS = 5


async def _cards_reply(ctx: Ctx, text: str, papers: list[tuple[Paper, str | None]]) -> list:
    """Cards of `papers`, each with the Hugging Face day it was listed on (when known)."""
    cards = tuple(
        [await card_for(ctx.core, p, rank=i, day=d) for i, (p, d) in enumerate(papers, 1)]
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
    shown = [(paper_from_row(r), day) for r in rows]
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
    return await _cards_reply(ctx, head, [(paper_from_row(r), r.get("last_day")) for r in rows])


def _looks_numeric(token: str) -> bool:
    """A token meant as a limit (`5`, `-3`, `²`), so its error names the limit's range."""
    return any(c.isdigit() or c in "+-" for c in token)


def paper_ids(text: str, command: str) -> list[str]:
    """Every id or URL in `text` (one per word), in order without repeats; a word that is
    not one refuses them all, so a typo never half-runs a command."""
    ids = []
    for token in text.split():
        pid = find_arxiv_id(token)
        if pid is None:
            raise UsageError(
                f"{quoted_input(token)} is not an arXiv id or paper URL (e.g. 2509.24002);"
                f" nothing was {command}."
            )
        ids.append(pid)
    if not ids:
        raise UsageError("give an arXiv id or paper URL (e.g. 2509.24002).")
    return list(dict.fromkeys(ids))


async def find_paper(ctx: Ctx, text: str) -> Paper:
    """A paper by id or URL: stored first, then Hugging Face, then arXiv (then stored)."""
    pid = find_arxiv_id(text)
    if pid is None:
        raise UsageError(f"'{text.strip()}' is not an arXiv id or paper URL (e.g. 2509.24002).")
    paper = await lookup_paper(ctx.core, pid)
    if paper is None:
        raise UsageError(f"No paper {pid} here, on Hugging Face or on arXiv.")
    return paper


async def lookup_paper(core: Core, pid: str) -> Paper | None:
    """The paper `pid`: stored, else from Hugging Face, else from the arXiv API (and then
    stored); None when neither knows it. A source failure raises its SourceError."""
    row = paper_store.get_paper_row(core.db, pid)
    if row:
        return paper_from_row(row)
    paper = await core.hf.paper(pid)
    if paper is None:
        found = await core.arxiv.lookup([pid])
        paper = found.get(pid)
    if paper is not None:
        paper_store.upsert_papers(core.db, [paper])
    return paper


def _looks_like_id(text: str) -> bool:
    """Meant as an id or URL (`2509.2400`, `arxiv.org/…`), so a bad one is refused as an id
    rather than searched for as title words."""
    return any(c.isdigit() for c in text) and any(c in "./:" for c in text)


async def show(ctx: Ctx, args: str) -> list[Reply]:
    text = args.strip()
    if not text:
        raise UsageError(
            "show needs an arXiv id, a paper URL or words of its title"
            " (and `share` to post it here)."
        )
    words = text.split()
    if len(words) == 2 and words[1].lower() == SHARE_WORD:  # `show <id> share`
        return await share(ctx, await find_paper(ctx, words[0]))
    if len(words) == 2 and find_arxiv_id(words[0]):  # an id and a word that is not `share`
        raise UsageError(
            f"show does nothing with {quoted_input(words[1])}; add `share` or nothing."
        )
    if len(text.split()) == 1 and (find_arxiv_id(text) or _looks_like_id(text)):
        return await _detail(ctx, await find_paper(ctx, text))
    return await _by_title(ctx, text)


async def _by_title(ctx: Ctx, words: str) -> list[Reply]:
    """`show <title words>`: the one stored paper they name, or the best few to choose from."""
    q = parse_query(words)
    found = search_page(ctx.core.db, q, per_page=SUGGESTIONS)
    if not found.hits:
        return private(
            f"{quoted_input(words)} is not an arXiv id or paper URL, and no stored paper"
            f" matches it (try /papers search {q.text}).",
            is_error=True,
        )
    if found.total == 1 and found.hits[0].paper is not None:
        return await _detail(ctx, found.hits[0].paper)
    many = (
        f"{found.total:,}+ stored papers" if found.capped else plural(found.total, "stored paper")
    )
    lines = [f"{many} match {q.text}; show one by its id:"]
    for h in found.hits:
        up = f" · ▲ {h.upvotes}" if h.upvotes else ""
        lines.append(f"/papers show {h.paper_id} — {' '.join(h.title.split())}{up}")
    if found.total > len(found.hits) or found.capped:
        lines.append(f"More with /papers search {q.text}")
    return private("\n".join(lines))


async def _detail(ctx: Ctx, paper: Paper) -> list[Reply]:
    """The card, and below it (as the reply's body) what only `show` says: bot.commands.detail."""
    card = await card_for(ctx.core, paper)
    return [Reply(text=detail_text(paper), cards=(card,), private=True, shareable=True)]


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
        "search <query> [sort:relevance|upvotes|date] [page N]",
        "search stored papers (then Hugging Face): how many match, best first",
        (
            "/papers search diffusion video",
            '/papers search "state space model" -survey',
            "/papers search rlhf OR dpo cat:cs.CL",
            "/papers search mamba sort:date page 2",
        ),
        search,
        args=(Arg("query", required=True),),
        slow=True,
    ),
    Spec(
        "show",
        "show <id, URL or title words> [share]",
        "one paper in full: summary, abstract, every author, signals, links; `share` posts it here",
        (
            "/papers show 2509.24002",
            "/papers show https://hf.co/papers/2509.24002",
            "/papers show mcpmark benchmark",
            "/papers show 2509.24002 share",
        ),
        show,
        args=(Arg("paper", required=True), Arg("share")),
        slow=True,
    ),
)
