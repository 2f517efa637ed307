"""The Slack side of `paperbot run`: a Bolt async app on Socket Mode or HTTP, wired to the core.

`/papers` is acked at once (Slack's 3-second deadline), then the core does the slow work and
the replies go out through response_url. `SlackRuntime` is the start/stop pair; `run_slack`
runs it until cancelled. Both modes reach Slack only through `slack.api_base_url`. In HTTP
mode every request passes `http_guard` before Bolt sees it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from adapters.slack.actions import register_buttons
from adapters.slack.commands import (
    SLASH_COMMAND,
    enables_channel,
    is_slack_admin,
    needs_admin,
    slash_to_command,
)
from adapters.slack.http_guard import RequestGuard
from adapters.slack.interactive import named, register_share
from adapters.slack.membership import ensure_member
from adapters.slack.poster import SlackPoster
from adapters.slack.replies import SlashReplies
from adapters.slack.unfurl import register_unfurls
from adapters.slack.votes import register_votes
from bot.commands import spec
from bot.commands.dispatch import handle
from bot.model import Reply

if TYPE_CHECKING:
    from aiohttp import web
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_bolt.async_app import AsyncApp

    from bot.config import Config
    from bot.core import Core

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
APOLOGY = Reply(text=spec.APOLOGY, private=True)


class SlackStartError(Exception):
    """Slack cannot start: a missing secret or a token Slack refuses. One line for the user."""


def build_bolt_app(core: Core, config: Config, poster: SlackPoster, *, http_mode: bool) -> AsyncApp:
    """The Bolt app with its listeners; nothing runs until a handler or server drives it."""
    from slack_bolt.async_app import AsyncApp

    app = AsyncApp(
        client=poster.client,
        signing_secret=config.slack.signing_secret() or "",
        request_verification_enabled=http_mode,
        process_before_response=False,
        name="paperbot",
    )
    admins = tuple(config.slack.admins)

    @app.command(SLASH_COMMAND)
    async def on_papers(ack: Any, body: dict[str, Any]) -> None:
        await ack()  # before any slow work: Slack gives up after 3 seconds
        await answer_slash(core, poster, body, admins)

    @app.action(re.compile(r"^paperbot_link_"))
    async def on_link_button(ack: Any) -> None:
        await ack()  # link buttons open a URL; Slack still expects the click acked

    register_buttons(app, core, poster)
    register_share(app, core, poster)
    register_votes(app, core)
    register_unfurls(app, core, poster)
    return app


async def answer_slash(
    core: Core, poster: SlackPoster, payload: dict[str, Any], admins: tuple[str, ...]
) -> None:
    """Run one /papers command through the core and deliver its replies."""
    replies_out = SlashReplies(payload, poster)
    try:
        replies = await run_command(core, poster, payload, admins)
    except Exception:
        log.exception("slack: /papers %r failed", payload.get("text"))
        replies = [APOLOGY]
    await replies_out.send_all(replies)


async def run_command(
    core: Core, poster: SlackPoster, payload: dict[str, Any], admins: tuple[str, ...]
) -> list[Reply]:
    """Admin rights only looked up when needed; an admin's `channel enable` first makes sure
    the bot is in the channel (joining a public one), or says how to invite it."""
    is_admin = needs_admin(payload) and await is_slack_admin(
        poster.client, str(payload.get("user_id") or ""), admins
    )
    cmd = await named(poster.client, slash_to_command(payload, is_admin=is_admin))
    if not (is_admin and enables_channel(cmd)):
        return await handle(core, cmd, poster)
    may_enable, note = await ensure_member(poster.client, cmd.place.channel_id)
    replies = await handle(core, cmd, poster) if may_enable else []
    return replies + ([note] if note else [])


class SlackRuntime:
    """A started Slack connection (Socket Mode or HTTP server) plus the poster for deliveries."""

    def __init__(self, core: Core, config: Config, *, host: str = "0.0.0.0") -> None:
        self.core = core
        self.config = config
        self.host = host
        self.mode = config.slack.mode
        self.poster = (
            SlackPoster.from_config(config, core.clock) if config.slack.bot_token() else None
        )
        self.app: AsyncApp | None = None
        self.http_url: str | None = None  # http mode: where Slack must POST, once started
        self.guard: RequestGuard | None = None  # http mode: what may reach Bolt
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        if self.poster is None:
            raise SlackStartError(f"Slack needs a bot token in ${self.config.slack.bot_token_env}")
        await self._check_bot_token()
        self.app = build_bolt_app(
            self.core, self.config, self.poster, http_mode=self.mode == "http"
        )
        if self.mode == "http":
            await self._start_http(self.app)
        else:
            await self._start_socket(self.app)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _check_bot_token(self) -> None:
        from slack_sdk.errors import SlackApiError

        assert self.poster is not None
        try:
            await self.poster.client.auth_test()
        except SlackApiError as e:
            raise SlackStartError(
                f"Slack refused the bot token: {e.response.get('error')}"
            ) from None

    async def _start_http(self, app: AsyncApp) -> None:
        from aiohttp import web

        secret = self.config.slack.signing_secret()
        if not secret:
            env = self.config.slack.signing_secret_env
            raise SlackStartError(f"Slack HTTP mode needs the signing secret in ${env}")
        self.guard = RequestGuard(secret)
        web_app = web.Application()
        web_app.router.add_post(EVENTS_PATH, guarded_handler(app, self.guard))
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.config.slack.port)
        await site.start()
        port = self._runner.addresses[0][1]
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        self.http_url = f"http://{shown}:{port}{EVENTS_PATH}"
        log.info("slack: HTTP mode listening on %s", self.http_url)

    async def _start_socket(self, app: AsyncApp) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
        from slack_sdk.errors import SlackApiError

        app_token = self.config.slack.app_token()
        if not app_token:
            env = self.config.slack.app_token_env
            raise SlackStartError(f"Slack Socket Mode needs an app-level token in ${env}")
        assert self.poster is not None
        try:  # ask once ourselves so a bad token is an error, not an endless reconnect loop
            opened = await self.poster.client.apps_connections_open(app_token=app_token)
        except SlackApiError as e:
            raise SlackStartError(
                f"Slack refused the app token: {e.response.get('error')}"
            ) from None
        self._socket = AsyncSocketModeHandler(app, app_token, web_client=self.poster.client)
        self._socket.client.wss_uri = opened["url"]
        await self._socket.connect_async()
        log.info("slack: Socket Mode connected")


def guarded_handler(bolt: AsyncApp, guard: RequestGuard) -> Callable[..., Any]:
    """The HTTP endpoint: the guard answers what must not reach Bolt (401, 400, or a bare 200
    for a replay or a retry already handled); Bolt answers the rest."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response
    from slack_bolt.request.async_request import AsyncBoltRequest

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        verdict = guard.check(body, request.headers)
        if verdict.status is not None:
            return web.Response(status=verdict.status)
        bolt_request = AsyncBoltRequest(
            body=body.decode("utf-8"), query=request.query_string, headers=dict(request.headers)
        )
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    return handle


async def run_slack(
    core: Core, config: Config, on_ready: Callable[[SlackPoster], None] | None = None
) -> None:
    """Start Slack per `slack.mode`, run until cancelled, then close cleanly.

    `on_ready` receives the poster once connected, e.g. to register it with the scheduler.
    """
    runtime = SlackRuntime(core, config)
    await runtime.start()
    if on_ready is not None and runtime.poster is not None:
        on_ready(runtime.poster)
    try:
        await asyncio.Event().wait()
    finally:
        await runtime.stop()
