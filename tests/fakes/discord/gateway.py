"""The Discord gateway over a real WebSocket: HELLO, IDENTIFY → READY, GUILD_CREATE,
heartbeats and ACKs, and dispatch of events (INTERACTION_CREATE) pushed by a test.

discord.py asks for `compress=zlib-stream` (or zstd-stream) in the URL but only decompresses
*binary* frames; text frames are read as plain JSON. The fake therefore declines transport
compression by always sending text frames, which is what a client must accept anyway.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

HELLO, IDENTIFY, HEARTBEAT, HEARTBEAT_ACK, DISPATCH, RESUME, INVALID_SESSION = 10, 2, 1, 11, 0, 6, 9


# The events of the intents paperbot's tests exercise (the rest need none here).
INTENT_FOR = {"MESSAGE_REACTION_ADD": 1 << 10, "MESSAGE_REACTION_REMOVE": 1 << 10}


@dataclass
class Session:
    ws: web.WebSocketResponse
    query: dict[str, str]
    seq: int = 0
    identify: dict[str, Any] | None = None
    session_id: str = ""

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        frame: dict[str, Any] = {"op": op, "d": d, "s": None, "t": t}
        if op == DISPATCH:
            self.seq += 1
            frame["s"] = self.seq
        await self.ws.send_str(json.dumps(frame))


@dataclass
class GatewayHub:
    """State of the fake gateway; `owner` supplies READY/GUILD_CREATE payloads and the token."""

    ready_payload: Callable[[Session], dict[str, Any]]
    guild_payloads: Callable[[], list[dict[str, Any]]]
    token: str
    notify: Callable[[], None]
    heartbeat_interval_ms: int = 41250
    sessions: list[Session] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)  # every frame from clients
    heartbeats: int = 0
    closed_codes: list[int] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        session = Session(ws=ws, query=dict(request.query))
        await session.send(HELLO, {"heartbeat_interval": self.heartbeat_interval_ms})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            frame = json.loads(msg.data)
            self.received.append(frame)
            await self._on_frame(session, frame)
            self.notify()
        if session in self.sessions:
            self.sessions.remove(session)
        self.notify()
        return ws

    async def _on_frame(self, session: Session, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await session.send(HEARTBEAT_ACK, None)
        elif op == IDENTIFY:
            d = frame.get("d") or {}
            if d.get("token") != self.token:
                self.closed_codes.append(4004)
                await session.ws.close(code=4004, message=b"Authentication failed.")
                return
            session.identify = d
            session.session_id = f"session-{len(self.received)}"
            self.sessions.append(session)
            await session.send(DISPATCH, self.ready_payload(session), "READY")
            for g in self.guild_payloads():
                await session.send(DISPATCH, g, "GUILD_CREATE")
        elif op == RESUME:
            await session.send(INVALID_SESSION, False)

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send an event to every identified session that asked for it; return how many got it.

        "Gateway Intents … if you do not specify a certain intent, you will not receive any of
        the Gateway events that are batched into that group"
        (https://discord.com/developers/docs/events/gateway#gateway-intents)."""
        need = INTENT_FOR.get(event, 0)
        live = [
            s
            for s in self.sessions
            if not s.ws.closed and (int((s.identify or {}).get("intents") or 0) & need) == need
        ]
        await asyncio.gather(*(s.send(DISPATCH, data, event) for s in live))
        return len(live)

    async def close_all(self) -> None:
        for s in list(self.sessions):
            await s.ws.close(code=1001)
