"""Slack's message rules as the fake Web API enforces them.

Written independently of the adapter's renderer (it checks request bodies, not our code), so a
renderer bug shows up as the same `invalid_blocks` / `msg_too_long` error Slack would return.
Limits are those of SPEC §8 plus Block Kit's documented element limits
(https://api.slack.com/reference/block-kit/blocks). Every block is also parsed and validated
by slack_sdk's own Block Kit models (`Block.parse` + `validate_json`,
https://tools.slack.dev/python-slack-sdk/api-docs/slack_sdk/models/blocks/), which encode the
same documented limits from the SDK side: a block either set of rules refuses is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_URL = 3000
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_BUTTON_VALUE = 2000
# https://api.slack.com/reference/block-kit/block-elements#image
MAX_IMAGE_URL = 3000
MAX_ALT_TEXT = 2000
MAX_TOTAL_TEXT = 12000  # SPEC §8: "keep a message's total text under 12,000"

BLOCK_TYPES = {"section", "header", "context", "actions", "divider"}
EVENT_TYPE = re.compile(r"^[a-z0-9_]{1,255}$")
# Anything Slack would turn into a ping or a link when it appears as markup.
MARKUP_TOKEN = re.compile(r"<([^<>]*)>")


@dataclass
class Verdict:
    error: str | None = None  # "invalid_blocks" | "msg_too_long" | "no_text" | ...
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def _text_object(obj: Any, where: str, problems: list[str], *, plain_only: bool = False) -> str:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: must be a text object")
        return ""
    if plain_only and obj["type"] != "plain_text":
        problems.append(f"{where}: must be plain_text")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}.text: must be a non-empty string")
        return ""
    if obj["type"] == "mrkdwn" and "emoji" in obj:
        problems.append(f"{where}: invalid additional property: emoji")
    if obj["type"] == "plain_text" and "verbatim" in obj:
        problems.append(f"{where}: invalid additional property: verbatim")
    return text


def _limit(text: str, limit: int, where: str, problems: list[str]) -> None:
    if len(text) > limit:
        problems.append(f"{where}: must be less than {limit + 1} characters")


def _section(block: dict, where: str, problems: list[str]) -> list[str]:
    texts: list[str] = []
    if "text" not in block and "fields" not in block:
        problems.append(f"{where}: must provide text or fields")
    if "text" in block:
        t = _text_object(block["text"], f"{where}.text", problems)
        _limit(t, MAX_SECTION_TEXT, f"{where}.text", problems)
        texts.append(t)
    if "accessory" in block:
        _accessory(block["accessory"], f"{where}.accessory", problems)
    fields = block.get("fields", [])
    if len(fields) > MAX_SECTION_FIELDS:
        problems.append(f"{where}.fields: must provide no more than {MAX_SECTION_FIELDS} items")
    for i, f in enumerate(fields):
        t = _text_object(f, f"{where}.fields[{i}]", problems)
        _limit(t, MAX_FIELD_TEXT, f"{where}.fields[{i}]", problems)
        texts.append(t)
    return texts


def _accessory(element: Any, where: str, problems: list[str]) -> None:
    """A section accessory; this fake accepts an image element: `image_url` (an http(s) URL
    Slack fetches, ≤3000 characters) and a plain `alt_text` (≤2000), both required."""
    if not isinstance(element, dict) or element.get("type") != "image":
        problems.append(f"{where}: only image accessories are accepted by this fake")
        return
    url, alt = element.get("image_url"), element.get("alt_text")
    if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
        problems.append(f"{where}.image_url: must be an http(s) URL")
    elif len(url) > MAX_IMAGE_URL:
        problems.append(f"{where}.image_url: must be less than {MAX_IMAGE_URL + 1} characters")
    if not isinstance(alt, str) or not alt:
        problems.append(f"{where}.alt_text: must be a non-empty string")
    elif len(alt) > MAX_ALT_TEXT:
        problems.append(f"{where}.alt_text: must be less than {MAX_ALT_TEXT + 1} characters")


def _header(block: dict, where: str, problems: list[str]) -> list[str]:
    t = _text_object(block.get("text"), f"{where}.text", problems, plain_only=True)
    _limit(t, MAX_HEADER_TEXT, f"{where}.text", problems)
    return [t]


def _context(block: dict, where: str, problems: list[str]) -> list[str]:
    elements = block.get("elements") or []
    if not elements:
        problems.append(f"{where}.elements: must provide at least 1 item")
    if len(elements) > MAX_CONTEXT_ELEMENTS:
        problems.append(f"{where}.elements: must provide no more than {MAX_CONTEXT_ELEMENTS} items")
    texts = []
    for i, e in enumerate(elements):
        t = _text_object(e, f"{where}.elements[{i}]", problems)
        _limit(t, MAX_SECTION_TEXT, f"{where}.elements[{i}]", problems)
        texts.append(t)
    return texts


def _actions(block: dict, where: str, problems: list[str], action_ids: set[str]) -> list[str]:
    elements = block.get("elements") or []
    if not elements or len(elements) > MAX_ACTIONS_ELEMENTS:
        problems.append(f"{where}.elements: must provide 1 to {MAX_ACTIONS_ELEMENTS} items")
    texts = []
    for i, e in enumerate(elements):
        w = f"{where}.elements[{i}]"
        if not isinstance(e, dict) or e.get("type") != "button":
            problems.append(f"{w}: only buttons are accepted by this fake")
            continue
        t = _text_object(e.get("text"), f"{w}.text", problems, plain_only=True)
        _limit(t, MAX_BUTTON_TEXT, f"{w}.text", problems)
        texts.append(t)
        url = e.get("url", "")
        _limit(url, MAX_BUTTON_URL, f"{w}.url", problems)
        if url and not re.match(r"^https?://", url):
            problems.append(f"{w}.url: must be an http(s) URL")
        # https://api.slack.com/reference/block-kit/block-elements#button: a button opens its
        # `url`, or sends its `value` (≤2000) to the app in a block_actions payload
        value = e.get("value")
        if value is not None:
            _limit(str(value), MAX_BUTTON_VALUE, f"{w}.value", problems)
        aid = e.get("action_id", "")
        _limit(aid, MAX_ACTION_ID, f"{w}.action_id", problems)
        if aid and aid in action_ids:
            problems.append(f"{w}.action_id: must be unique in the message")
        action_ids.add(aid)
    return texts


def _blocks(blocks: Any, problems: list[str]) -> list[str]:
    if not isinstance(blocks, list):
        problems.append("blocks: must be an array")
        return []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"blocks: must provide no more than {MAX_BLOCKS} items")
    texts: list[str] = []
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for i, b in enumerate(blocks):
        where = f"blocks[{i}]"
        kind = b.get("type") if isinstance(b, dict) else None
        if kind not in BLOCK_TYPES:
            problems.append(f"{where}: unsupported type {kind!r}")
            continue
        bid = b.get("block_id")
        if bid is not None:
            _limit(bid, MAX_BLOCK_ID, f"{where}.block_id", problems)
            if bid in block_ids:
                problems.append(f"{where}.block_id: must be unique")
            block_ids.add(bid)
        if kind == "section":
            texts += _section(b, where, problems)
        elif kind == "header":
            texts += _header(b, where, problems)
        elif kind == "context":
            texts += _context(b, where, problems)
        elif kind == "actions":
            texts += _actions(b, where, problems, action_ids)
    return texts


def sdk_problems(blocks: list[Any]) -> list[str]:
    """What slack_sdk's models say about each block: unknown, malformed or over a limit."""
    problems = []
    for i, raw in enumerate(blocks):
        try:
            block = Block.parse(raw) if isinstance(raw, dict) else None
            if block is None:
                problems.append(f"blocks[{i}]: slack_sdk does not know this block")
                continue
            block.validate_json()
        except (SlackObjectFormationError, TypeError, ValueError, KeyError) as e:
            problems.append(f"blocks[{i}]: slack_sdk: {e}")
    return problems


def _metadata(meta: Any, problems: list[str]) -> None:
    if not isinstance(meta, dict) or not EVENT_TYPE.match(str(meta.get("event_type", ""))):
        problems.append("metadata.event_type: must match [a-z0-9_]+")
    elif not isinstance(meta.get("event_payload"), dict):
        problems.append("metadata.event_payload: must be an object")


def message_texts(body: dict) -> list[str]:
    """Every string a reader sees in the message: the fallback plus each text object."""
    return [body.get("text") or ""] + _blocks(body.get("blocks") or [], [])


def validate_message(body: dict) -> Verdict:
    """Check one message body the way chat.postMessage / response_url would."""
    blocks = body.get("blocks")
    text = body.get("text")
    if not blocks and not (isinstance(text, str) and text.strip()):
        return Verdict("no_text", ["text or blocks is required"])
    problems: list[str] = []
    texts = _blocks(blocks, problems) if blocks is not None else []
    if isinstance(blocks, list) and not problems:
        problems += sdk_problems(blocks)
    if problems:
        return Verdict("invalid_blocks", problems)
    if "metadata" in body:
        _metadata(body["metadata"], problems)
        if problems:
            return Verdict("invalid_metadata_format", problems)
    total = len(text or "") + sum(len(t) for t in texts)
    if total >= MAX_TOTAL_TEXT:
        return Verdict("msg_too_long", [f"total text {total} >= {MAX_TOTAL_TEXT}"])
    return Verdict()


def markup_tokens(body: dict) -> list[str]:
    """The `<…>` tokens (mentions, links, specials) the message contains, in order."""
    found: list[str] = []
    for t in message_texts(body):
        found += MARKUP_TOKEN.findall(t)
    return found
