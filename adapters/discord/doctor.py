"""`paperbot doctor`'s Discord checks: REST calls with the real token, changing nothing.

- the token: GET /users/@me (https://discord.com/developers/docs/resources/user#get-current-user);
- the application: GET /oauth2/applications/@me
  (https://discord.com/developers/docs/topics/oauth2#get-current-bot-application-information);
- /papers registered in each configured guild (or globally without guild ids): GET
  /applications/{id}/guilds/{guild}/commands
  (https://discord.com/developers/docs/interactions/application-commands#get-guild-application-commands);
- for each enabled channel: GET /channels/{id}, then the bot's effective permissions there,
  computed as https://discord.com/developers/docs/topics/permissions#permission-overwrites
  says (`effective_permissions`), against the six of the invite link; a forum that requires
  a tag must have one the bot can use (adapters.discord.forum);
- the gateway intents the bot identifies with (adapters.discord.invite.GATEWAY_INTENTS) include
  GUILD_MESSAGE_REACTIONS, without which no 👍/👎 vote ever arrives
  (https://discord.com/developers/docs/events/gateway#gateway-intents: "if you do not specify
  a certain intent, you will not receive any of the gateway events that are batched into that
  group"), and no privileged one (which would need the Developer Portal's switch).
Plain httpx: discord.py's client would open a gateway connection, and doctor needs only REST.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from adapters.discord.forum import forum_tags
from adapters.discord.invite import (
    GATEWAY_INTENTS,
    INTENT_BITS,
    PERMISSION_BITS,
    PRIVILEGED_INTENTS,
)
from bot.model import Check

if TYPE_CHECKING:
    from bot.config import Config
    from bot.daily.channels import ChannelSettings

ADMINISTRATOR = 1 << 3
GUILD_FORUM = 15
INVITE_FIX = "re-invite the bot with the link from paperbot discord-invite"


def effective_permissions(
    guild_id: str,
    roles: list[dict[str, Any]],
    member_id: str,
    member_roles: list[str],
    overwrites: list[dict[str, Any]],
) -> int:
    """The member's permissions in a channel: @everyone's and its roles' permissions ORed
    (Administrator → everything), then the channel's overwrites in Discord's order — the
    @everyone overwrite, all the member's role overwrites together, the member's own."""
    perms_of = {str(r["id"]): int(r.get("permissions") or 0) for r in roles}
    perms = perms_of.get(guild_id, 0)
    for rid in member_roles:
        perms |= perms_of.get(str(rid), 0)
    if perms & ADMINISTRATOR:
        return ~0
    by_id = {(str(o["id"]), int(o.get("type", 0))): o for o in overwrites}

    def apply(perms: int, allow: int, deny: int) -> int:
        return (perms & ~deny) | allow

    if everyone := by_id.get((guild_id, 0)):
        perms = apply(perms, int(everyone["allow"]), int(everyone["deny"]))
    allow = deny = 0
    for rid in member_roles:
        if o := by_id.get((str(rid), 0)):
            allow, deny = allow | int(o["allow"]), deny | int(o["deny"])
    perms = apply(perms, allow, deny)
    if own := by_id.get((member_id, 1)):
        perms = apply(perms, int(own["allow"]), int(own["deny"]))
    return perms


def missing_permissions(perms: int) -> list[str]:
    return [name for name, bit in PERMISSION_BITS.items() if not perms & bit]


async def discord_checks(cfg: Config, channels: list[ChannelSettings]) -> list[Check]:
    dc = cfg.discord
    headers = {"Authorization": f"Bot {dc.token()}"}
    base = dc.api_base_url.rstrip("/")
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=20) as http:
        me = await _get(http, "/users/@me")
        if me.status_code != 200:
            fix = f"copy the bot token (Developer Portal → Bot → Reset Token) into ${dc.token_env}"
            return [Check("Discord bot token", False, _why(me), fix)]
        bot = me.json()
        checks = [Check("Discord bot token", True, f"logged in as {bot.get('username')}")]
        app = await _get(http, "/oauth2/applications/@me")
        if app.status_code != 200:
            return [*checks, Check("Discord application", False, _why(app), INVITE_FIX)]
        app_id = str(app.json()["id"])
        checks.append(Check("Discord application", True, f"id {app_id}"))
        checks.append(intents_check(GATEWAY_INTENTS))
        for gid in dc.guild_ids or [None]:
            checks.append(await _commands_check(http, app_id, gid))
        guilds: dict[str, tuple[httpx.Response, httpx.Response]] = {}
        for ch in (c for c in channels if c.platform == "discord"):
            checks += await _channel_checks(http, cfg, ch, str(bot["id"]), guilds)
    return checks


REQUIRED_INTENTS = ("guilds", "guild_reactions")


def intents_check(requested: tuple[str, ...]) -> Check:
    """The intents the bot asks for on IDENTIFY: GUILDS and GUILD_MESSAGE_REACTIONS (votes)
    requested, nothing privileged."""
    name = "Discord gateway intents"
    missing = [INTENT_BITS[f][0] for f in REQUIRED_INTENTS if f not in requested]
    if missing:
        why = f"{', '.join(missing)} not requested"
        if "GUILD_MESSAGE_REACTIONS" in missing:
            why += ": no 👍/👎 reaction reaches the bot, so votes are never recorded"
        fix = "add it to GATEWAY_INTENTS in adapters/discord/invite.py (it is not privileged)"
        return Check(name, False, why, fix)
    privileged = [PRIVILEGED_INTENTS[f] for f in requested if f in PRIVILEGED_INTENTS]
    if privileged:
        fix = "drop it from GATEWAY_INTENTS: paperbot needs no privileged intent"
        return Check(name, False, f"{', '.join(privileged)} is privileged", fix)
    names = (INTENT_BITS.get(flag, (flag.upper(), 0))[0] for flag in requested)
    return Check(name, True, ", ".join(names) + " (none privileged)")


async def _get(http: httpx.AsyncClient, path: str) -> httpx.Response:
    try:
        return await http.get(path)
    except httpx.HTTPError as e:  # unreachable: reported like a refusal, with the reason
        return httpx.Response(599, json={"message": f"{type(e).__name__} {e}".strip()})


def _why(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return f"HTTP {r.status_code}"
    code = f" {body['code']}" if isinstance(body, dict) and body.get("code") else ""
    message = body.get("message", "") if isinstance(body, dict) else ""
    return f"HTTP {r.status_code}{code} {message}".strip()


async def _commands_check(http: httpx.AsyncClient, app_id: str, gid: int | None) -> Check:
    where = f"guild {gid}" if gid else "global"
    path = f"/applications/{app_id}/" + (f"guilds/{gid}/commands" if gid else "commands")
    r = await _get(http, path)
    name = f"Discord /papers ({where})"
    if r.status_code == 403:
        return Check(name, False, _why(r), INVITE_FIX + " (it adds applications.commands)")
    if r.status_code != 200:
        return Check(name, False, _why(r), "check discord.guild_ids and the bot's invite")
    if not any(c.get("name") == "papers" for c in r.json()):
        fix = "start paperbot run once: it registers /papers"
        return Check(name, False, "not registered", fix)
    return Check(name, True, "registered")


async def _channel_checks(
    http: httpx.AsyncClient,
    cfg: Config,
    ch: ChannelSettings,
    bot_id: str,
    guilds: dict[str, tuple[httpx.Response, httpx.Response]],
) -> list[Check]:
    name = f"Discord channel {ch.channel_id}"
    r = await _get(http, f"/channels/{ch.channel_id}")
    if r.status_code == 404:
        fix = "it was deleted: disable it (/papers channel disable) or enable another"
        return [Check(name, False, _why(r), fix)]
    if r.status_code != 200:
        fix = "let the paperbot role View Channel there (channel settings → Permissions)"
        return [Check(name, False, _why(r), fix)]
    channel = r.json()
    gid = str(channel.get("guild_id") or ch.workspace_id)
    if gid not in guilds:
        guilds[gid] = (
            await _get(http, f"/guilds/{gid}"),
            await _get(http, f"/guilds/{gid}/members/{bot_id}"),
        )
    guild, member = guilds[gid]
    if guild.status_code != 200 or member.status_code != 200:
        bad = guild if guild.status_code != 200 else member
        return [Check(name, False, f"cannot read the guild's roles: {_why(bad)}", INVITE_FIX)]
    perms = effective_permissions(
        gid,
        guild.json().get("roles") or [],
        bot_id,
        [str(x) for x in member.json().get("roles") or []],
        channel.get("permission_overwrites") or [],
    )
    checks = [_permission_check(f"{name} (#{channel.get('name', '')})", perms)]
    if channel.get("type") == GUILD_FORUM and forum_tags(channel, cfg.discord.forum_tag) is None:
        tags = ", ".join(t.get("name", "") for t in channel.get("available_tags") or []) or "none"
        fix = f"set discord.forum_tag to one of its tags ({tags}), or add a tag named like 'papers'"
        checks.append(Check(f"{name} forum tag", False, "the forum requires a tag", fix))
    return checks


def _permission_check(name: str, perms: int) -> Check:
    missing = missing_permissions(perms)
    if not missing:
        return Check(name, True, f"all {len(PERMISSION_BITS)} permissions")
    fix = (
        "allow them for the paperbot role in the channel's settings → Permissions"
        " (an overwrite there denies them)"
    )
    return Check(name, False, f"missing {', '.join(missing)}", fix)
