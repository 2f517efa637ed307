"""Discord's documented request limits, checked the way the API does (400 + Invalid Form Body).

Written from Discord's docs, independently of the adapter's renderer, so a renderer bug cannot
hide behind a shared constant. Each check returns `(path, message)` problems; the routes turn
them into Discord's nested `errors` object.
"""

from __future__ import annotations

import re
from typing import Any

Problem = tuple[str, str]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_NAME_MAX = 256
EMBEDS_TOTAL_MAX = 6000
THREAD_NAME_MAX = 100
NONCE_MAX = 25
ALLOWED_USERS_MAX = 100
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)
PARSE_TYPES = ("roles", "users", "everyone")
# https://discord.com/developers/docs/components/reference#action-row: "up to 5 action rows"
# per message, up to 5 buttons each; #button: a link button (style 5) has a `url` and no
# `custom_id`, every other style a `custom_id` (≤100, unique in the message); labels ≤80.
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
LINK_STYLE = 5
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def _max_len(problems: list[Problem], path: str, value: Any, limit: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        problems.append((path, "Must be a string."))
    elif len(value) > limit:
        problems.append((path, f"Must be {limit} or fewer in length."))


def _url(problems: list[Problem], path: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not re.match(r"^https?://[^\s]+$", value):
        problems.append((path, "Not a well formed URL."))


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts toward the 6,000 per message."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def _embed(problems: list[Problem], path: str, embed: Any) -> None:
    if not isinstance(embed, dict):
        problems.append((path, "Must be an object."))
        return
    _max_len(problems, f"{path}.title", embed.get("title"), EMBED_TITLE_MAX)
    _max_len(problems, f"{path}.description", embed.get("description"), EMBED_DESCRIPTION_MAX)
    _url(problems, f"{path}.url", embed.get("url"))
    # "source url of thumbnail (only supports http(s) and attachments)"
    # (https://discord.com/developers/docs/resources/message#embed-object-embed-thumbnail-structure)
    _url(problems, f"{path}.thumbnail.url", (embed.get("thumbnail") or {}).get("url"))
    footer = embed.get("footer")
    if footer is not None:
        _max_len(problems, f"{path}.footer.text", footer.get("text"), FOOTER_MAX)
    author = embed.get("author")
    if author is not None:
        _max_len(problems, f"{path}.author.name", author.get("name"), AUTHOR_NAME_MAX)
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS_MAX:
        problems.append((f"{path}.fields", f"Must be {EMBED_FIELDS_MAX} or fewer in length."))
    for j, f in enumerate(fields):
        for key, limit in (("name", FIELD_NAME_MAX), ("value", FIELD_VALUE_MAX)):
            v = f.get(key)
            if not isinstance(v, str) or not v.strip():
                problems.append((f"{path}.fields.{j}.{key}", "This field is required"))
            else:
                _max_len(problems, f"{path}.fields.{j}.{key}", v, limit)


def _allowed_mentions(problems: list[Problem], am: Any) -> None:
    if am is None:
        return
    if not isinstance(am, dict):
        problems.append(("allowed_mentions", "Must be an object."))
        return
    parse = am.get("parse", [])
    if any(p not in PARSE_TYPES for p in parse):
        problems.append(("allowed_mentions.parse", "Value must be one of roles, users, everyone."))
    users = am.get("users") or []
    roles = am.get("roles") or []
    if users and "users" in parse:
        problems.append(("allowed_mentions", "parse:users and users are mutually exclusive."))
    if roles and "roles" in parse:
        problems.append(("allowed_mentions", "parse:roles and roles are mutually exclusive."))
    if len(users) > ALLOWED_USERS_MAX:
        problems.append(("allowed_mentions.users", "Must be 100 or fewer in length."))
    if any(not str(u).isdigit() for u in users):
        problems.append(("allowed_mentions.users", "Value is not snowflake."))


def _button(problems: list[Problem], path: str, b: Any, ids: set[str]) -> None:
    if not isinstance(b, dict) or b.get("type") != 2:
        problems.append((path, "only buttons are accepted by this fake"))
        return
    _max_len(problems, f"{path}.label", b.get("label"), BUTTON_LABEL_MAX)
    if b.get("style") == LINK_STYLE:
        if not b.get("url") or "custom_id" in b:
            problems.append((path, "A link button needs a url and no custom_id"))
        _url(problems, f"{path}.url", b.get("url"))
        return
    cid = b.get("custom_id")
    if not isinstance(cid, str) or not cid:
        problems.append((f"{path}.custom_id", "This field is required"))
        return
    _max_len(problems, f"{path}.custom_id", cid, CUSTOM_ID_MAX)
    if cid in ids:
        problems.append((f"{path}.custom_id", "Component custom id cannot be duplicated"))
    ids.add(cid)


def _components(problems: list[Problem], rows: Any) -> None:
    if rows is None:
        return
    if not isinstance(rows, list) or len(rows) > ACTION_ROWS_MAX:
        problems.append(("components", f"Must be {ACTION_ROWS_MAX} or fewer in length."))
        return
    ids: set[str] = set()
    for i, row in enumerate(rows):
        items = row.get("components") if isinstance(row, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= BUTTONS_PER_ROW:
            problems.append((f"components.{i}", "An action row holds 1 to 5 components"))
            continue
        for j, b in enumerate(items):
            _button(problems, f"components.{i}.components.{j}", b, ids)


def message_problems(body: Any) -> list[Problem]:
    """Problems with a create-message (or interaction/webhook message) body."""
    if not isinstance(body, dict):
        return [("", "Must be an object.")]
    problems: list[Problem] = []
    _max_len(problems, "content", body.get("content"), CONTENT_MAX)
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        problems.append(("embeds", f"Must be {EMBEDS_MAX} or fewer in length."))
    for i, e in enumerate(embeds):
        _embed(problems, f"embeds.{i}", e)
    total = sum(embed_length(e) for e in embeds if isinstance(e, dict))
    if total > EMBEDS_TOTAL_MAX:
        problems.append(("embeds", f"Embed size exceeds maximum size of {EMBEDS_TOTAL_MAX}"))
    nonce = body.get("nonce")
    if nonce is not None and len(str(nonce)) > NONCE_MAX:
        problems.append(("nonce", f"Must be {NONCE_MAX} or fewer in length."))
    _allowed_mentions(problems, body.get("allowed_mentions"))
    _components(problems, body.get("components"))
    if not (body.get("content") or embeds or body.get("sticker_ids") or body.get("components")):
        problems.append(("", "Cannot send an empty message"))
    return problems


def thread_problems(body: Any, *, forum: bool) -> list[Problem]:
    """Problems with a start-thread body (from a message, or a forum post with `message`)."""
    if not isinstance(body, dict):
        return [("", "Must be an object.")]
    problems: list[Problem] = []
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(("name", "This field is required"))
    else:
        _max_len(problems, "name", name, THREAD_NAME_MAX)
    dur = body.get("auto_archive_duration")
    if dur is not None and dur not in ARCHIVE_DURATIONS:
        problems.append(("auto_archive_duration", "Value must be one of 60, 1440, 4320, 10080."))
    if forum:
        msg = body.get("message")
        if msg is None:
            problems.append(("message", "This field is required"))
        else:
            problems += [(f"message.{p}".rstrip("."), m) for p, m in message_problems(msg)]
    return problems


def errors_object(problems: list[Problem]) -> dict[str, Any]:
    """Discord's nested `errors` shape: {"embeds": {"0": {"title": {"_errors": [...]}}}}."""
    root: dict[str, Any] = {}
    for path, msg in problems:
        node = root
        for part in [p for p in path.split(".") if p]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": "BASE_TYPE_INVALID", "message": msg})
    return root


def mention_safety_problems(body: dict[str, Any]) -> list[str]:
    """What in a message body could ping a role, @everyone or @here (the project's rule)."""
    am = body.get("allowed_mentions")
    if am is None:
        return ["no allowed_mentions: Discord would parse every mention"]
    out = []
    parse = am.get("parse", [])
    if "everyone" in parse:
        out.append("parse allows @everyone/@here")
    if "roles" in parse or am.get("roles"):
        out.append("roles may be pinged")
    if "users" in parse:
        out.append("every mentioned user may be pinged")
    return out
