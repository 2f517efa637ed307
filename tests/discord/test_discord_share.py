"""Share to the channel on Discord (issue #12, item 8), end to end: the real discord.py client
against the fake — `/papers show paper:<id> share:share` and the Share button under the
private card (a MESSAGE_COMPONENT click) both post that one card, "Shared by" the member's
display name as text, with mentions off."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.harness import running_bot
from tests.fakes.discord.validate import mention_safety_problems, message_problems

MCPMARK = "2509.24002"


def _channel_posts(fake: FakeDiscord) -> list:
    """What the bot posted in the channel itself (interaction answers are webhooks)."""
    posted = fake.posted_in(fake.text_channel_id)
    return [p for p in posted if p.api.startswith("POST /channels/")]


def _check_shared(fake: FakeDiscord, name: str) -> None:
    [post] = _channel_posts(fake)
    assert post.body["content"].startswith(f"Shared by @{name}")
    assert MCPMARK in str(post.body["embeds"])
    assert post.body["allowed_mentions"] == {"parse": []} or not any(
        post.body["allowed_mentions"].get(k) for k in ("parse", "users", "roles")
    )
    assert not message_problems(post.body) and not mention_safety_problems(post.body)


async def test_show_share_posts_the_card_by_display_name(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = fake.add_user("ada")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        fi = fake.send_command(
            ["papers", "show"], {"paper": MCPMARK, "share": "share"}, user_id=user
        )
        await fake.until(lambda: bool(fi.messages))
        await fake.until(lambda: bool(_channel_posts(fake)))
    said, ephemeral = fi.messages[0]
    assert ephemeral and f"Shared {MCPMARK}" in said["content"]
    _check_shared(fake, fake.users[user]["global_name"] or fake.users[user]["username"])


async def test_the_share_button_under_a_private_card_shares_it(
    fake: FakeDiscord, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = fake.add_user("ada")
    async with running_bot(fake, core, monkeypatch) as bot:
        await bot.connected()
        shown = fake.send_command(["papers", "show"], {"paper": MCPMARK}, user_id=user)
        await fake.until(lambda: bool(shown.messages))
        card, ephemeral = shown.messages[-1]
        assert ephemeral and not _channel_posts(fake)  # showing shares nothing
        [row] = card["components"]
        [button] = row["components"]
        assert button["custom_id"] == f"paperbot:share:{MCPMARK}" and button["type"] == 2
        click = fake.press_button(card, button["custom_id"], user_id=user)
        await fake.until(lambda: bool(click.messages))
        await fake.until(lambda: bool(_channel_posts(fake)))
    said, ephemeral = click.messages[0]
    assert ephemeral and f"Shared {MCPMARK}" in said["content"] and not click.late
    _check_shared(fake, fake.users[user]["global_name"] or fake.users[user]["username"])
