"""A loopback OpenAI-compatible chat endpoint (POST /chat/completions and /v1/chat/completions).

By default it answers deterministically from the request ("TL;DR of <title>." for a paper,
"Overview of <day>: N papers." for a day), so tests can tell which paper a summary came from.
Set `content` to answer with fixed text (None content is sent as JSON null), `expected_key`
to demand `Authorization: Bearer <key>` (401 otherwise). Fault injection comes from FakeServer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

_TITLE = re.compile(r"^Title: (.*)$", re.MULTILINE)
_DAY = re.compile(r"^Day: (.*)$", re.MULTILINE)

UNSET: Any = object()


@dataclass
class FakeLLM(FakeServer):
    content: Any = UNSET  # UNSET: derived from the request; str or None: sent as is
    expected_key: str | None = None
    model_name: str = "fake-model"

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_post("/chat/completions", self._chat)
        app.router.add_post("/v1/chat/completions", self._chat)

    def chat_calls(self) -> list[Any]:
        return [c for c in self.calls if c.path.endswith("/chat/completions")]

    async def _chat(self, request: web.Request) -> web.Response:
        wanted = f"Bearer {self.expected_key}"
        if self.expected_key is not None and request.headers.get("Authorization") != wanted:
            return _error(401, "invalid_api_key", "Incorrect API key provided")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "invalid_request_error", "body is not JSON")
        messages = body.get("messages") if isinstance(body, dict) else None
        if not body.get("model") or not isinstance(messages, list) or not messages:
            return _error(400, "invalid_request_error", "model and messages are required")
        content = self.content if self.content is not UNSET else _derived_answer(messages)
        return web.json_response(
            {
                "id": f"chatcmpl-{len(self.calls)}",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )


def _derived_answer(messages: list[Any]) -> str:
    user = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
    title = _TITLE.search(user)
    if title:
        return f"TL;DR of {title.group(1).strip()}."
    day = _DAY.search(user)
    if day:
        count = sum(1 for line in user.splitlines() if line.startswith("- "))
        return f"Overview of {day.group(1).strip()}: {count} papers."
    return "An answer."


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response(
        {"error": {"message": message, "type": code, "code": code}}, status=status
    )
