"""`/papers …` as a discord.py `app_commands.Group`: one typed subcommand per command of
SPEC §6, with descriptions and autocomplete. Each handler only turns its options back into
the command text the core parses, so Discord, Slack and the shell share one parser.

Names and descriptions come from the core's registry (`about`), and a test holds the typed
options to the registry's arguments in both directions: one command tree on every platform.
Built by a function (nothing registers at import), bound to one `Core`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import TYPE_CHECKING, Literal
from zoneinfo import available_timezones

from discord import Interaction, app_commands
from discord.app_commands import Choice, Range

from adapters.discord.escape import plain
from adapters.discord.interactions import answer
from adapters.discord.limits import CHOICE_TEXT_MAX, CHOICES_MAX, shorten
from bot.commands.autocomplete import library_choices, paper_choices, topic_choices
from bot.commands.channel import MAX_MIN_UPVOTES, MAX_PAPERS
from bot.commands.dispatch import registry
from bot.commands.spec import MAX_LIMIT

if TYPE_CHECKING:
    from bot.core import Core

DESCRIPTION_MAX = 100  # Discord's limit for a command or option description
Complete = Callable[[Interaction, str], Awaitable[list[Choice[str]]]]


@cache
def _timezones() -> list[str]:
    return sorted(available_timezones())


def _choices(pairs: list[tuple[str, str]]) -> list[Choice[str]]:
    return [
        Choice(name=shorten(plain(label), CHOICE_TEXT_MAX) or value, value=value)
        for value, label in pairs[:CHOICES_MAX]
        if 0 < len(value) <= CHOICE_TEXT_MAX
    ]


Mode = Literal["dm", "thread", "off", "preview"]
Scope = Literal["hf", "arxiv", "all"]
ALERTS_HELP = {
    "mode": "dm: a daily DM · thread: a mention in the thread · off · preview: your next DM",
    "scope": "which papers: hf (the daily list) · arxiv (announcements) · all",
}


def _args(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p not in (None, ""))


def completers(core: Core) -> dict[str, Complete]:
    async def papers(interaction: Interaction, current: str) -> list[Choice[str]]:
        return _choices(paper_choices(core, current, limit=CHOICES_MAX))

    def own_topics(interaction: Interaction, current: str) -> list[tuple[str, str]]:
        user = (str(interaction.guild_id or ""), str(interaction.user.id))
        return topic_choices(core, "discord", *user, current)

    async def topics(interaction: Interaction, current: str) -> list[Choice[str]]:
        pairs = own_topics(interaction, current)
        return _choices([*pairs[: CHOICES_MAX - 1], ("all", "all — remove every topic")])

    async def topic_numbers(interaction: Interaction, current: str) -> list[Choice[str]]:
        return _choices(own_topics(interaction, current))

    async def library(interaction: Interaction, current: str) -> list[Choice[str]]:
        user = (str(interaction.guild_id or ""), str(interaction.user.id))
        return _choices(library_choices(core, "discord", *user, current))

    async def bibtex(interaction: Interaction, current: str) -> list[Choice[str]]:
        lib = [("library", "library — your whole reading list")]
        return _choices(lib + paper_choices(core, current, limit=CHOICES_MAX - 1))

    async def timezones(interaction: Interaction, current: str) -> list[Choice[str]]:
        found = [z for z in _timezones() if current.lower() in z.lower()]
        return _choices([(z, z) for z in found])

    return {
        "papers": papers,
        "topics": topics,
        "topic_numbers": topic_numbers,
        "library": library,
        "bibtex": bibtex,
        "timezones": timezones,
    }


def about(name: str, action: str = "") -> str:
    """A subcommand's description: the core's summary of it (a KeyError here means the
    Discord tree names a command the core does not have)."""
    spec = registry()[name]
    summary = next(a.summary for a in spec.actions if a.name == action) if action else spec.summary
    return shorten(summary[:1].upper() + summary[1:], DESCRIPTION_MAX)


def build_papers_group(core: Core) -> app_commands.Group:
    """The `/papers` command tree, every subcommand answering through the core's `handle`.

    Installed to servers only, and usable there and in the bot's DMs
    (https://discord.com/developers/docs/interactions/application-commands#contexts)."""
    papers = app_commands.Group(
        name="papers",
        description="Trending research papers, daily",
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=True, private_channel=False
        ),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
    )
    complete = completers(core)
    _reading_commands(papers, core, complete)
    _personal_commands(papers, core, complete)
    _topic_commands(papers, core, complete)
    _discover_commands(papers, core, complete)
    _channel_group(papers, core, complete)
    return papers


def _reading_commands(g: app_commands.Group, core: Core, complete: dict[str, Complete]) -> None:
    @g.command(name="today", description=about("today"))
    @app_commands.describe(limit="How many papers to show (1-25)")
    async def today(i: Interaction, limit: Range[int, 1, MAX_LIMIT] | None = None) -> None:
        await answer(core, i, "today", _args(limit))

    @g.command(name="top", description=about("top"))
    @app_commands.describe(
        period="week, month, day, 7d, 2025-W40 or 2025-09 (default: this ISO week)",
        limit="How many (1-25)",
    )
    async def top(
        i: Interaction,
        period: Range[str, 1, 8] | None = None,
        limit: Range[int, 1, MAX_LIMIT] | None = None,
    ) -> None:
        await answer(core, i, "top", _args(period, limit))

    @g.command(name="search", description=about("search"))
    @app_commands.describe(query='Words, "a phrase", a OR b, -exclude, cat:cs.CL, author:"…"')
    async def search(i: Interaction, query: Range[str, 1, 200]) -> None:
        await answer(core, i, "search", query)

    @g.command(name="show", description=about("show"))
    @app_commands.describe(
        paper="An arXiv id or paper URL, e.g. 2509.24002",
        share="share: post the card to this channel (otherwise only you see it)",
    )
    @app_commands.autocomplete(paper=complete["papers"])
    async def show(i: Interaction, paper: str, share: Literal["share"] | None = None) -> None:
        await answer(core, i, "show", _args(paper, share))

    @g.command(name="status", description=about("status"))
    async def status(i: Interaction) -> None:
        await answer(core, i, "status")

    @g.command(name="help", description=about("help"))
    @app_commands.describe(command="Explain one command in detail")
    async def help_(i: Interaction, command: str | None = None) -> None:
        await answer(core, i, "help", _args(command))


def _topic_commands(g: app_commands.Group, core: Core, complete: dict[str, Complete]) -> None:
    @g.command(name="topics", description=about("topics"))
    @app_commands.describe(
        topic="A topic's number: its recent matches (with query: edit it)",
        query="The topic's new query; it keeps its number",
    )
    @app_commands.autocomplete(topic=complete["topic_numbers"])
    async def topics(
        i: Interaction, topic: str | None = None, query: Range[str, 1, 200] | None = None
    ) -> None:
        edit = f"set {query}" if query is not None else None
        await answer(core, i, "topics", _args(topic, edit))

    @g.command(name="alerts", description=about("alerts"))
    @app_commands.describe(**ALERTS_HELP)
    async def alerts(i: Interaction, mode: Mode | None = None, scope: Scope | None = None) -> None:
        await answer(core, i, "alerts", _args(mode, scope and f"scope {scope}"))


def _personal_commands(g: app_commands.Group, core: Core, complete: dict[str, Complete]) -> None:
    @g.command(name="subscribe", description=about("subscribe"))
    @app_commands.describe(query='e.g. "video generation" -survey')
    async def subscribe(i: Interaction, query: Range[str, 1, 200]) -> None:
        await answer(core, i, "subscribe", query)

    @g.command(name="unsubscribe", description=about("unsubscribe"))
    @app_commands.describe(topic="The topic's number from /papers topics, or all")
    @app_commands.autocomplete(topic=complete["topics"])
    async def unsubscribe(i: Interaction, topic: str) -> None:
        await answer(core, i, "unsubscribe", topic)

    @g.command(name="save", description=about("save"))
    @app_commands.describe(paper="An arXiv id or paper URL")
    @app_commands.autocomplete(paper=complete["papers"])
    async def save(i: Interaction, paper: str) -> None:
        await answer(core, i, "save", paper)

    @g.command(name="library", description=about("library"))
    async def library(i: Interaction) -> None:
        await answer(core, i, "library")

    @g.command(name="bibtex", description=about("bibtex"))
    @app_commands.describe(target="A paper id, or library")
    @app_commands.autocomplete(target=complete["bibtex"])
    async def bibtex(i: Interaction, target: str) -> None:
        await answer(core, i, "bibtex", target)

    @g.command(name="unsave", description=about("unsave"))
    @app_commands.describe(paper="A saved paper's id (several: separate them with spaces)")
    @app_commands.autocomplete(paper=complete["library"])
    async def unsave(i: Interaction, paper: str) -> None:
        await answer(core, i, "unsave", paper)

    @g.command(name="forget-me", description=about("forget-me"))
    @app_commands.describe(confirm="Leave out to see what would be deleted; confirm deletes it")
    async def forget_me(i: Interaction, confirm: Literal["confirm"] | None = None) -> None:
        await answer(core, i, "forget-me", _args(confirm))


def _discover_commands(g: app_commands.Group, core: Core, complete: dict[str, Complete]) -> None:
    @g.command(name="recommend", description=about("recommend"))
    @app_commands.describe(limit="How many papers to show (1-25)")
    async def recommend(i: Interaction, limit: Range[int, 1, MAX_LIMIT] | None = None) -> None:
        await answer(core, i, "recommend", _args(limit))

    @g.command(name="similar", description=about("similar"))
    @app_commands.describe(paper="An arXiv id or paper URL, e.g. 2509.24002")
    @app_commands.autocomplete(paper=complete["papers"])
    async def similar(i: Interaction, paper: str) -> None:
        await answer(core, i, "similar", paper)


def _channel_group(g: app_commands.Group, core: Core, complete: dict[str, Complete]) -> None:
    channel = app_commands.Group(name="channel", description=about("channel"), parent=g)

    @channel.command(name="enable", description=about("channel", "enable"))
    @app_commands.describe(
        time="HH:MM, 24-hour (default 09:00)",
        tz="Time zone, e.g. Europe/Berlin",
        days="e.g. mon-fri or mon,wed,fri",
        min_upvotes="Skip papers with fewer upvotes (0-100000)",
        max="At most this many papers (1-50)",
        filter="Only papers matching this query",
        empty_days="On days without papers: post a short note, or nothing (default)",
        live="Later fetches edit the thread and add new papers (default on)",
        roundup="weekly fri 16:00, monthly 1 09:00 or off",
    )
    @app_commands.autocomplete(tz=complete["timezones"])
    async def enable(
        i: Interaction,
        time: str | None = None,
        tz: str | None = None,
        days: str | None = None,
        min_upvotes: Range[int, 0, MAX_MIN_UPVOTES] | None = None,
        max: Range[int, 1, MAX_PAPERS] | None = None,
        empty_days: Literal["note", "skip"] | None = None,
        live: Literal["on", "off"] | None = None,
        roundup: Range[str, 2, 24] | None = None,
        filter: Range[str, 1, 200] | None = None,
    ) -> None:
        opts = [("time", time), ("tz", tz), ("days", days), ("min-upvotes", min_upvotes)]
        opts += [("max", max), ("empty-days", empty_days), ("live", live), ("roundup", roundup)]
        opts += [("filter", filter)]  # filter last: it takes the rest
        await answer(
            core, i, "channel", _args("enable", *(f"{k} {v}" for k, v in opts if v is not None))
        )

    @channel.command(name="disable", description=about("channel", "disable"))
    async def disable(i: Interaction) -> None:
        await answer(core, i, "channel", "disable")

    @channel.command(name="status", description=about("channel", "status"))
    async def status(i: Interaction) -> None:
        await answer(core, i, "channel", "status")

    @channel.command(name="preview", description=about("channel", "preview"))
    async def preview(i: Interaction) -> None:
        await answer(core, i, "channel", "preview")

    @channel.command(name="test", description=about("channel", "test"))
    async def test(i: Interaction) -> None:
        await answer(core, i, "channel", "test")
