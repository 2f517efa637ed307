"""What a command is: its name, usage line, examples and handler; plus the shared context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.core import Core
from bot.model import Command, Reply
from storage.users import UserKey

MAX_LIMIT = 25


class UsageError(ValueError):
    """Bad arguments: the dispatcher answers with this line plus the usage."""


@dataclass(frozen=True, slots=True)
class Ctx:
    core: Core
    cmd: Command
    # The command table, for `help` (passed in, so no command module imports the registry).
    specs: Mapping[str, Spec] = field(default_factory=dict)

    @property
    def user(self) -> UserKey:
        p = self.cmd.place
        return UserKey(p.platform, p.workspace_id, self.cmd.user_id)


Handler = Callable[[Ctx, str], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    usage: str  # "today [limit]"
    summary: str
    examples: tuple[str, ...]
    handler: Handler
    who: str = "anyone"


def private(text: str, **kw: object) -> list[Reply]:
    return [Reply(text=text, private=True, **kw)]  # type: ignore[arg-type]


def parse_limit(token: str, default: int = 10) -> int:
    if not token:
        return default
    if not token.isdigit() or not 1 <= int(token) <= MAX_LIMIT:
        raise UsageError(f"'{token}' is not a limit; use a number from 1 to {MAX_LIMIT}.")
    return int(token)
