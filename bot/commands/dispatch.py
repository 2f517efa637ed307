"""`handle(core, cmd)`: the one entry point every adapter calls, and the command table.

Errors never escape as exceptions: a user mistake becomes a one-line reply with the usage,
a source outage a plain sentence, anything unexpected a logged error and an apology.
"""

from __future__ import annotations

import logging
from functools import cache

from bot.commands import browse, channel, discover, info, personal
from bot.commands.spec import APOLOGY, Ctx, Spec, UsageError, did_you_mean, outage
from bot.core import Core
from bot.daily.posting import Poster
from bot.model import Command, Reply
from bot.query.errors import QueryError
from bot.sources.errors import SourceError
from bot.text import quoted_input
from storage import papers as paper_store

log = logging.getLogger(__name__)


@cache
def registry() -> dict[str, Spec]:
    specs = [*browse.SPECS, *personal.SPECS, *discover.SPECS, *channel.SPECS, *info.SPECS]
    return {s.name: s for s in specs}


# Shortcuts for commands that only add or read: an alias never leads to a command that
# deletes (`Spec.deletes`), so a half-remembered word cannot remove anything.
ALIASES = {
    "sub": "subscribe",
}


def _error(text: str) -> list[Reply]:
    return [Reply(text=text, private=True, is_error=True)]


async def handle(core: Core, cmd: Command, poster: Poster | None = None) -> list[Reply]:
    """Run one command; every failure becomes a private one-line reply, never an exception.
    `poster`: the adapter's, for commands that post to the channel now (`channel test`)."""
    name = ALIASES.get(cmd.name.lower(), cmd.name.lower())
    spec = registry().get(name)
    if spec is None:
        hint = did_you_mean(name, [*registry(), *ALIASES])
        return _error(f"Unknown command {quoted_input(cmd.name)}{hint or '.'} Try /papers help")
    try:
        return await spec.handler(Ctx(core, cmd, registry(), poster), cmd.args)
    except UsageError as e:
        return _error(f"{_sentence(str(e))}\nUsage: /papers {e.usage or spec.usage}")
    except QueryError as e:
        return _error(f"Bad query: {e}")
    except SourceError as e:
        return _error(f"{outage(e)}. {_what_still_works(core)}")
    except Exception:
        log.exception("command %s failed", name)
        return _error(APOLOGY)


def _what_still_works(core: Core) -> str:
    """Only promise stored papers when there are some."""
    if paper_store.counts(core.db)["papers"]:
        return "Stored papers still work."
    return "No papers are stored yet: `paperbot fetch` or `paperbot import` loads some."


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]
