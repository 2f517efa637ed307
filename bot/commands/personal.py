"""A person's own data: topics, alerts, library (save, unsave), BibTeX, forget-me."""

from __future__ import annotations

from datetime import date, timedelta

from bot.bibtex import bibtex_entry
from bot.cards import arxiv_abs_url
from bot.commands.browse import find_paper
from bot.commands.spec import Arg, Ctx, Spec, UsageError, private
from bot.model import Reply, paper_from_row
from bot.query.lexer import MAX_QUERY_CHARS
from bot.query.parser import parse_query
from bot.query.search import recent_counts
from bot.sources.arxiv_ids import find_arxiv_id
from bot.text import plural, quoted_input, whole_number, word_list
from storage import users as user_store

MAX_TOPICS = 25
RECENT_DAYS = 30
ALERT_MODES = {
    "dm": "a daily direct message with your matches",
    "thread": "a mention on matching papers in channel threads",
    "off": "nothing (your topics still show matches in /papers topics)",
}


def _recent_matches(ctx: Ctx, query_texts: list[str]) -> list[int]:
    """How many papers of the last RECENT_DAYS days each topic matches (counted by the index)."""
    end = ctx.core.latest_day()
    if end is None:
        return [0 for _ in query_texts]
    start = (date.fromisoformat(end) - timedelta(days=RECENT_DAYS - 1)).isoformat()
    queries = [parse_query(text) for text in query_texts]
    return recent_counts(ctx.core.db, queries, start, end)


async def subscribe(ctx: Ctx, args: str) -> list[Reply]:
    text = args.strip()
    if not text:
        raise UsageError("subscribe needs a topic query.")
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(
            f"a topic can be at most {MAX_QUERY_CHARS} characters (this is {len(text)})."
        )
    q = parse_query(text)
    topics = user_store.list_topics(ctx.core.db, ctx.user)
    if any(t["query"] == q.text for t in topics):
        return private(f"You already follow {q.text}. See /papers topics.")
    if len(topics) >= MAX_TOPICS:
        raise UsageError(
            f"you already have {MAX_TOPICS} topics; remove one with /papers unsubscribe <n>."
        )
    user_store.add_topic(ctx.core.db, ctx.user, q.text)
    user_store.audit(ctx.core.db, ctx.user, "subscribe", q.text)
    [n] = _recent_matches(ctx, [q.text])
    alerts = user_store.get_alerts(ctx.core.db, ctx.user)
    lines = [
        f"Subscribed to #{len(topics) + 1}: {q.text}",
        f"It matches {n} paper{'s' if n != 1 else ''} from the last {RECENT_DAYS} days.",
    ]
    if alerts == "off":
        lines.append(
            "Alerts are off: choose how to hear about matches with /papers alerts dm "
            "or /papers alerts thread."
        )
    return private("\n".join(lines))


async def unsubscribe(ctx: Ctx, args: str) -> list[Reply]:
    arg = args.strip().lower()
    topics = user_store.list_topics(ctx.core.db, ctx.user)
    if not arg:
        raise UsageError("unsubscribe needs a topic number from /papers topics, or 'all'.")
    if not topics:
        return private("You have no topics. Add one with /papers subscribe <query>.")
    if arg == "all":
        n = user_store.delete_topics(ctx.core.db, ctx.user, None)
        user_store.audit(ctx.core.db, ctx.user, "unsubscribe", "all")
        return private(f"Removed all {n} of your topics.")
    n = whole_number(arg, 1, len(topics))
    if n is None:
        raise UsageError(
            f"{quoted_input(arg)} is not one of your topic numbers (1–{len(topics)}) or 'all'."
        )
    topic = topics[n - 1]
    user_store.delete_topics(ctx.core.db, ctx.user, [topic["id"]])
    user_store.audit(ctx.core.db, ctx.user, "unsubscribe", topic["query"])
    return private(f"Removed #{n}: {topic['query']}")


async def list_topics(ctx: Ctx, args: str) -> list[Reply]:
    topics = user_store.list_topics(ctx.core.db, ctx.user)
    alerts = user_store.get_alerts(ctx.core.db, ctx.user)
    if not topics:
        return private('You have no topics yet. Try /papers subscribe "video generation" -survey')
    lines = [f"Your topics ({len(topics)}/{MAX_TOPICS}) — alerts: {alerts}"]
    counts = _recent_matches(ctx, [t["query"] for t in topics])
    for n, (t, m) in enumerate(zip(topics, counts, strict=True), 1):
        lines.append(f"{n}. {t['query']} — {m} match{'es' if m != 1 else ''} in {RECENT_DAYS} days")
    return private("\n".join(lines))


async def alerts(ctx: Ctx, args: str) -> list[Reply]:
    mode = args.strip().lower()
    if mode not in ALERT_MODES:
        current = user_store.get_alerts(ctx.core.db, ctx.user)
        if not mode:
            return private(
                f"Your alerts: {current} — {ALERT_MODES[current]}.\n"
                + _dm_pause_line(ctx)
                + "Change with /papers alerts dm|thread|off"
            )
        raise UsageError(f"'{mode}' is not an alert mode; use dm, thread or off.")
    user_store.set_alerts(ctx.core.db, ctx.user, mode)
    user_store.resume_dm_alerts(ctx.core.db, ctx.user)  # choosing again is trying again
    user_store.audit(ctx.core.db, ctx.user, "alerts", mode)
    return private(f"Alerts set to {mode}: {ALERT_MODES[mode]}.")


def _dm_pause_line(ctx: Ctx) -> str:
    """Why DM alerts stopped, when the platform refused them for good."""
    reason = user_store.dm_paused_reason(ctx.core.db, ctx.user)
    if not reason:
        return ""
    return (
        f"Your DM alerts are paused: {reason}.\n"
        "Once that is fixed, /papers alerts dm resumes them.\n"
    )


async def save(ctx: Ctx, args: str) -> list[Reply]:
    if len(args.split()) != 1:
        raise UsageError("save takes one arXiv id or URL.")
    paper = await find_paper(ctx, args)
    added = user_store.save_paper(ctx.core.db, ctx.user, paper.id)
    title = " ".join(paper.title.split())
    if not added:
        return private(f"{paper.id} ({title}) is already in your library.")
    return private(f"Saved {paper.id} ({title}) to your library. See /papers library.")


async def library(ctx: Ctx, args: str) -> list[Reply]:
    rows = user_store.library_rows(ctx.core.db, ctx.user)
    if not rows:
        return private("Your library is empty. Save a paper with /papers save <id>.")
    lines = [f"Your library ({len(rows)} paper{'s' if len(rows) != 1 else ''}):"]
    for n, r in enumerate(rows, 1):
        title = " ".join(r["title"].split())
        lines.append(f"{n}. {title} — {arxiv_abs_url(r['id'])}")
    lines.append("Export with /papers bibtex library")
    return private("\n".join(lines))


async def bibtex(ctx: Ctx, args: str) -> list[Reply]:
    arg = args.strip()
    if not arg:
        raise UsageError("bibtex needs an arXiv id or 'library'.")
    if arg.lower() == "library":
        rows = user_store.library_rows(ctx.core.db, ctx.user)
        if not rows:
            return private("Your library is empty. Save a paper with /papers save <id>.")
        entries = [bibtex_entry(paper_from_row(r)) for r in rows]
    else:
        entries = [bibtex_entry(await find_paper(ctx, arg))]
    return [Reply(text="\n\n".join(entries), private=True, title="BibTeX", preformatted=True)]


async def unsave(ctx: Ctx, args: str) -> list[Reply]:
    tokens = args.split()
    if not tokens:
        raise UsageError("unsave needs the arXiv id of a paper in your library.")
    ids = []
    for token in tokens:
        pid = find_arxiv_id(token)
        if pid is None:
            raise UsageError(f"'{token}' is not an arXiv id or paper URL; nothing was removed.")
        ids.append(pid)
    removed = user_store.unsave_papers(ctx.core.db, ctx.user, ids)
    missing = [pid for pid in dict.fromkeys(ids) if pid not in removed]
    lines = []
    if removed:
        user_store.audit(ctx.core.db, ctx.user, "unsave", " ".join(removed))
        lines.append(f"Removed {plural(len(removed), 'paper')} from your library.")
    if missing:
        verb = "was" if len(missing) == 1 else "were"
        lines.append(f"{word_list(missing)} {verb} not in your library.")
    return private("\n".join(lines + ["See /papers library."]))


# What forget-me deletes, table by table, as the user would say it.
_FOOTPRINT_WORDS = {
    "topics": lambda n: plural(n, "topic"),
    "user_prefs": lambda n: "your alert setting",
    "library": lambda n: plural(n, "saved paper"),
    "votes": lambda n: plural(n, "reaction") + " on papers",
    "audit_log": lambda n: plural(n, "entry", "entries") + " in your command history",
    "deliveries": lambda n: "the record of " + plural(n, "alert DM"),
    "channels": lambda n: "your name on " + plural(n, "channel setting"),
}


def _in_words(counts: dict[str, int]) -> str:
    return word_list([_FOOTPRINT_WORDS[table](n) for table, n in counts.items() if n])


async def forget_me(ctx: Ctx, args: str) -> list[Reply]:
    """Deletes only on `forget-me confirm`: a stray argument or a bare `forget-me` deletes
    nothing, so no typo and no half-remembered command can wipe someone's data."""
    arg = args.strip().lower()
    if arg not in ("", "confirm"):
        raise UsageError(
            "nothing was deleted. To delete everything about you: /papers forget-me confirm;"
            " to remove one paper: /papers unsave <id>."
        )
    db = ctx.core.db
    if not arg:
        stored = _in_words(user_store.user_footprint(db, ctx.user))
        if not stored:
            return private("Nothing is stored about you; there is nothing to delete.")
        return private(
            f"This deletes everything stored about you: {stored}. It cannot be undone.\n"
            "To go ahead: /papers forget-me confirm"
        )
    removed = _in_words(user_store.forget_user(db, ctx.user))
    if not removed:
        return private("Nothing was stored about you; there was nothing to delete.")
    return private(f"Deleted everything stored about you: {removed}.")


SPECS = (
    Spec(
        "subscribe",
        "subscribe <query>",
        "follow a topic (see the query forms below)",
        ('/papers subscribe "video generation" -survey', "/papers subscribe rlhf OR dpo cat:cs.CL"),
        subscribe,
        args=(Arg("query", required=True),),
    ),
    Spec(
        "unsubscribe",
        "unsubscribe <n|all>",
        "stop following topic n (from /papers topics)",
        ("/papers unsubscribe 2", "/papers unsubscribe all"),
        unsubscribe,
        args=(Arg("topic", required=True),),
        deletes=True,
    ),
    Spec(
        "topics",
        "topics",
        "your topics, numbered, with recent match counts",
        ("/papers topics",),
        list_topics,
    ),
    Spec(
        "alerts",
        "alerts dm|thread|off",
        "how matches reach you",
        ("/papers alerts dm", "/papers alerts thread"),
        alerts,
        args=(Arg("mode", required=True),),
    ),
    Spec(
        "save",
        "save <id>",
        "add a paper to your reading list",
        ("/papers save 2509.24002",),
        save,
        args=(Arg("paper", required=True),),
        slow=True,
    ),
    Spec(
        "unsave",
        "unsave <id…>",
        "remove papers from your reading list",
        ("/papers unsave 2509.24002",),
        unsave,
        args=(Arg("paper", required=True),),
        deletes=True,
    ),
    Spec("library", "library", "your reading list", ("/papers library",), library),
    Spec(
        "bibtex",
        "bibtex <id|library>",
        "BibTeX for a paper or your whole library",
        ("/papers bibtex 2509.24002", "/papers bibtex library"),
        bibtex,
        args=(Arg("target", required=True),),
        slow=True,
    ),
    Spec(
        "forget-me",
        "forget-me [confirm]",
        "delete everything stored about you (asks first)",
        ("/papers forget-me",),
        forget_me,
        args=(Arg("confirm"),),
        deletes=True,
    ),
)
