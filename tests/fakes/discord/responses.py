"""Discord's error bodies and the record of what the fake created."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.discord.validate import errors_object


@dataclass
class Posted:
    """One message the fake created, in creation order."""

    api: str
    channel_id: str
    message_id: str
    body: dict[str, Any]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """Discord answers `Content-Type: application/json` exactly (no charset), and discord.py
    only parses a body as JSON when the header is exactly that."""
    hdrs = {**(headers or {}), "Content-Type": "application/json"}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=hdrs)


def error(status: int, code: int, message: str, **extra: Any) -> web.Response:
    return json_response({"code": code, "message": message, **extra}, status=status)


def invalid_form(problems: list[tuple[str, str]]) -> web.Response:
    return error(400, 50035, "Invalid Form Body", errors=errors_object(problems))
