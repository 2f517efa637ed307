"""Every Slack error the issue names has an explicit verdict, for sends and for read-backs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.errors import delivery_error, readback_verdict
from bot.daily.posting import ThreadGone


@dataclass
class Answer:
    """What slack_sdk keeps of an HTTP answer (SlackResponse's `data` and `status_code`)."""

    data: Any
    status_code: int = 200

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default) if isinstance(self.data, dict) else default


def refused(code: str | None, status: int = 200, body: Any = None) -> SlackApiError:
    data = body if body is not None else {"ok": False, "error": code}
    return SlackApiError(f"refused: {code}", Answer(data, status))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "permanent"),
    [
        ("channel_not_found", True),
        ("not_in_channel", True),
        ("is_archived", True),
        ("messages_tab_disabled", True),
        ("internal_error", False),
    ],
)
def test_send_verdicts(code: str, permanent: bool) -> None:
    err = delivery_error(refused(code), "chat.postMessage")
    assert err.permanent is permanent and code in err.reason
    assert not isinstance(err, ThreadGone)


@pytest.mark.parametrize("code", ["thread_not_found", "restricted_action_thread_locked"])
def test_a_thread_that_cannot_take_replies_ends_that_thread(code: str) -> None:
    err = delivery_error(refused(code), "chat.postMessage")
    assert isinstance(err, ThreadGone) and err.permanent
    assert readback_verdict(refused(code)) == "thread_gone"


def test_the_messages_tab_refusal_says_what_to_switch_on() -> None:
    assert "Messages Tab" in delivery_error(refused("messages_tab_disabled"), "x").reason


@pytest.mark.parametrize(
    "code",
    [
        "is_archived",
        "channel_not_found",
        "not_in_channel",
        "messages_tab_disabled",
        "missing_scope",
        "access_denied",
    ],
)
def test_a_refused_read_back_lets_the_send_decide(code: str) -> None:
    assert readback_verdict(refused(code)) == "unchecked"


@pytest.mark.parametrize(
    "exc",
    [
        refused("ratelimited", 429),
        refused(None, 502, body="<html>bad gateway</html>"),
        refused("internal_error", 500),
        TimeoutError("read timed out"),
        ConnectionResetError("reset"),
    ],
    ids=["429", "502 html", "500", "timeout", "reset"],
)
def test_only_no_answer_429_and_5xx_are_worth_reading_again(exc: Exception) -> None:
    assert readback_verdict(exc) == "transient"
    assert not delivery_error(exc, "conversations.history").permanent
