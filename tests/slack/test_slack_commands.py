"""The Slack → Command seam on literal payloads, and where slash-command replies go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.slack.commands import needs_admin, slash_to_command, workspace_of
from adapters.slack.poster import SlackPoster
from adapters.slack.replies import RESPONSE_URL_USES, SlashReplies
from adapters.slack.web_client import make_web_client
from bot.clock import FakeClock
from bot.commands.dispatch import handle
from bot.config import SlackConfig
from bot.model import Command, Link, PaperCard, Place, Reply
from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.payloads import slash_command
from tests.fakes.slack.web_api import BOT_TOKEN, TEAM_ID, FakeSlackWebApi
from tests.support.scheduling import NINE, core_at
from tests.support.slack import slack_channel

HF = "https://huggingface.co/papers/2510.00001"
ENVELOPE = Path(__file__).parents[1] / "fixtures" / "slack" / "socket_slash_envelope.json"


def test_socket_envelope_payload_becomes_a_command() -> None:
    payload = json.loads(ENVELOPE.read_text())["payload"]
    cmd = slash_to_command(payload, is_admin=False)
    assert (cmd.name, cmd.args) == ("search", '"state space model" -survey')
    assert (cmd.user_id, cmd.user_name, cmd.is_admin) == ("U0789IJKL", "ada", False)
    assert cmd.place == Place("slack", "C0456EFGH", "T0123ABCD")


@pytest.mark.parametrize(
    ("text", "name", "args", "admin"),
    [
        ("", "help", "", False),
        ("channel enable time 09:00", "channel", "enable time 09:00", True),
        ("channel status", "channel", "status", False),
        ("CHANNEL Disable", "channel", "Disable", True),
        ("/papers today 5", "today", "5", False),
    ],
)
def test_text_is_parsed_by_the_core(text: str, name: str, args: str, admin: bool) -> None:
    payload = {"text": text, "user_id": "U1", "channel_id": "C1", "team_id": "T1"}
    cmd = slash_to_command(payload, is_admin=True)
    assert (cmd.name, cmd.args) == (name, args)
    assert needs_admin(payload) is admin


@pytest.mark.parametrize(
    ("typed", "args"),
    [
        ("search upvotes>=20", "upvotes>=20"),
        ('search "R&D" <agents>', '"R&D" <agents>'),
        ("search &lt; typed literally", "&lt; typed literally"),  # arrives as &amp;lt;
    ],
)
def test_slash_text_is_decoded_before_parsing(typed: str, args: str) -> None:
    """Slack sends `&`, `<`, `>` as entities; the core must see what the person typed."""
    payload = slash_command(typed, response_url="http://x")
    assert payload["text"] != typed  # escaped, as Slack sends it
    cmd = slash_to_command(payload, is_admin=False)
    assert (cmd.name, cmd.args) == ("search", args)


def test_admin_check_sees_the_decoded_text() -> None:
    assert needs_admin(slash_command("channel enable filter a&b", response_url="http://x"))


def test_workspace_id_for_team_and_org_installs() -> None:
    assert workspace_of({"team_id": "T1"}) == "T1"
    assert workspace_of({"team": {"id": "T2"}}) == "T2"
    assert workspace_of({"enterprise_id": "E1"}) == "E1"


# --- where replies go -------------------------------------------------------------------
def replies_for(fake: FakeSlackWebApi, channel: str = "C1") -> SlashReplies:
    client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
    payload = slash_command(
        "x", response_url=fake.response_url("r"), user_id="U1", channel_id=channel
    )
    return SlashReplies(payload, SlackPoster(client, FakeClock()))


async def test_a_channel_preview_fits_the_five_uses_of_its_response_url(
    fake: FakeSlackWebApi,
) -> None:
    """15 papers were 16 messages (the sixth on went ephemeral, refused in a channel without
    the bot); packed, the whole preview takes a few response_url messages."""
    core, _ = core_at(NINE)
    slack_channel(core, "C1", max_papers=15)
    cmd = Command("channel", "preview", "UADM", "adm", True, Place("slack", "C1", TEAM_ID))
    replies = await handle(core, cmd)
    assert len(replies) == 16 and all(r.private for r in replies)
    await replies_for(fake).send_all(replies)
    via_url = fake.messages("response_url")
    assert 1 <= len(via_url) <= 3 and not fake.messages("chat.postEphemeral")
    shown = json.dumps([p.body for p in via_url])
    assert all(r.cards[0].url in shown for r in replies[1:])  # every paper is there
    assert all(p.body["response_type"] == "ephemeral" for p in via_url)
    assert all(validate_message(p.body).ok for p in via_url)


async def test_a_refused_fallback_ends_with_a_visible_truncation_line(
    fake: FakeSlackWebApi,
) -> None:
    """In a private channel without the bot chat.postEphemeral is refused: the answer ends
    with 'preview truncated', through the response_url use kept for it."""
    fake.add_channel("CPRIV", private=True, member=False)
    await replies_for(fake, "CPRIV").send_all([big_reply(i) for i in range(7)])
    via_url = [p.body["text"] for p in fake.messages("response_url")]
    assert len(via_url) == RESPONSE_URL_USES and not fake.messages("chat.postEphemeral")
    assert via_url[-1].startswith("Preview truncated: 3 more messages could not be delivered")
    assert fake.method_calls("chat.postEphemeral")  # it was tried


def big_reply(n: int, private: bool = True) -> Reply:
    """A reply that fills a message of its own: 12 cards are 47 blocks (Slack allows 50)."""
    arxiv = (Link("arXiv", "https://arxiv.org/abs/2510.00001"),)
    cards = tuple(
        PaperCard(f"2510.{i:05d}", f"Paper {n}.{i}", HF, "t", authors=("Ada",), links=arxiv)
        for i in range(12)
    )
    return Reply(text=f"part {n}", title=f"part {n}", cards=cards, private=private)


async def test_when_an_answer_needs_more_than_five_messages_private_ones_go_ephemeral(
    fake: FakeSlackWebApi,
) -> None:
    """response_url takes five messages; an answer of seven sends four there (the fifth use is
    kept for a truncation notice, not needed here) and the rest with chat.postEphemeral."""
    replies = [big_reply(i) for i in range(RESPONSE_URL_USES + 2)]
    await replies_for(fake).send_all(replies)
    via_url = [p.body["blocks"][0]["text"]["text"] for p in fake.messages("response_url")]
    ephemeral = fake.messages("chat.postEphemeral")
    assert via_url == [f"part {i}" for i in range(4)]
    assert [p.body["blocks"][0]["text"]["text"] for p in ephemeral] == [
        "part 4",
        "part 5",
        "part 6",
    ]
    assert {p.user for p in ephemeral} == {"U1"}


async def test_public_reply_falls_back_to_post_message_when_response_url_fails(
    fake: FakeSlackWebApi,
) -> None:
    fake.inject("status", status=404, body="expired_url", path_prefix="/response/")
    await replies_for(fake).send_all([Reply(text="hello channel")])
    [posted] = fake.messages("chat.postMessage", "C1")
    assert posted.body["text"] == "hello channel" and posted.body["unfurl_links"] is False
    assert not fake.messages("response_url")
