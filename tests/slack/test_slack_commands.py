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
from bot.config import SlackConfig
from bot.model import Place, Reply
from tests.fakes.slack.payloads import slash_command
from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi

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
def replies_for(fake: FakeSlackWebApi) -> SlashReplies:
    client = make_web_client(SlackConfig(api_base_url=fake.api_url), BOT_TOKEN)
    payload = slash_command("x", response_url=fake.response_url("r"), user_id="U1")
    return SlashReplies(payload, SlackPoster(client, FakeClock()))


async def test_after_five_response_url_uses_private_replies_go_ephemeral(
    fake: FakeSlackWebApi,
) -> None:
    replies = [Reply(text=f"part {i}", private=True) for i in range(RESPONSE_URL_USES + 2)]
    await replies_for(fake).send_all(replies)
    via_url = [p.body["text"] for p in fake.messages("response_url")]
    ephemeral = fake.messages("chat.postEphemeral")
    assert via_url == [f"part {i}" for i in range(5)]
    assert [p.body["text"] for p in ephemeral] == ["part 5", "part 6"]
    assert {p.user for p in ephemeral} == {"U1"}


async def test_public_reply_falls_back_to_post_message_when_response_url_fails(
    fake: FakeSlackWebApi,
) -> None:
    fake.inject("status", status=404, body="expired_url", path_prefix="/response/")
    await replies_for(fake).send_all([Reply(text="hello channel")])
    [posted] = fake.messages("chat.postMessage", "C1")
    assert posted.body["text"] == "hello channel" and posted.body["unfurl_links"] is False
    assert not fake.messages("response_url")
