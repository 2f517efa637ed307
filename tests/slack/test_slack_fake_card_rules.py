"""The fake refuses what Slack refuses in a card: an image accessory that is not an http(s)
URL or lacks its alt text, and a button value over 2,000 characters
(https://api.slack.com/reference/block-kit/block-elements#image, #button)."""

from __future__ import annotations

import pytest

from tests.fakes.slack.block_kit_rules import validate_message

TEXT = {"type": "mrkdwn", "text": "a card"}


def _section(accessory: dict) -> dict:
    return {"text": "x", "blocks": [{"type": "section", "text": TEXT, "accessory": accessory}]}


@pytest.mark.parametrize(
    "accessory",
    [
        {"type": "image", "image_url": "javascript:alert(1)", "alt_text": "t"},
        {"type": "image", "image_url": "https://a.example/x.png"},
        {"type": "image", "image_url": "https://a.example/" + "x" * 3000, "alt_text": "t"},
        {"type": "image", "image_url": "https://a.example/x.png", "alt_text": "t" * 2001},
    ],
)
def test_bad_image_accessories_are_refused(accessory: dict) -> None:
    assert validate_message(_section(accessory)).error == "invalid_blocks"


def test_a_good_image_accessory_and_an_interactive_button_pass() -> None:
    ok = _section({"type": "image", "image_url": "https://a.example/x.png", "alt_text": "t"})
    button = {"type": "button", "text": {"type": "plain_text", "text": "Save"}, "action_id": "s"}
    ok["blocks"].append({"type": "actions", "elements": [{**button, "value": "2509.1"}]})
    assert validate_message(ok).ok
    ok["blocks"][1]["elements"][0]["value"] = "v" * 2001
    assert validate_message(ok).error == "invalid_blocks"
