"""The "Paper card" message command end to end on Discord: it is synced with /papers as a
MESSAGE command (type 3, no description, no options), the bot asks for no MESSAGE_CONTENT
intent, and a member's use on a message (a real APPLICATION_COMMAND interaction whose target
message comes in `data.resolved`) is deferred and answered ephemerally with the cards of the
message's paper links — a stored paper, and one looked up on the Hugging Face fake, summarised
and stored — escaped; a message without paper links gets one clear line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.discord.paper_card import PAPER_CARD
from bot.clock import FakeClock
from bot.commands.pasted import NO_LINK
from bot.core import Core
from bot.ingest import import_paths
from storage import papers as paper_store
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import message_problems
from tests.fakes.hf import FakeHF
from tests.support.core import DAYS, offline_config
from tests.support.pasted import (
    NEW,
    NEW_URL,
    NOT_A_PAPER_URL,
    STORED_TITLE,
    STORED_URL,
    hostile_paper,
)

DEFER = 5
MESSAGE_CONTENT = 1 << 15


@pytest.fixture
def hf() -> Iterator[FakeHF]:
    with FakeHF(papers={NEW: hostile_paper()}) as f:
        yield f


@pytest.fixture
def hf_core(hf: FakeHF) -> Iterator[Core]:
    core = Core.open(offline_config(sources={"hf_base_url": hf.url}), ":memory:", clock=FakeClock())
    assert import_paths(core.db, [DAYS]).files == 3
    yield core


async def test_the_menu_is_synced_as_a_message_command_without_message_content(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        [session] = fake.hub.sessions
        assert not session.identify["intents"] & MESSAGE_CONTENT
    [menu] = [c for c in fake.commands[fake.guild_id] if c["name"] == PAPER_CARD]
    assert menu["type"] == 3 and not menu.get("description") and not menu.get("options")
    assert menu["integration_types"] == [0] and sorted(menu["contexts"]) == [0, 1]
    assert not fake.rejected


async def test_paper_card_answers_the_member_alone_with_the_linked_papers(
    fake: FakeDiscord, hf_core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paper_store.get_paper_row(hf_core.db, NEW) is None
    text = f"look: {STORED_URL} and <{NEW_URL}> (also {NOT_A_PAPER_URL}) @everyone"
    async with running_bot(fake, hf_core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.use_message_command(PAPER_CARD, text)
        await fake.until(lambda: bool(fi.messages))
    assert fi.acked == DEFER and not fi.late and fi.ephemeral
    [(answer, ephemeral)] = fi.messages
    assert ephemeral and not message_problems(answer) and not fake.rejected
    assert "2 papers linked" in answer["content"]
    shown = " ".join(f"{e.get('title', '')} {e.get('description', '')}" for e in answer["embeds"])
    assert STORED_TITLE in shown and "Pwn" in shown
    assert "@everyone" not in shown and "<!channel>" in shown  # broken with a zero-width space
    assert "**Pwn**" not in shown and r"\*Pwn\*" in shown  # markdown escaped
    [sent] = [c.json() for c in fake.calls if c.method == "POST" and "/webhooks/" in c.path]
    assert sent["allowed_mentions"]["parse"] == []  # pings nobody, whatever the text says
    assert paper_store.get_paper_row(hf_core.db, NEW) is not None  # looked up, then stored


async def test_a_message_without_paper_links_gets_one_clear_line(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.use_message_command(PAPER_CARD, f"lunch? {NOT_A_PAPER_URL} 2510.01180x")
        await fake.until(lambda: bool(fi.messages))
    [(answer, ephemeral)] = fi.messages
    assert ephemeral and answer["content"] == NO_LINK and not answer.get("embeds")
