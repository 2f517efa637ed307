"""`paperbot doctor`'s Slack checks, made with the real tokens and changing nothing.

- the bot token: auth.test (https://api.slack.com/methods/auth.test);
- its scopes: Slack lists the scopes a token was granted in the `x-oauth-scopes` header of
  each Web API response (https://api.slack.com/authentication/oauth-v2 — the SDKs read it
  into `response_metadata.scopes`, https://docs.slack.dev/tools/node-slack-sdk/reference/web-api/interfaces/WebAPICallResult),
  compared with the bot scopes of slack/manifest.yml, the file the app was created from;
- the app-level token (Socket Mode): apps.connections.open answers a WebSocket URL, which
  doctor does not open (https://api.slack.com/methods/apps.connections.open);
- each enabled channel: conversations.info (exists for the bot, is it a member,
  https://api.slack.com/methods/conversations.info), then, when it is a member,
  conversations.history with limit 1 (can it read back its own threads).
A channel the bot is not in is not joined here: `/papers channel enable` does that.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.slack.errors import error_code
from adapters.slack.web_client import make_web_client
from bot.model import Check

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import Config, SlackConfig
    from bot.daily.channels import ChannelSettings

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"
REINSTALL = (
    "update the app from slack/manifest.yml (api.slack.com/apps → App Manifest) and reinstall it"
)


def manifest_bot_scopes(path: Path = MANIFEST) -> list[str] | None:
    """The `oauth_config.scopes.bot` list of the manifest (a plain scan: the file is ours and
    its shape fixed, so no YAML library is needed at run time); None when it is not there."""
    if not path.is_file():
        return None
    scopes: list[str] = []
    in_bot = False
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if re.fullmatch(r"\s*bot:", text):
            in_bot = True
        elif in_bot and (m := re.fullmatch(r"\s*-\s*(\S+)", text)):
            scopes.append(m.group(1))
        elif in_bot and text.strip():
            break
    return scopes


async def slack_checks(cfg: Config, channels: list[ChannelSettings]) -> list[Check]:
    sc = cfg.slack
    client = make_web_client(sc, sc.bot_token())
    auth = await _auth_check(client, sc)
    checks = [auth[0]]
    if auth[1] is None:
        return checks  # nothing else can be asked with a token Slack refuses
    checks.append(_scope_check(auth[1]))
    checks.append(await _mode_check(sc))
    granted = _granted(auth[1]) or set()
    for ch in (c for c in channels if c.platform == "slack"):
        checks += await _channel_checks(client, ch, granted)
    return checks


async def _auth_check(client: AsyncWebClient, sc: SlackConfig) -> tuple[Check, Any]:
    try:
        r = await client.auth_test()
    except Exception as e:
        code, _ = error_code(e)
        fix = (
            f"copy the Bot User OAuth Token (xoxb-…) from api.slack.com/apps → OAuth & Permissions"
            f" into ${sc.bot_token_env}; if the app was uninstalled, reinstall it"
        )
        return Check("Slack bot token", False, f"auth.test refused it ({code or e})", fix), None
    return Check("Slack bot token", True, f"{r.get('team')} as @{r.get('user')}"), r


def _granted(response: Any) -> set[str] | None:
    header = {k.lower(): v for k, v in (response.headers or {}).items()}.get("x-oauth-scopes")
    if header is None:
        return None
    value = header[0] if isinstance(header, list) else header
    return {s.strip() for s in str(value).split(",") if s.strip()}


def _scope_check(response: Any) -> Check:
    wanted = manifest_bot_scopes()
    granted = _granted(response)
    if granted is None:
        return Check("Slack scopes", False, "Slack sent no x-oauth-scopes header", REINSTALL)
    if wanted is None:
        return Check("Slack scopes", True, f"{len(granted)} granted; no manifest to compare with")
    missing = [s for s in wanted if s not in granted]
    if missing:
        return Check("Slack scopes", False, f"missing {', '.join(missing)}", REINSTALL)
    return Check("Slack scopes", True, f"all {len(wanted)} of slack/manifest.yml granted")


async def _mode_check(sc: SlackConfig) -> Check:
    if sc.mode == "http":
        if sc.signing_secret():
            return Check("Slack signing secret", True, f"set (${sc.signing_secret_env})")
        fix = f"copy Basic Information → Signing Secret into ${sc.signing_secret_env}"
        return Check("Slack signing secret", False, "not set", fix)
    fix = (
        f"create an app-level token with the connections:write scope (Basic Information →"
        f" App-Level Tokens) and put it (xapp-…) in ${sc.app_token_env}"
    )
    if not sc.app_token():
        return Check("Slack app token", False, f"${sc.app_token_env} is not set", fix)
    try:
        await make_web_client(sc, None).apps_connections_open(app_token=sc.app_token() or "")
    except Exception as e:
        code, _ = error_code(e)
        return Check("Slack app token", False, f"apps.connections.open: {code or e}", fix)
    return Check("Slack app token", True, "Socket Mode connection offered")


async def _channel_checks(
    client: AsyncWebClient, ch: ChannelSettings, granted: set[str]
) -> list[Check]:
    name = f"Slack channel {ch.channel_id}"
    try:
        info = (await client.conversations_info(channel=ch.channel_id))["channel"]
    except Exception as e:
        code, _ = error_code(e)
        fix = (
            "invite the bot there (/invite @paperbot) if it is private, or disable the channel"
            " if it was deleted (/papers channel disable)"
        )
        return [Check(name, False, f"conversations.info: {code or e}", fix)]
    if not info.get("is_member"):
        if info.get("is_private") or "channels:join" not in granted:
            fix = "invite the bot there: /invite @paperbot"
            return [Check(name, False, "the bot is not a member and cannot join", fix)]
        return [Check(name, True, "not a member yet; can join (channels:join)")]
    try:
        await client.conversations_history(channel=ch.channel_id, limit=1)
    except Exception as e:
        code, _ = error_code(e)
        return [Check(name, False, f"cannot read history: {code or e}", REINSTALL)]
    return [Check(name, True, "member, can read history")]
