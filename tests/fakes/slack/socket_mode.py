"""A loopback Socket Mode server: delivers envelopes over a WebSocket and checks the acks.

The Web API fake's apps.connections.open hands out `fake.ws_url`; slack_sdk's aiohttp
SocketModeClient connects there, gets a `hello`, and must answer each envelope with
`{"envelope_id": …}` within Slack's 3 seconds. Tests drive it from their own thread or loop
through the blocking `wait_*` helpers (run them with `asyncio.to_thread`).

Slack recycles Socket Mode connections: it sends `{"type": "disconnect", "reason":
"refresh_requested"}` (or `"warning"`, about ten seconds ahead) and then closes the socket; the
app is expected to open a new connection with apps.connections.open
(https://api.slack.com/apis/connections/socket#disconnect). `disconnect_every` sends such a
frame periodically on every connection (and closes it `disconnect_grace` seconds later);
`send_disconnect()` sends one now.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.server import FakeServer

ACK_DEADLINE = 3.0


@dataclass
class Ack:
    envelope_id: str
    payload: Any
    latency: float  # seconds from delivery to ack


@dataclass
class FakeSocketModeServer(FakeServer):
    acks: dict[str, Ack] = field(default_factory=dict)
    bad_acks: list[str] = field(default_factory=list)  # acks for unknown envelopes, bad JSON
    connections: int = 0
    disconnect_every: float | None = None  # seconds between disconnect frames per connection
    disconnect_grace: float = 0.5  # seconds between the frame and closing the socket
    disconnects_sent: list[str] = field(default_factory=list)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sent_at: dict[str, float] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/link/?ticket=fake"

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_get("/link/", self._link)
        app.on_shutdown.append(self._close_sockets)

    async def _close_sockets(self, app: web.Application) -> None:
        for ws in list(self._sockets):
            await ws.close()

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "connection_info": {"app_id": "AFAKE"},
                "debug_info": {"host": "fake", "approximate_connection_time": 3600},
            }
        )
        with self._changed:
            self.connections += 1
            self._changed.notify_all()
        recycler = asyncio.create_task(self._recycle(ws)) if self.disconnect_every else None
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._record_ack(msg.data)
        finally:
            self._sockets.remove(ws)
            if recycler is not None:
                recycler.cancel()
        return ws

    async def _recycle(self, ws: web.WebSocketResponse) -> None:
        assert self.disconnect_every is not None
        while not ws.closed:
            await asyncio.sleep(self.disconnect_every)
            await self._disconnect(ws, "refresh_requested")

    async def _disconnect(self, ws: web.WebSocketResponse, reason: str) -> None:
        if ws.closed:
            return
        await ws.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}})
        self.disconnects_sent.append(reason)
        await asyncio.sleep(self.disconnect_grace)
        await ws.close()

    def _record_ack(self, data: str) -> None:
        try:
            ack = json.loads(data)
            envelope_id = ack["envelope_id"]
        except (ValueError, KeyError, TypeError):
            self.bad_acks.append(data)
            return
        sent = self._sent_at.get(envelope_id)
        if sent is None or envelope_id in self.acks:
            self.bad_acks.append(data)
            return
        with self._changed:
            self.acks[envelope_id] = Ack(envelope_id, ack.get("payload"), time.monotonic() - sent)
            self._changed.notify_all()

    # --- driving it (from a test thread) ------------------------------------------------
    def wait_connected(self, timeout: float = 10) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: bool(self._sockets), timeout)

    def wait_connections(self, count: int, timeout: float = 10) -> bool:
        """Block until `count` connections were opened in all (reconnects included)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.connections >= count, timeout)

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Recycle the newest connection now, as Slack does."""
        assert self._loop is not None and self._sockets, "no Socket Mode client connected"
        ws = self._sockets[-1]
        asyncio.run_coroutine_threadsafe(self._disconnect(ws, reason), self._loop)

    def deliver(self, kind: str, payload: dict[str, Any]) -> str:
        """Send one envelope (`slash_commands`, `interactive`, `events_api`); return its id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        assert self._loop is not None and self._sockets, "no Socket Mode client connected"

        async def send() -> None:
            self._sent_at[envelope_id] = time.monotonic()
            await self._sockets[-1].send_str(json.dumps(envelope))

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(5)
        return envelope_id

    def deliver_slash_command(self, payload: dict[str, Any]) -> str:
        return self.deliver("slash_commands", payload)

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> Ack | None:
        with self._changed:
            self._changed.wait_for(lambda: envelope_id in self.acks, timeout)
            return self.acks.get(envelope_id)
