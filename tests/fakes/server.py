"""A real aiohttp server on 127.0.0.1, port 0, run in its own thread.

Every fake builds on `FakeServer`: it records each request in `calls` and can be told to
answer the next N matching requests with a fault (429 + Retry-After, 5xx, a timeout, or a
malformed body) before behaving normally. Running in a thread lets the same fake serve an
in-process async test and a `paperbot` subprocess alike.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Fault:
    """One injected fault. kind: "429" | "500" | "503" | "timeout" | "bad_body" | "status"."""

    kind: str
    path_prefix: str = ""
    retry_after: float | None = None
    status: int = 500
    body: str = "this is not json {"
    delay: float = 30.0


@dataclass
class FakeServer:
    """Subclasses add routes in `setup_routes(app)`."""

    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    url: str = ""
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    def setup_routes(self, app: web.Application) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def inject(self, kind: str, times: int = 1, **kw: Any) -> None:
        for _ in range(times):
            self.faults.append(Fault(kind, **kw))

    def calls_to(self, path_prefix: str) -> list[Call]:
        return [c for c in self.calls if c.path.startswith(path_prefix)]

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> FakeServer:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True, name=type(self).__name__)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake server did not start")
        return self

    async def _start(self) -> None:
        app = web.Application(middlewares=[self._record_and_fault], client_max_size=8 * 2**20)
        self.setup_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if not self._loop:
            return

        async def _stop() -> None:
            if self._runner:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def run_in_loop(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` on the server's loop (for state shared with handlers)."""
        assert self._loop
        fut = asyncio.run_coroutine_threadsafe(_call(fn), self._loop)
        return fut.result(10)

    # --- middleware --------------------------------------------------------------
    @web.middleware
    async def _record_and_fault(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.read()
        self.calls.append(
            Call(request.method, request.path, dict(request.query), dict(request.headers), body)
        )
        fault = self._take_fault(request.path)
        if fault is not None:
            return await self._apply(fault)
        return await handler(request)

    def _take_fault(self, path: str) -> Fault | None:
        for i, f in enumerate(self.faults):
            if path.startswith(f.path_prefix):
                return self.faults.pop(i)
        return None

    async def _apply(self, fault: Fault) -> web.StreamResponse:
        if fault.kind == "429":
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = str(fault.retry_after)
            return web.json_response({"error": "rate limited"}, status=429, headers=headers)
        if fault.kind in ("500", "502", "503"):
            return web.json_response({"error": "server error"}, status=int(fault.kind))
        if fault.kind == "status":
            return web.Response(status=fault.status, text=fault.body)
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay)
            return web.Response(status=504)
        if fault.kind == "bad_body":
            return web.Response(status=200, text=fault.body, content_type="application/json")
        raise ValueError(f"unknown fault {fault.kind}")


async def _call(fn: Callable[[], Any]) -> Any:
    return fn()
