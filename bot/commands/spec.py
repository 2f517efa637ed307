"""What a command is: its name, usage line, examples and handler; plus the shared context.

The registry of `Spec`s is the one command tree: adapters with structured commands (Discord's
`/papers` group) take their names, descriptions and arguments from it and are tested against
it; which commands are slow (an adapter acknowledges before starting them) and the sentences
every platform shows on a refusal or a failure are defined here, once.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bot.core import Core
from bot.daily.posting import Poster
from bot.model import Command, Reply
from bot.sources.errors import SourceError, Unreachable
from bot.text import quoted_input, whole_number
from storage.users import UserKey

MAX_LIMIT = 25
APOLOGY = "Sorry, something went wrong on our side; it has been logged."


def admin_refusal(action: str) -> str:
    """What a non-admin sees for `/papers channel <action>`, on every platform."""
    return (
        f"Only channel admins can use /papers channel {action} (Discord: Manage Channels;"
        " Slack: a workspace admin or a user listed in slack.admins)."
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean `today`?` for a near miss of one of `choices`, else "" (difflib's
    ratio ≥ 0.6, the one closest)."""
    close = difflib.get_close_matches(word.lower(), list(choices), n=1)
    return f"; did you mean `{close[0]}`?" if close else ""


def outage(error: SourceError) -> str:
    """A source failure in a few words: "Hugging Face is unreachable (connection refused)"."""
    if isinstance(error, Unreachable):
        return f"{error.source} is unreachable ({error.reason})"
    text = str(error).strip().rstrip(".")
    return text[:1].upper() + text[1:]


class UsageError(ValueError):
    """Bad arguments: the dispatcher answers with this line plus one usage line — `usage`
    when given (the action's own, `channel enable …`), else the command's."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True, slots=True)
class Ctx:
    core: Core
    cmd: Command
    # The command table, for `help` (passed in, so no command module imports the registry).
    specs: Mapping[str, Spec] = field(default_factory=dict)
    # The platform's Poster when the adapter has one (the scheduler's own), for the commands
    # that post to the channel now (`channel test`); None in the shell.
    poster: Poster | None = None

    @property
    def user(self) -> UserKey:
        p = self.cmd.place
        return UserKey(p.platform, p.workspace_id, self.cmd.user_id)


Handler = Callable[[Ctx, str], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument as a structured UI shows it (a Discord option; `min-upvotes` there is
    `min_upvotes`)."""

    name: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Action:
    """A sub-action of a command (`channel enable`), with its own summary and arguments."""

    name: str
    summary: str
    args: tuple[Arg, ...] = ()
    slow: bool = False


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    usage: str  # "today [limit]"
    summary: str
    examples: tuple[str, ...]
    handler: Handler
    who: str = "anyone"
    args: tuple[Arg, ...] = ()
    actions: tuple[Action, ...] = ()
    slow: bool = False  # may reach Hugging Face, arXiv or an LLM: acknowledge before starting
    deletes: bool = False  # removes the caller's data: never the target of an alias

    def is_slow(self, args: str = "") -> bool:
        """Whether `/papers <name> <args>` may take longer than a platform's deadline."""
        if self.slow:
            return True
        action = args.strip().split(" ", 1)[0].lower()
        return any(a.slow for a in self.actions if a.name == action)


def private(text: str, **kw: object) -> list[Reply]:
    return [Reply(text=text, private=True, **kw)]  # type: ignore[arg-type]


def parse_limit(token: str, default: int = 10) -> int:
    """How many papers to show: 1 to MAX_LIMIT (said in every usage as `[limit 1-25]`)."""
    if not token:
        return default
    n = whole_number(token, 1, MAX_LIMIT)
    if n is None:
        raise UsageError(
            f"{quoted_input(token)} is not a limit; use a number from 1 to {MAX_LIMIT}."
        )
    return n
