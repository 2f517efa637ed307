"""Tab completion's candidates (adapters/shell/complete.py), from the one command tree."""

from __future__ import annotations

from adapters.memory import MemoryAdapter
from adapters.shell.app import USER, run_line
from adapters.shell.complete import candidates
from bot.commands.dispatch import registry


def _complete(bot: MemoryAdapter, line: str) -> list[str]:
    return candidates(bot.core, line, len(line) - len(line.split(" ")[-1]), USER)


def test_every_command_completes_from_the_registry(bot: MemoryAdapter) -> None:
    assert set(_complete(bot, "/papers ")) == {*registry(), "quit", "exit"}
    assert _complete(bot, "/pa") == ["/papers"]
    assert _complete(bot, "tod") == ["today"]  # the prefix is optional, as on the prompt
    assert _complete(bot, "/papers help sea") == ["search"]


def test_actions_options_and_values(bot: MemoryAdapter) -> None:
    assert set(_complete(bot, "/papers channel ")) == {
        "enable",
        "disable",
        "status",
        "preview",
        "test",
    }
    options = _complete(bot, "/papers channel enable time 09:00 ")
    assert "tz" in options and "filter" in options and "time" not in options
    assert _complete(bot, "/papers channel enable tz europe/berl") == ["Europe/Berlin"]
    # only the zones `tz` accepts: not the tz database's `localtime` link (nor posix/, right/)
    assert _complete(bot, "/papers channel enable tz localt") == []
    assert _complete(bot, "/papers channel enable empty-days ") == ["note", "skip"]
    assert _complete(bot, "/papers top ") == ["day", "week", "month"]
    assert _complete(bot, "/papers alerts ") == [
        "dm",
        "thread",
        "off",
        "preview",
        "scope",
        "recommend",
    ]
    assert _complete(bot, "/papers forget-me ") == ["confirm"]


async def test_recent_ids_your_topics_and_your_library(bot: MemoryAdapter) -> None:
    assert _complete(bot, "/papers show 2510.0105") == ["2510.01051"]
    assert "library" in _complete(bot, "/papers bibtex ")
    assert _complete(bot, "/papers unsave ") == []
    for line in ("/papers save 2509.24002", "/papers subscribe diffusion"):
        assert await run_line(bot.core, line, lambda reply: None)  # as the shell's user
    assert _complete(bot, "/papers unsave ") == ["2509.24002"]
    assert _complete(bot, "/papers unsubscribe ") == ["all", "1"]
