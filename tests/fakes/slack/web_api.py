"""A loopback Slack Web API: the methods paperbot calls, Slack's limits, and a call log.

Point `slack_sdk` at it with `base_url=fake.api_url`. It validates every message body with
`block_kit_rules` (answering `invalid_blocks` / `msg_too_long` like Slack, and running
slack_sdk's own Block Kit models), rate limits chat.postMessage per channel (`min_interval`
seconds, answering 429 + Retry-After; https://api.slack.com/methods/chat.postMessage#rate_limiting)
and the Tier 3/4 methods per minute (`rate_tiers`), keeps the posted messages so channels and
threads can be read back with cursor paging (`conversations`), models who may post and read
where (`workspace`: membership, private channels, the App Home Messages tab read from
`slack/manifest.yml`), and serves `response_url` endpoints (`fake.response_url(...)`) that
take five messages within 30 minutes (`response_urls`).

`lose_answer(...)` makes the fake store a message and then lose the answer — an HTTP 500 or a
dropped connection — the case where only reading back can tell that a message exists.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.fakes.server import FakeServer
from tests.fakes.slack.block_kit_rules import Verdict, validate_message
from tests.fakes.slack.conversations import ConversationMethods, error
from tests.fakes.slack.edits import EditMethods, EditState
from tests.fakes.slack.rate_tiers import TierLimiter
from tests.fakes.slack.response_urls import ResponseUrls
from tests.fakes.slack.unfurls import UnfurlMethods, UnfurlState
from tests.fakes.slack.workspace import (
    MANIFEST,
    Workspace,
    manifest_bot_scopes,
    messages_tab_enabled,
)

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
TEAM_ID = "T0FAKE"
BOT_USER_ID = "UBOTFAKE"

PERMANENT_CHANNEL_ERRORS = ("channel_not_found", "not_in_channel", "is_archived")
LOST_ANSWER_KINDS = ("500", "drop")  # stored, then an HTTP 500 / the connection closed


@dataclass
class Posted:
    """One message the fake accepted (chat.postMessage, chat.postEphemeral or response_url)."""

    api: str
    channel: str
    ts: str
    body: dict[str, Any]
    thread_ts: str | None = None
    user: str | None = None  # ephemeral target
    at: float = 0.0  # time.monotonic() when accepted


@dataclass
class LostAnswer:
    """One planned lost answer: after `after` more accepted `method` calls, the next one is
    stored, then answered with an HTTP 500 ("500") or a closed connection ("drop")."""

    kind: str = "500"
    method: str = "chat.postMessage"
    after: int = 0


@dataclass
class FakeSlackWebApi(ConversationMethods, EditMethods, UnfurlMethods, FakeServer):
    min_interval: float = 1.0  # per-channel chat.postMessage spacing, seconds
    retry_after: int | None = None  # Retry-After to send; None → ceil(time left)
    socket_url: str = ""  # what apps.connections.open returns
    manifest: Path | None = MANIFEST  # the app config Slack would have (None: no App Home)
    page_cap: int | None = None  # most items a read page holds, whatever `limit` asks
    tier_limits: bool = True  # Tier 3/4 per-minute limits on conversations.* and users.info
    now: Callable[[], float] = time.monotonic  # for tier windows and response_url lifetimes
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)  # channel → error
    read_errors: dict[str, str] = field(default_factory=dict)  # channel → error on reads only
    lost_answers: list[LostAnswer] = field(default_factory=list)  # planned
    answers_lost: list[tuple[str, str]] = field(default_factory=list)  # (kind, ts) that happened
    posted: list[Posted] = field(default_factory=list)
    rejected: list[tuple[str, dict[str, Any], Verdict]] = field(default_factory=list)
    rate_limited: list[str] = field(default_factory=list)  # channels/methods that got a 429
    locked_threads: set[tuple[str, str]] = field(default_factory=set)  # (channel, parent ts)
    workspace: Workspace = field(default_factory=Workspace)
    response_urls: ResponseUrls = field(default_factory=ResponseUrls)
    tiers: TierLimiter = field(default_factory=TierLimiter)
    edits: EditState = field(default_factory=EditState)  # chat.update and uploads (edits.py)
    unfurls: UnfurlState = field(default_factory=UnfurlState)  # chat.unfurl (unfurls.py)
    bot_user_id: str = BOT_USER_ID
    revoked: bool = False  # the bot token was revoked (the app uninstalled): `token_revoked`
    scopes: list[str] | None = None  # granted to the bot token; None → the manifest's bot scopes
    _last_post: dict[str, float] = field(default_factory=dict)
    _ts_counter: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        self.workspace.messages_tab = messages_tab_enabled(self.manifest)
        if self.scopes is None:
            self.scopes = manifest_bot_scopes(self.manifest)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A fresh response_url (five uses, 30 minutes); its messages are filed under `name`."""
        return f"{self.url}/response/{self.response_urls.issue(name, self.now())}"

    def add_user(
        self,
        user_id: str,
        *,
        admin: bool = False,
        owner: bool = False,
        bot: bool = False,
        display_name: str = "",
    ) -> None:
        """A member; users.info answers with their user object, its `profile` holding the
        display name people see (https://api.slack.com/types/user)."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": user_id.lower(),
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": bot,
            "profile": {"display_name": display_name, "real_name": display_name},
        }

    def add_channel(
        self, channel_id: str, *, private: bool = False, member: bool = True, archived: bool = False
    ) -> None:
        self.workspace.add(channel_id, private=private, bot_member=member, archived=archived)

    def delete_message(self, channel: str, ts: str) -> None:
        """Someone deleted a message without replies (a parent with replies would leave a
        tombstone, which this fake does not model): reads and replies no longer find it."""
        with self._changed:
            if any(p.thread_ts == ts and p.channel == channel for p in self.posted):
                raise NotImplementedError("deleting a thread parent with replies")
            self.posted = [p for p in self.posted if not (p.ts == ts and p.channel == channel)]

    def lock_thread(self, channel: str, ts: str) -> None:
        """An admin locked the thread: replies answer `restricted_action_thread_locked`
        (https://api.slack.com/methods/chat.postMessage#errors)."""
        self.locked_threads.add((channel, ts))

    # --- inspection (thread-safe) -------------------------------------------------
    def messages(self, api: str | None = None, channel: str | None = None) -> list[Posted]:
        with self._changed:
            return [
                p
                for p in self.posted
                if (api is None or p.api == api) and (channel is None or p.channel == channel)
            ]

    def wait_for_posts(self, count: int, api: str | None = None, timeout: float = 10) -> bool:
        """Block (in a worker thread) until `count` messages of `api` were accepted."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.messages(api)) >= count, timeout)

    def method_calls(self, method: str) -> list[Any]:
        return [c for c in self.calls if c.path == f"/api/{method}"]

    # --- lost answers -----------------------------------------------------------------
    def lose_answer(
        self, kind: str = "500", times: int = 1, method: str = "chat.postMessage", after: int = 0
    ) -> None:
        """Let `after` accepted `method` calls answer normally, then store each of the next
        `times` and lose its answer."""
        if kind not in LOST_ANSWER_KINDS:
            raise ValueError(f"unknown lost answer {kind!r}")
        self.lost_answers.extend(
            LostAnswer(kind, method, after if n == 0 else 0) for n in range(times)
        )

    def _take_lost_answer(self, method: str) -> str | None:
        """The way this stored call's answer is lost, if it is (subclasses may randomise)."""
        for i, lost in enumerate(self.lost_answers):
            if lost.method != method:
                continue
            if lost.after > 0:
                lost.after -= 1
                return None
            return self.lost_answers.pop(i).kind
        return None

    def _lose(self, request: web.Request, kind: str, stored: Posted) -> web.Response:
        self.answers_lost.append((kind, stored.ts))
        if kind == "drop" and request.transport is not None:
            request.transport.close()  # the client sees the server disconnect
        return web.json_response({"ok": False, "error": "internal_error"}, status=500)

    # --- routes ---------------------------------------------------------------------
    def setup_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response_url)
        app.router.add_post("/upload/{file_id}", self.upload_bytes)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        token = _token(request, args)
        handler = _METHODS.get(method)
        if handler is None:
            return error("unknown_method")
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return error("invalid_auth")
        elif token != BOT_TOKEN:
            return error("not_authed" if not token else "invalid_auth")
        elif self.revoked:  # https://api.slack.com/methods/auth.test#errors
            return error("token_revoked")
        wait = self.tiers.hit(method, self.now()) if self.tier_limits else None
        if wait is not None:
            self.rate_limited.append(method)
            return _ratelimited(wait)
        stored_before = len(self.posted)
        response = handler(self, args)
        if len(self.posted) > stored_before:
            kind = self._take_lost_answer(method)
            if kind is not None:
                return self._lose(request, kind, self.posted[-1])
        if method != "apps.connections.open":  # the bot token's scopes, on every answer
            response.headers["x-oauth-scopes"] = ",".join(self.scopes or [])
        return response

    async def _response_url(self, request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        verdict = validate_message(body)
        if not verdict.ok:
            self.rejected.append(("response_url", body, verdict))
            return web.Response(status=400, text=verdict.error or "")
        name, problem = self.response_urls.use(request.match_info["token"], self.now())
        if name is None:
            return web.Response(status=404, text=problem or "")
        self._accept("response_url", name, body)
        return web.Response(status=200, text="ok")

    # --- state changes ----------------------------------------------------------------
    def _next_ts(self) -> str:
        self._ts_counter += 1
        return f"1759300000.{self._ts_counter:06d}"

    def _accept(self, api: str, channel: str, body: dict, user: str | None = None) -> Posted:
        with self._changed:
            p = Posted(
                api, channel, self._next_ts(), body, body.get("thread_ts"), user, time.monotonic()
            )
            self.posted.append(p)
            self._changed.notify_all()
            return p

    def _rate_limit(self, channel: str) -> web.Response | None:
        now = time.monotonic()
        last = self._last_post.get(channel)
        if last is not None and now - last < self.min_interval:
            left = self.min_interval - (now - last)
            self.rate_limited.append(channel)
            return _ratelimited(self.retry_after if self.retry_after is not None else left)
        self._last_post[channel] = now
        return None

    def _message_checks(self, api: str, args: dict) -> web.Response | None:
        """chat.postMessage's refusals (https://api.slack.com/methods/chat.postMessage#errors):
        injected ones, the workspace's (membership, archive, Messages tab), the body's, then a
        reply to a thread that is not there (conversations.replies' `thread_not_found`)."""
        channel = str(args.get("channel") or "")
        if channel in self.channel_errors:
            return error(self.channel_errors[channel])
        problem = self.workspace.post_problem(channel)
        if problem:
            return error(problem)
        verdict = validate_message(args)
        if not verdict.ok:
            self.rejected.append((api, args, verdict))
            return error(verdict.error or "invalid_blocks", errors=verdict.details)
        thread_ts = args.get("thread_ts")
        if thread_ts and not any(p.ts == thread_ts and p.channel == channel for p in self.posted):
            return error("thread_not_found")
        if thread_ts and (channel, thread_ts) in self.locked_threads:
            return error("restricted_action_thread_locked")
        return None

    def chat_post_message(self, args: dict) -> web.Response:
        problem = self._message_checks("chat.postMessage", args)
        if problem is not None:
            return problem
        limited = self._rate_limit(args["channel"])
        if limited is not None:
            return limited
        p = self._accept("chat.postMessage", args["channel"], args)
        message = {"type": "message", "text": args.get("text", ""), "ts": p.ts, "user": BOT_USER_ID}
        return web.json_response({"ok": True, "channel": p.channel, "ts": p.ts, "message": message})

    def chat_post_ephemeral(self, args: dict) -> web.Response:
        problem = self._message_checks("chat.postEphemeral", args)
        if problem is not None:
            return problem
        if args.get("user") not in self.users:
            return error("user_not_in_channel")
        p = self._accept("chat.postEphemeral", args["channel"], args, user=args["user"])
        return web.json_response({"ok": True, "message_ts": p.ts})

    def users_info(self, args: dict) -> web.Response:
        user = self.users.get(str(args.get("user", "")))
        if user is None:
            return error("user_not_found")
        return web.json_response({"ok": True, "user": user})

    def auth_test(self, args: dict) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake Team",
                "user": "paperbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "BFAKE",
                "is_enterprise_install": False,
            }
        )

    def apps_connections_open(self, args: dict) -> web.Response:
        if not self.socket_url:
            return error("no_socket_server")
        return web.json_response({"ok": True, "url": self.socket_url})


_METHODS = {
    "auth.test": FakeSlackWebApi.auth_test,
    "chat.postMessage": FakeSlackWebApi.chat_post_message,
    "chat.postEphemeral": FakeSlackWebApi.chat_post_ephemeral,
    "chat.update": FakeSlackWebApi.chat_update,
    "chat.unfurl": FakeSlackWebApi.chat_unfurl,
    "files.getUploadURLExternal": FakeSlackWebApi.files_get_upload_url_external,
    "files.completeUploadExternal": FakeSlackWebApi.files_complete_upload_external,
    "conversations.open": FakeSlackWebApi.conversations_open,
    "conversations.join": FakeSlackWebApi.conversations_join,
    "conversations.replies": FakeSlackWebApi.conversations_replies,
    "conversations.history": FakeSlackWebApi.conversations_history,
    "conversations.info": FakeSlackWebApi.conversations_info,
    "users.info": FakeSlackWebApi.users_info,
    "apps.connections.open": FakeSlackWebApi.apps_connections_open,
}


def _ratelimited(wait: float) -> web.Response:
    """https://api.slack.com/apis/rate-limits: HTTP 429, `ratelimited`, Retry-After seconds."""
    return web.json_response(
        {"ok": False, "error": "ratelimited"},
        status=429,
        headers={"Retry-After": str(math.ceil(wait))},
    )


async def _read_args(request: web.Request) -> dict[str, Any]:
    """Slack accepts query string, form body or JSON body; slack_sdk uses all three."""
    args: dict[str, Any] = dict(request.query)
    raw = await request.read()
    ctype = request.headers.get("Content-Type", "")
    if raw and "json" in ctype:
        args.update(json.loads(raw))
    elif raw:
        form = dict(parse_qsl(raw.decode()))
        for key in ("blocks", "metadata"):
            if key in form:
                form[key] = json.loads(form[key])
        args.update(form)
    return args


def _token(request: web.Request, args: dict[str, Any]) -> str:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[len("Bearer ") :]
    return str(args.get("token", ""))
