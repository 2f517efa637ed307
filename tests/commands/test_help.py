"""Help that is complete and errors that point the way (issue #12, item 9): `help` names every
command and subcommand, README's table and `/papers help` both list the registry's commands,
and a near-miss gets "did you mean"."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.memory import MemoryAdapter
from bot.commands.dispatch import registry
from tests.support.chat import one

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_commands() -> set[str]:
    """Command names in README's `## Commands` table: the first word of each `…` in column one."""
    section = README.read_text(encoding="utf-8").split("## Commands", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split(" | ")[0]
            names |= {m.split()[0] for m in re.findall(r"`([^`]+)`", first_cell)}
    return names


def test_readme_command_table_lists_exactly_the_registry() -> None:
    assert _readme_commands() == set(registry())


async def test_help_lists_every_command_and_subcommand(bot: MemoryAdapter) -> None:
    text = (await one(bot, "/papers help")).text
    listed = set(re.findall(r"^/papers ([a-z-]+)", text, re.MULTILINE))
    assert listed == set(registry())
    for spec in registry().values():
        for action in spec.actions:
            assert f"/papers {spec.name} {action.name}" in text, action.name


async def test_help_gives_no_example_that_only_repeats_the_usage(bot: MemoryAdapter) -> None:
    text = (await one(bot, "/papers help")).text
    for line in text.splitlines():
        m = re.match(r"^/papers ([a-z-]+).*\(e\.g\. /papers ([^)]*)\)$", line)
        if m:
            assert m.group(2).strip() != m.group(1), line


async def test_a_near_miss_command_gets_did_you_mean(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers tody")
    assert r.is_error and "did you mean `today`?" in r.text
    r = await one(bot, "/papers unsav 2509.24002")
    assert "did you mean `unsave`?" in r.text
    r = await one(bot, "/papers xyzzy")
    assert "did you mean" not in r.text and "/papers help" in r.text


async def test_a_near_miss_option_gets_did_you_mean(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers channel enable tmie 09:00", is_admin=True)
    assert r.is_error and "did you mean `time`?" in r.text
    r = await one(bot, "/papers channel enabel", is_admin=True)
    assert r.is_error and "did you mean `enable`?" in r.text
    r = await one(bot, "/papers help serch")
    assert r.is_error and "did you mean `search`?" in r.text


async def test_counts_agree_with_their_nouns(bot: MemoryAdapter) -> None:
    r = await one(bot, '/papers search "MCPMark"')
    assert r.text.startswith("1 stored paper matches"), r.text


async def test_one_commands_help_keeps_the_summarys_names_as_written(bot: MemoryAdapter) -> None:
    """Only the first letter is raised: "Hugging Face" and "arXiv" stay as spelled."""
    text = (await one(bot, "/papers help search")).text
    assert "Search stored papers (then Hugging Face)" in text
