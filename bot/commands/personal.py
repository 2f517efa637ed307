"""A person's own data: topics, alerts, library (save, unsave), BibTeX, forget-me."""

from __future__ import annotations

from bot.bibtex import bibtex_entry
from bot.cards import arxiv_abs_url
from bot.commands.browse import find_paper, paper_ids
from bot.commands.spec import Arg, Ctx, Spec, UsageError, private
from bot.commands.topic_views import (
    RECENT_DAYS,
    TOPICS_USAGE,
    alerts_preview,
    checked_topic,
    recent_window,
    topic_command,
)
from bot.commands.unmatched import unmatched_notes
from bot.daily.alerts import default_scope
from bot.model import Reply, paper_from_row
from bot.query.parser import parse_query
from bot.query.search import recent_counts
from bot.recommend import rank
from bot.sources.arxiv_ids import find_arxiv_id
from bot.text import plural, quoted_input, whole_number, word_list
from storage import alert_scopes as scope_store
from storage import recommend as rec_store
from storage import users as user_store

MAX_TOPICS = 25
ALERT_MODES = {
    "dm": "a daily direct message with your matches",
    "thread": "a mention on matching papers in channel threads",
    "off": "nothing (your topics still show matches in /papers topics)",
}
ALERT_SCOPES = {
    "hf": "Hugging Face's daily list only",
    "arxiv": "arXiv's announcements only",
    "all": "Hugging Face's daily list and arXiv's announcements",
}


def _recent_matches(ctx: Ctx, query_texts: list[str]) -> list[int]:
    """How many papers of the last RECENT_DAYS days each topic matches (counted by the index)."""
    window = recent_window(ctx.core)
    if window is None:
        return [0 for _ in query_texts]
    queries = [parse_query(text) for text in query_texts]
    return recent_counts(ctx.core.db, queries, *window)


async def subscribe(ctx: Ctx, args: str) -> list[Reply]:
    text = args.strip()
    if not text:
        raise UsageError("subscribe needs a topic query.")
    q = checked_topic(text)
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
    lines += unmatched_notes(ctx.core, q, n)
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
    if args.strip():
        return await topic_command(ctx, args)
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
    verb, _, rest = args.strip().lower().partition(" ")
    if verb == "recommend":
        return private(_set_recommend(ctx, rest.strip()))
    mode, said_scope, scope = args.strip().lower().partition("scope")
    if said_scope:  # "scope arxiv", or "dm scope all": the scope sub-action, then any mode
        note = _set_alerts_scope(ctx, scope.strip())
        if not mode.strip():
            return private(note)
        [reply] = await alerts(ctx, mode)
        return private(f"{reply.text}\n{note}")
    mode = mode.strip()
    if mode == "preview":
        return await alerts_preview(ctx)
    if mode not in ALERT_MODES:
        current = user_store.get_alerts(ctx.core.db, ctx.user)
        if not mode:
            return private(
                f"Your alerts: {current} — {ALERT_MODES[current]}.\n"
                + _dm_pause_line(ctx)
                + _scope_line(ctx)
                + _recommend_line(ctx)
                + "Change with /papers alerts dm|thread|off; see the next DM with /papers alerts"
                " preview"
            )
        raise UsageError(f"'{mode}' is not an alert mode; use dm, thread or off (or preview).")
    user_store.set_alerts(ctx.core.db, ctx.user, mode)
    user_store.resume_dm_alerts(ctx.core.db, ctx.user)  # choosing again is trying again
    user_store.audit(ctx.core.db, ctx.user, "alerts", mode)
    return private(f"Alerts set to {mode}: {ALERT_MODES[mode]}.")


def _set_alerts_scope(ctx: Ctx, scope: str) -> str:
    """`alerts scope hf|arxiv|all`: which of the day's papers the user's topics are matched on."""
    if scope not in ALERT_SCOPES:
        raise UsageError(
            f"{quoted_input(scope)} is not an alert scope; use hf, arxiv or all."
            if scope
            else "alerts scope needs hf, arxiv or all."
        )
    scope_store.set_scope(ctx.core.db, ctx.user, scope)
    user_store.audit(ctx.core.db, ctx.user, "alerts scope", scope)
    note = f"Alerts now cover {ALERT_SCOPES[scope]}."
    if scope != "hf" and not ctx.core.config.sources.arxiv_categories:
        note += (
            " (This bot reads no arXiv categories yet: an admin sets [sources] arxiv_categories.)"
        )
    return note


def _set_recommend(ctx: Ctx, choice: str) -> str:
    """`alerts recommend on|off`: the "Recommended for you" section of the daily alert DM."""
    if choice not in ("on", "off"):
        raise UsageError(
            f"{quoted_input(choice)} is not on or off."
            if choice
            else "alerts recommend needs on or off."
        )
    rec_store.set_recommend_dm(ctx.core.db, ctx.user, choice == "on")
    user_store.audit(ctx.core.db, ctx.user, "alerts recommend", choice)
    if choice == "off":
        return "Your alert DM no longer recommends papers."
    note = (
        "Your alert DM now ends with a few papers recommended for you, each like one you saved"
        " or liked — even on a day none of your topics match."
    )
    if user_store.get_alerts(ctx.core.db, ctx.user) != "dm":
        note += " It comes with the daily DM, which is not on: /papers alerts dm turns it on."
    if not rank.user_signals(ctx.core.db, ctx.user).liked:
        note += " Save papers (/papers save <id>) or react 👍 in a daily thread to give it a start."
    return note


def _recommend_line(ctx: Ctx) -> str:
    on = rec_store.recommend_dm(ctx.core.db, ctx.user)
    state = "on" if on else "off"
    return f"Recommended papers in the DM: {state} (/papers alerts recommend on|off).\n"


def _scope_line(ctx: Ctx) -> str:
    scope = scope_store.get_scope(ctx.core.db, ctx.user) or default_scope(ctx.core)
    return f"They cover {ALERT_SCOPES[scope]} (/papers alerts scope hf|arxiv|all).\n"


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
    lines = []
    for pid in paper_ids(args, "saved"):
        paper = await find_paper(ctx, pid)
        title = " ".join(paper.title.split())
        if user_store.save_paper(ctx.core.db, ctx.user, paper.id):
            lines.append(f"Saved {paper.id} ({title}) to your library.")
        else:
            lines.append(f"{paper.id} ({title}) is already saved in your library.")
    return private("\n".join([*lines, "See /papers library."]))


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
        entries = [bibtex_entry(await find_paper(ctx, pid)) for pid in paper_ids(arg, "exported")]
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
        TOPICS_USAGE,
        "your topics, numbered, with recent match counts; one topic's matches; edit one",
        ("/papers topics", "/papers topics 2", '/papers topics 2 set "video generation" -survey'),
        list_topics,
        args=(Arg("topic"), Arg("query")),
    ),
    Spec(
        "alerts",
        "alerts dm|thread|off|preview|scope|recommend",
        "how matches reach you, which papers they cover (scope: the HF list, arXiv's"
        " announcements, or all), recommendations in the DM (recommend on|off); preview shows"
        " your next alert DM",
        (
            "/papers alerts dm",
            "/papers alerts preview",
            "/papers alerts scope all",
            "/papers alerts recommend on",
        ),
        alerts,
        args=(Arg("mode"), Arg("scope")),
    ),
    Spec(
        "save",
        "save <id…>",
        "add papers to your reading list (ids or URLs)",
        ("/papers save 2509.24002", "/papers save 2509.24002 hf.co/papers/2509.25541"),
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
        "bibtex <id…|library>",
        "BibTeX for papers or your whole library",
        ("/papers bibtex 2509.24002 2509.25541", "/papers bibtex library"),
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
