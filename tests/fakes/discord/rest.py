"""A loopback Discord REST API + gateway for the real discord.py client.

Point discord.py at it with `api_base_url = fake.api_base` (the adapter sets `Route.BASE` from
config); `GET /gateway/bot` then hands out the fake's WebSocket URL. Every JSON body is first
checked against Discord's OpenAPI spec (openapi.py) and then against the documented limits
the spec cannot express (validate.py): 400 + Invalid Form Body on violation, and a schema
violation also fails the test when the fake stops. Sends are rate limited (429 +
retry_after); permissions answer 403 the way Discord distinguishes them (50001 when the bot
cannot see the channel, 50013 for a missing permission). State lives on the server's loop
thread; tests read it through `until(...)`, which waits on a condition instead of sleeping.

The fake keeps its own clock (`now()`, moved on by `advance(seconds)`), so windows measured in
minutes — the nonce window, the 15-minute interaction token, the daily command-create
budget — can be crossed in a test without waiting.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord import openapi
from tests.fakes.discord import payloads as P
from tests.fakes.discord.commands import CommandRoutes
from tests.fakes.discord.edits import EditRoutes
from tests.fakes.discord.gateway import GatewayHub, Session
from tests.fakes.discord.guilds import GuildRoutes
from tests.fakes.discord.interactions import InteractionRoutes
from tests.fakes.discord.messages import MessageRoutes
from tests.fakes.discord.ratelimit import RateLimiter, RateLimits
from tests.fakes.discord.responses import Posted, error, invalid_form, json_response
from tests.fakes.server import FakeServer, Fault

API = "/api/v10"
# https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
PERMISSION_BITS = {
    "ADD_REACTIONS": 1 << 6,
    "VIEW_CHANNEL": 1 << 10,
    "SEND_MESSAGES": 1 << 11,
    "EMBED_LINKS": 1 << 14,
    "ATTACH_FILES": 1 << 15,
    "READ_MESSAGE_HISTORY": 1 << 16,
    "USE_EXTERNAL_EMOJIS": 1 << 18,
    "USE_APPLICATION_COMMANDS": 1 << 31,
    "CREATE_PUBLIC_THREADS": 1 << 35,
    "SEND_MESSAGES_IN_THREADS": 1 << 38,
}
ALL_PERMISSIONS = frozenset(PERMISSION_BITS)


@dataclass
class FakeDiscord(
    MessageRoutes, EditRoutes, CommandRoutes, InteractionRoutes, GuildRoutes, FakeServer
):
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
        self.posted: list[Posted] = []
        self.rejected: list[tuple[str, dict[str, Any], Any]] = []  # (api, response, body)
        self.schema_violations: list[str] = []
        self.commit_faults: list[tuple[str, int]] = []
        self.refused_texts: list[str] = []
        self.advance_on_defer = 0.0  # seconds the clock jumps when a command is deferred
        self.clock_offset = 0.0
        self.limiter = RateLimiter(self.limits)
        self._cond = threading.Condition()
        self.init_messages()
        self.init_edits()
        self.init_commands()
        self.init_interactions()
        self.init_guilds(sum(PERMISSION_BITS.values()), PERMISSION_BITS)
        self.text_channel_id = self.add_channel("papers")
        self.forum_channel_id = self.add_channel("paper-forum", P.GUILD_FORUM)
        self.hub = GatewayHub(
            ready_payload=self._ready,
            guild_payloads=self._guilds,
            token=self.token,
            notify=self._notify,
            heartbeat_interval_ms=self.heartbeat_interval_ms,
        )

    # --- test-facing setup and inspection ---------------------------------------------
    @property
    def api_base(self) -> str:
        return f"{self.url}{API}"

    def now(self) -> float:
        """The fake's clock, in seconds: real monotonic time plus whatever `advance` added."""
        return time.monotonic() + self.clock_offset

    def advance(self, seconds: float) -> None:
        self.clock_offset += seconds

    def add_channel(
        self,
        name: str,
        ctype: int = P.GUILD_TEXT,
        *,
        tags: tuple[str, ...] = (),
        require_tag: bool = False,
    ) -> str:
        cid = self.ids.new()
        self.channels[cid] = P.channel(cid, ctype, name=name, guild_id=self.guild_id)
        if tags:
            self.channels[cid]["available_tags"] = [P.forum_tag(self.ids.new(), t) for t in tags]
        if require_tag:
            self.channels[cid]["flags"] |= P.REQUIRE_TAG
        return cid

    def add_user(self, name: str) -> str:
        uid = self.ids.new()
        self.users[uid] = P.user(uid, name)
        return uid

    def deny(self, channel_id: str, *permissions: str) -> None:
        self.denied.setdefault(channel_id, set()).update(permissions)

    def add_thread(self, parent_id: str, name: str = "a thread") -> str:
        """A public thread someone started in `parent_id` (a text channel, or a forum post)."""
        tid = self.ids.new()
        body = {"name": name}
        thread = self._new_thread(tid, parent_id, body)
        thread["owner_id"] = self.owner["id"]
        return tid

    def refuse_bodies_containing(self, text: str) -> None:
        """Discord refuses (400 50035) any message whose JSON contains `text`: one rejected item."""
        self.refused_texts.append(text)

    def delete_channel(self, channel_id: str) -> None:
        """A channel (or thread) deleted by someone in the guild, with its threads."""
        for cid in [c for c, ch in self.channels.items() if channel_id in (c, ch.get("parent_id"))]:
            del self.channels[cid]
            self.messages.pop(cid, None)

    def delete_message(self, channel_id: str, message_id: str) -> None:
        self.messages[channel_id] = [
            m for m in self.messages.get(channel_id, []) if m["id"] != message_id
        ]

    def fail_after_commit(self, path_prefix: str, status: int = 500) -> None:
        """Next matching create succeeds but answers `status` (the response is 'lost')."""
        self.commit_faults.append((path_prefix, status))

    def posted_in(self, channel_id: str) -> list[Posted]:
        return [p for p in self.posted if p.channel_id == channel_id]

    def take_schema_violations(self) -> list[str]:
        """The OpenAPI violations so far, forgotten once taken (for tests that send bad bodies
        on purpose); any left when the fake stops fail the test."""
        taken, self.schema_violations = self.schema_violations, []
        return taken

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

    # --- lifecycle: a body Discord would refuse fails the test --------------------------
    def stop(self) -> None:
        super().stop()
        self._check_schema()

    def __exit__(self, exc_type: object, *rest: object) -> None:
        FakeServer.stop(self)
        if exc_type is None:  # never hide the test's own failure behind this one
            self._check_schema()

    def _check_schema(self) -> None:
        if self.schema_violations:
            found = "\n  ".join(self.take_schema_violations())
            raise AssertionError(f"bodies that break Discord's OpenAPI spec:\n  {found}")

    # --- plumbing -------------------------------------------------------------------------
    @web.middleware
    async def _record_and_fault(self, request: web.Request, handler: Any) -> web.StreamResponse:
        async def checked(req: web.Request) -> web.StreamResponse:
            return await self._against_spec(req) or await handler(req)

        try:
            return await FakeServer._record_and_fault(self, request, checked)
        finally:
            self._notify()

    async def _against_spec(self, request: web.Request) -> web.Response | None:
        """400 Invalid Form Body for a JSON body that breaks the route's OpenAPI schema."""
        raw = await request.read()
        if (
            not raw
            or not request.path.startswith(API)
            or request.content_type != "application/json"
        ):
            return None
        body = json.loads(raw)
        problems = openapi.body_problems(request.method, request.path[len(API) :], body)
        if not problems:
            return None
        self.schema_violations += problems
        self.rejected.append(("openapi", {"problems": problems}, body))
        return invalid_form([("", p) for p in problems])

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

    def _scope(self, channel_id: str) -> str:
        """Threads take their permissions from the parent channel (docs: Inherited
        Permissions, https://discord.com/developers/docs/topics/permissions)."""
        ch = self.channels[channel_id]
        return ch.get("parent_id") or channel_id if ch["type"] == P.PUBLIC_THREAD else channel_id

    def bot_permissions(self, channel_id: str) -> int:
        """What the bot may do in a channel: the `app_permissions` of an interaction there."""
        denied = self.denied.get(self._scope(channel_id), set())
        return sum(bit for name, bit in PERMISSION_BITS.items() if name not in denied)

    def _missing(self, channel_id: str, *needed: str) -> web.Response | None:
        """Discord's two refusals: without VIEW_CHANNEL the bot cannot see the channel at all,
        which Discord answers 50001 Missing Access (denying VIEW_CHANNEL implicitly denies
        every other permission: https://discord.com/developers/docs/topics/permissions#implicit-permissions);
        seeing it but lacking one permission is 50013 (codes:
        https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes)."""
        denied = self.denied.get(self._scope(channel_id), set())
        if "VIEW_CHANNEL" in denied:
            return error(403, 50001, "Missing Access")
        if set(needed) & denied:
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
        self.add_message_routes(r, API)
        self.add_edit_routes(r, API)
        self.add_command_routes(r, API)
        self.add_interaction_routes(r, API)
        self.add_guild_routes(r, API)

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
        cid = request.match_info["cid"]
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        if ch["type"] != P.DM and (denied := self._missing(cid)):
            return denied
        if ch["type"] != P.DM:  # the fake's denials, as the overwrites an admin set
            ch = {**ch, "permission_overwrites": self.channel_overwrites(cid)}
        return json_response(ch)

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
