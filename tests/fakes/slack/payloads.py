"""What Slack sends: slash-command payloads and signed HTTP requests, built the way Slack does.

A slash command's `text` arrives with Slack's three control characters entity-escaped
(`&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`), as all text Slack hands an app
(https://api.slack.com/reference/surfaces/formatting#escaping,
https://api.slack.com/interactivity/slash-commands#app_command_handling); the manifest's
`should_escape` only decides whether mentions and channels also become `<@U…>` tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.fakes.slack.web_api import TEAM_ID

_INVOCATIONS = itertools.count(1)


def trigger_id() -> str:
    """Slack gives every invocation its own trigger_id
    (https://api.slack.com/interactivity/handling#modal_responses), shaped like theirs."""
    return f"{13345224609 + next(_INVOCATIONS)}.738474920.{secrets.token_hex(14)}"


def slack_escape(text: str) -> str:
    """The escaping Slack applies to text it sends (and expects in text it receives)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slash_command(
    text: str,
    *,
    response_url: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = TEAM_ID,
    command: str = "/papers",
) -> dict[str, str]:
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": "fake",
        "channel_id": channel_id,
        "channel_name": "papers",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": slack_escape(text),
        "api_app_id": "AFAKE",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id(),
    }


def ephemeral_block_actions(
    action_id: str,
    *,
    response_url: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = TEAM_ID,
    value: str = "",
) -> dict[str, str]:
    """A button click on an ephemeral message, as Slack POSTs it: one form field `payload`
    holding the JSON (https://api.slack.com/reference/interaction-payloads/block-actions;
    an ephemeral message carries no `message`, only its `container`)."""
    payload = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "fake"},
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(),
                 "team_id": team_id},
        "api_app_id": "AFAKE",
        "token": "deprecated-verification-token",
        "container": {"type": "message", "message_ts": "1759300000.000001",
                      "channel_id": channel_id, "is_ephemeral": True},
        "trigger_id": trigger_id(),
        "channel": {"id": channel_id, "name": "papers"},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "b1", "type": "button",
                     "text": {"type": "plain_text", "text": "Share to channel"},
                     "value": value, "action_ts": "1759300001.000001"}],
    }  # fmt: skip
    return {"payload": json.dumps(payload)}


def form_body(payload: dict[str, str]) -> str:
    return urlencode(payload)


def signed_headers(secret: str, body: str, timestamp: int) -> dict[str, str]:
    """Slack's v0 request signature: HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def block_actions(
    message: dict[str, Any],
    action_id: str,
    *,
    response_url: str,
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = TEAM_ID,
    message_ts: str = "1727773200.000100",
) -> dict[str, Any]:
    """What Slack sends when someone presses the button `action_id` in `message` (a message
    body as the app posted it), shaped as documented for `block_actions`
    (https://api.slack.com/reference/interaction-payloads/block-actions): the presser, the
    container message, the pressed element with its `value`, and a fresh `response_url`."""
    block, button = next(
        (b, e)
        for b in message["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == action_id
    )
    action = {
        "type": "button",
        "action_id": action_id,
        "block_id": block.get("block_id", "b1"),
        "text": button["text"],
        "action_ts": "1727773260.123456",
    }
    if "value" in button:
        action["value"] = button["value"]
    return {
        "type": "block_actions",
        "user": {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": team_id,
        },
        "api_app_id": "AFAKE",
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id(),
        "team": {"id": team_id, "domain": "fake"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "papers"},
        "message": {
            "type": "message",
            "ts": message_ts,
            "text": message.get("text", ""),
            "blocks": message["blocks"],
        },
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [action],
    }


def reaction_event(
    kind: str,
    *,
    reaction: str,
    channel_id: str,
    message_ts: str,
    user_id: str = "U1",
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """An Events API `event_callback` carrying `reaction_added` / `reaction_removed` on a message
    (https://api.slack.com/apis/events-api#callback-field, https://api.slack.com/events/reaction_added):
    the reacting user, the emoji's name, the message as `item` {type, channel, ts}."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": "AFAKE",
        "event": {
            "type": kind,
            "user": user_id,
            "reaction": reaction,
            "item_user": "UBOT",
            "item": {"type": "message", "channel": channel_id, "ts": message_ts},
            "event_ts": "1700000002.000300",
        },
        "type": "event_callback",
        "event_id": f"Ev{next(_INVOCATIONS):08d}",
        "event_time": 1700000002,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }  # fmt: skip
        ],
        "is_ext_shared_channel": False,
    }


def link_shared_event(
    *,
    channel_id: str,
    message_ts: str,
    urls: list[str],
    user_id: str = "U1",
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """An Events API `event_callback` carrying `link_shared` for a message posted in a channel
    (https://api.slack.com/events/link_shared): its `channel`, `message_ts`, `unfurl_id`,
    `source` "conversations_history" and the `links` on the app's unfurl domains, each with its
    `domain` and `url`."""
    links = [{"domain": urlsplit(u).hostname or "", "url": u} for u in urls]
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": "AFAKE",
        "event": {
            "type": "link_shared",
            "channel": channel_id,
            "is_bot_user_member": True,
            "user": user_id,
            "message_ts": message_ts,
            "unfurl_id": f"{channel_id}.{message_ts}.{next(_INVOCATIONS):08d}",
            "source": "conversations_history",
            "links": links,
            "event_ts": "1700000003.000400",
        },
        "type": "event_callback",
        "event_id": f"Ev{next(_INVOCATIONS):08d}",
        "event_time": 1700000003,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }  # fmt: skip
        ],
        "is_ext_shared_channel": False,
    }
