"""A compact channel's thread on Discord through the real poster and the fake: lines ten a
reply in one embed each, and after a crash that left every row pending — restarted past
Discord's nonce window, so only reading the thread back can tell — no group posted twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core import Core
from bot.daily.channels import ChannelSettings
from bot.daily.delivery import deliver_thread
from storage import channels as channel_store
from storage.ledger import Ledger
from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.messages import NONCE_WINDOW
from tests.fakes.discord.validate import message_problems
from tests.support.scheduling import DAY, save_channel


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(limits=RateLimits(per_route=1000), heartbeat_interval_ms=100) as f:
        yield f  # type: ignore[misc]


def _channel(core: Core, fake: FakeDiscord) -> ChannelSettings:
    kw = {"platform": "discord", "workspace_id": fake.guild_id, "timezone": "UTC"}
    return save_channel(core, fake.text_channel_id, max_papers=25, style="compact", **kw)


def _forget_sent(core: Core, target: str) -> None:
    """What a SIGKILL between Discord storing each message and the ledger recording it leaves."""
    core.db.execute(
        "UPDATE deliveries SET status = 'pending', message_id = NULL"
        " WHERE target = ? AND day = ? AND item != 'thread'",
        [target, DAY],
    )
    core.db.conn.commit()


async def test_a_compact_thread_restarted_after_a_crash_posts_each_group_once(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    ch = _channel(core, fake)
    async with running_bot(fake, core, monkeypatch) as bot:
        first = await deliver_thread(core, bot.poster, ch, DAY)
    assert first.status == "sent" and first.sent == 1 + 3
    (parent,) = fake.posted_in(fake.text_channel_id)
    groups = fake.posted_in(parent.message_id)
    assert [len(g.body["embeds"][0]["description"].splitlines()) for g in groups] == [10, 10, 5]
    assert all(not message_problems(g.body) and "components" not in g.body for g in groups)
    _forget_sent(core, ch.target)
    fake.advance(NONCE_WINDOW + 60)
    row = channel_store.get_channel(core.db, "discord", fake.guild_id, fake.text_channel_id)
    assert row is not None
    async with running_bot(fake, core, monkeypatch) as bot:
        again = await deliver_thread(core, bot.poster, ChannelSettings.from_row(row), DAY)
    assert again.status == "sent"
    assert fake.posted_in(fake.text_channel_id) == [parent]
    assert fake.posted_in(parent.message_id) == groups  # found by their refs, not reposted
    rows = Ledger(core.db).rows(ch.target, DAY)
    assert {r.status for r in rows} == {"sent"} and len(rows) == 2 + 25
