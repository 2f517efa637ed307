"""Reactions are votes, end to end on Discord: the bot identifies with GUILD_MESSAGE_REACTIONS,
a member's 👍 on a paper message the thread posted (a real MESSAGE_REACTION_ADD over the
gateway) is recorded for them and changes their next `recommend`; removing it takes it back."""

from __future__ import annotations

import pytest

from adapters.discord.invite import GATEWAY_INTENTS, INTENT_BITS
from bot.commands.dispatch import handle
from bot.core import Core
from bot.model import Command, Place
from storage import recommend as rec_store
from storage.ledger import Ledger
from storage.users import UserKey
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.support.chat import until

BRORL = "2510.01180"
GUILD_MESSAGE_REACTIONS = 1 << 10


async def _recommend(core: Core, fake: FakeDiscord, user_id: str) -> str:
    place = Place("discord", fake.text_channel_id, fake.guild_id)
    [reply] = await handle(core, Command("recommend", "3", user_id, "member", False, place))
    return reply.title or reply.text


async def test_a_thumbs_up_on_a_thread_paper_feeds_the_next_recommend(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = fake.owner["id"]
    user = UserKey("discord", fake.guild_id, member)
    ledger = Ledger(core.db)
    target = f"discord:{fake.guild_id}:{fake.text_channel_id}"
    ledger.plan(target, "2025-10-02", ["parent", BRORL])
    ledger.sent(target, "2025-10-02", BRORL, "900000000000000077")  # its message, in the thread
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        [session] = fake.hub.sessions
        assert session.identify["intents"] & GUILD_MESSAGE_REACTIONS
        # what `paperbot doctor` checks is what the client identifies with
        assert session.identify["intents"] == sum(INTENT_BITS[f][1] for f in GATEWAY_INTENTS)
        assert "Nothing to go on" in await _recommend(core, fake, member)
        thread = "900000000000000050"
        fake.send_reaction(True, "900000000000000077", thread, "🎉", member)  # not a vote
        fake.send_reaction(True, "900000000000000099", thread, "👍", member)  # not a paper
        fake.send_reaction(True, "900000000000000077", thread, "👍", member)
        await until(lambda: rec_store.user_votes(core.db, user) == {BRORL: 1})
        assert rec_store.channel_upvotes(core.db, target, [BRORL]) == {BRORL: 1}  # its roundup
        assert "closeness" in await _recommend(core, fake, member)
        fake.send_reaction(False, "900000000000000077", thread, "👍", member)
        await until(lambda: rec_store.user_votes(core.db, user) == {})
        fake.send_reaction(True, "900000000000000077", thread, "❌", member)
        await until(lambda: rec_store.user_votes(core.db, user) == {BRORL: -1})
