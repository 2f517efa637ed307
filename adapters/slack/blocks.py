"""Block Kit building blocks and Slack's size limits (SPEC §8).

Builders take text that is already escaped (see `mrkdwn`); every mrkdwn object is `verbatim`
so Slack does not auto-link bare URLs or channel names found in untrusted text.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_URL = 3000
MAX_BUTTON_VALUE = 2000
MAX_IMAGE_URL = 3000  # https://api.slack.com/reference/block-kit/block-elements#image
MAX_ALT_TEXT = 2000
MAX_TOTAL_TEXT = 12000  # a message's fallback text plus every text object, exclusive
# What the packer allows itself, leaving room for the fallback text it adds afterwards.
BLOCKS_TEXT_BUDGET = 10000
MAX_FALLBACK_TEXT = 1500

Block = dict[str, Any]


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text)}


def section(text: str, accessory: dict[str, Any] | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    return block


def image(url: str, alt_text: str) -> dict[str, Any]:
    """An image element (a section's accessory): Slack fetches `url` itself, so only an https
    URL the card already vetted gets here; alt text is required and plain."""
    return {"type": "image", "image_url": url, "alt_text": alt_text or "thumbnail"}


def context(texts: list[str]) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:MAX_CONTEXT_ELEMENTS]]}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, url: str, action_id: str) -> dict[str, Any]:
    return {"type": "button", "text": plain(label), "url": url, "action_id": action_id}


def action_button(label: str, action_id: str, value: str) -> dict[str, Any]:
    """An interactive button: a press reaches the app as `block_actions` with this `value`."""
    return {"type": "button", "text": plain(label), "action_id": action_id, "value": value}


def actions(buttons: list[dict[str, Any]]) -> Block:
    return {"type": "actions", "elements": buttons[:25]}


def block_texts(block: Block) -> list[str]:
    """The strings of a block's text objects, as Slack counts them toward a message."""
    found: list[str] = []
    if "text" in block:
        found.append(block["text"]["text"])
    for element in block.get("elements", []):
        if element.get("type") in ("mrkdwn", "plain_text"):
            found.append(element["text"])
        elif "text" in element:
            found.append(element["text"]["text"])
    return found


def text_size(blocks: list[Block]) -> int:
    return sum(len(t) for b in blocks for t in block_texts(b))
