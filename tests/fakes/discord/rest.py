"""A loopback Discord REST API + gateway for the real discord.py client.

Point discord.py at it with `api_base_url = fake.api_base` (the adapter sets `Route.BASE` from
config); `GET /gateway/bot` then hands out the fake's WebSocket URL. Every body is checked
against Discord's limits (400 + Invalid Form Body on violation), sends are rate limited
(429 + retry_after), missing permissions answer 403 50013, and `enforce_nonce` de-duplicates
a retried send. State lives on the server's loop thread; tests read it through
`until(...)`, which waits on a condition instead of sleeping.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord import payloads as P
from tests.fakes.discord.gateway import GatewayHub, Session
from tests.fakes.discord.interactions import InteractionRoutes
from tests.fakes.discord.ratelimit import RateLimiter, RateLimits
from tests.fakes.discord.responses import Posted, error, invalid_form, json_response
from tests.fakes.discord.validate import message_problems, thread_problems
from tests.fakes.server import FakeServer, Fault

API = "/api/v10"
ALL_PERMISSIONS = frozenset(
    {
        "VIEW_CHANNEL",
        "SEND_MESSAGES",
        "EMBED_LINKS",
        "CREATE_PUBLIC_THREADS",
        "SEND_MESSAGES_IN_THREADS",
        "READ_MESSAGE_HISTORY",
    }
)


@dataclass
class FakeDiscord(InteractionRoutes, FakeServer):
    token: str = "fake-bot-token"
    limits: RateLimits = field(default_factory=RateLimits)
    heartbeat_interval_ms: int = 41250
    interaction_deadline: float = 3.0

    def __post_init__(self) -> None:
        self.ids = P.Snowflakes()
        self.application_id = self.ids.new()
        self.bot = P.user(self.application_id, "paperbot", bot=True)
        self.owner = P.user(self.ids.new(), "owner")
        self.guild_id = self.ids.new()
        self.channels: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {self.owner["id"]: self.owner}
        self.denied: dict[str, set[str]] = {}
        self.dm_closed: set[str] = set()
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.posted: list[Posted] = []
        self.rejected: list[tuple[str, dict[str, Any], Any]] = []  # (api, response, body)
        self.nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self.commit_faults: list[tuple[str, int]] = []
        self.limiter = RateLimiter(self.limits)
        self._cond = threading.Condition()
        self.text_channel_id = self.add_channel("papers")
        self.forum_channel_id = self.add_channel("paper-forum", P.GUILD_FORUM)
        self.hub = GatewayHub(
            ready_payload=self._ready,
            guild_payloads=self._guilds,
            token=self.token,
            notify=self._notify,
            heartbeat_interval_ms=self.heartbeat_interval_ms,
        )
        self.init_interactions()

    # --- test-facing setup and inspection ---------------------------------------------
    @property
    def api_base(self) -> str:
        return f"{self.url}{API}"

    def add_channel(self, name: str, ctype: int = P.GUILD_TEXT) -> str:
        cid = self.ids.new()
        self.channels[cid] = P.channel(cid, ctype, name=name, guild_id=self.guild_id)
        return cid

    def add_user(self, name: str) -> str:
        uid = self.ids.new()
        self.users[uid] = P.user(uid, name)
        return uid

    def deny(self, channel_id: str, *permissions: str) -> None:
        self.denied.setdefault(channel_id, set()).update(permissions)

    def fail_after_commit(self, path_prefix: str, status: int = 500) -> None:
        """Next matching create succeeds but answers `status` (the response is 'lost')."""
        self.commit_faults.append((path_prefix, status))

    def posted_in(self, channel_id: str) -> list[Posted]:
        return [p for p in self.posted if p.channel_id == channel_id]

    def wait_until(self, pred: Callable[[], bool], timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(pred, timeout):
                raise AssertionError(f"fake Discord: condition not met within {timeout}s")

    async def until(self, pred: Callable[[], bool], timeout: float = 10.0) -> None:
        await asyncio.to_thread(self.wait_until, pred, timeout)

    def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Push a gateway event to every connected client (from the test's thread)."""
        assert self._loop
        fut = asyncio.run_coroutine_threadsafe(self.hub.dispatch(event, data), self._loop)
        return fut.result(10)

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    # --- plumbing -------------------------------------------------------------------------
    @web.middleware
    async def _record_and_fault(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            return await FakeServer._record_and_fault(self, request, handler)
        finally:
            self._notify()

    async def _apply(self, fault: Fault) -> web.StreamResponse:
        if fault.kind == "429":  # Discord's shape; discord.py needs `Via` to trust it
            ra = fault.retry_after if fault.retry_after is not None else 0.05
            body = {"message": "You are being rate limited.", "retry_after": ra, "global": False}
            headers = {"Retry-After": str(ra), "Via": "1.1 google"}
            return json_response(body, status=429, headers=headers)
        return await super()._apply(fault)

    def _limited(self, bucket: str) -> tuple[dict[str, str], web.Response | None]:
        headers, body = self.limiter.check(bucket)
        if body is None:
            return headers, None
        return headers, json_response(body, status=429, headers=headers)

    def _missing(self, channel_id: str, *needed: str) -> web.Response | None:
        ch = self.channels[channel_id]
        scope = ch.get("parent_id") if ch["type"] == P.PUBLIC_THREAD else channel_id
        if set(needed) & self.denied.get(scope or channel_id, set()):
            return error(403, 50013, "Missing Permissions")
        return None

    def _commit_fault(self, path: str) -> int | None:
        for i, (prefix, status) in enumerate(self.commit_faults):
            if path.startswith(prefix):
                del self.commit_faults[i]
                return status
        return None

    def _ready(self, session: Session) -> dict[str, Any]:
        return {
            "v": 10,
            "user": self.bot,
            "guilds": [{"id": self.guild_id, "unavailable": True}],
            "session_id": session.session_id,
            "resume_gateway_url": f"{self.gateway_url}",
            "shard": (session.identify or {}).get("shard", [0, 1]),
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def _guilds(self) -> list[dict[str, Any]]:
        chans = [c for c in self.channels.values() if c.get("guild_id") == self.guild_id]
        return [P.guild(self.guild_id, "Reading group", self.owner["id"], chans)]

    @property
    def gateway_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/gateway"

    def setup_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/gateway", self.hub.handle)
        r.add_get(f"{API}/users/@me", self._me)
        r.add_get(f"{API}/oauth2/applications/@me", self._application)
        r.add_get(f"{API}/gateway", self._gateway)
        r.add_get(f"{API}/gateway/bot", self._gateway_bot)
        r.add_get(f"{API}/users/{{user_id}}", self._get_user)
        r.add_post(f"{API}/users/@me/channels", self._open_dm)
        r.add_get(f"{API}/channels/{{cid}}", self._get_channel)
        r.add_post(f"{API}/channels/{{cid}}/messages", self._create_message)
        r.add_post(f"{API}/channels/{{cid}}/messages/{{mid}}/threads", self._thread_from_message)
        r.add_post(f"{API}/channels/{{cid}}/threads", self._thread_in_channel)
        self.add_interaction_routes(r)

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    # --- routes ---------------------------------------------------------------------------
    async def _me(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, 0, "401: Unauthorized")
        return json_response(self.bot)

    async def _gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _application(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, 0, "401: Unauthorized")
        return json_response(P.application(self.application_id, self.owner))

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, 0, "401: Unauthorized")
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        data = {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        return json_response(data)

    async def _get_user(self, request: web.Request) -> web.Response:
        u = self.users.get(request.match_info["user_id"])
        return json_response(u) if u else error(404, 10013, "Unknown User")

    async def _get_channel(self, request: web.Request) -> web.Response:
        ch = self.channels.get(request.match_info["cid"])
        return json_response(ch) if ch else error(404, 10003, "Unknown Channel")

    async def _open_dm(self, request: web.Request) -> web.Response:
        uid = str((await request.json()).get("recipient_id", ""))
        if uid not in self.users:
            return error(400, 50035, "Invalid Form Body")
        for ch in self.channels.values():
            if ch["type"] == P.DM and ch["recipients"][0]["id"] == uid:
                return json_response(ch)
        cid = self.ids.new()
        self.channels[cid] = P.channel(cid, P.DM, recipients=[self.users[uid]])
        return json_response(self.channels[cid])

    async def _create_message(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        api = "POST /channels/{id}/messages"
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        headers, limited = self._limited(f"{api}:{cid}")
        if limited:
            return limited
        body = await request.json()
        if ch["type"] == P.GUILD_FORUM:
            return error(400, 50008, "Cannot send messages in a non-text channel")
        if ch["type"] == P.DM and ch["recipients"][0]["id"] in self.dm_closed:
            return error(403, 50007, "Cannot send messages to this user")
        need = "SEND_MESSAGES_IN_THREADS" if ch["type"] == P.PUBLIC_THREAD else "SEND_MESSAGES"
        if ch["type"] != P.DM and (denied := self._missing(cid, "VIEW_CHANNEL", need)):
            return denied
        if problems := message_problems(body):
            self.rejected.append((api, {"problems": problems}, body))
            return invalid_form(problems)
        msg = self._store_message(api, cid, body)
        status = self._commit_fault(request.path)
        if status is not None:
            return error(status, 0, "500: Internal Server Error")
        return json_response(msg, headers=headers)

    def _store_message(self, api: str, cid: str, body: dict[str, Any]) -> dict[str, Any]:
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            existing = self.nonces.get((cid, str(nonce)))
            if existing is not None:
                return existing
        msg = P.message(self.ids.new(), cid, self.bot, body)
        self.messages.setdefault(cid, []).append(msg)
        self.posted.append(Posted(api, cid, msg["id"], body))
        if nonce is not None and body.get("enforce_nonce"):
            self.nonces[(cid, str(nonce))] = msg
        return msg

    async def _thread_from_message(self, request: web.Request) -> web.Response:
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        api = "POST /channels/{id}/messages/{id}/threads"
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        if not any(m["id"] == mid for m in self.messages.get(cid, [])):
            return error(404, 10008, "Unknown Message")
        if mid in self.channels:
            return error(400, 160004, "A thread has already been created for this message")
        if denied := self._missing(cid, "VIEW_CHANNEL", "CREATE_PUBLIC_THREADS"):
            return denied
        body = await request.json()
        if problems := thread_problems(body, forum=False):
            self.rejected.append((api, {"problems": problems}, body))
            return invalid_form(problems)
        thread = self._new_thread(mid, cid, body)
        return json_response(thread)

    def _new_thread(self, tid: str, parent: str, body: dict[str, Any]) -> dict[str, Any]:
        thread = P.channel(
            tid, P.PUBLIC_THREAD, name=body["name"], guild_id=self.guild_id, parent_id=parent
        )
        thread["owner_id"] = self.bot["id"]
        meta = thread["thread_metadata"]
        meta["auto_archive_duration"] = body.get("auto_archive_duration", 1440)
        self.channels[tid] = thread
        return thread

    async def _thread_in_channel(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        api = "POST /channels/{id}/threads"
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        forum = ch["type"] == P.GUILD_FORUM
        if denied := self._missing(cid, "VIEW_CHANNEL", "SEND_MESSAGES"):
            return denied
        headers, limited = self._limited(f"{api}:{cid}")
        if limited:
            return limited
        body = await request.json()
        if problems := thread_problems(body, forum=forum):
            self.rejected.append((api, {"problems": problems}, body))
            return invalid_form(problems)
        tid = self.ids.new()
        thread = self._new_thread(tid, cid, body)
        if not forum:
            return json_response(thread, headers=headers)
        msg = P.message(tid, tid, self.bot, body["message"])  # starter message id == thread id
        self.messages.setdefault(tid, []).append(msg)
        self.posted.append(Posted(api, cid, tid, body))
        return json_response({**thread, "message": msg}, headers=headers)
