"""The guild as REST shows it: its roles, the bot's member, and channel permission overwrites.

Discord gives a bot, when it is invited with permissions, a managed role named after it that
holds them (https://discord.com/developers/docs/topics/permissions#role-object-role-tags-structure:
`bot_id` on a bot's role), and the @everyone role has the guild's id
(https://discord.com/developers/docs/topics/permissions#role-object). Here @everyone may only
view channels and the bot's role holds every permission the fake knows, so the bot may do
everything until a test denies something.

`FakeDiscord.deny(channel, ...)` is what the fake enforces (403 50001/50013); REST shows the
same denial as a channel permission overwrite on the bot's role (type 0, `deny` bits:
https://discord.com/developers/docs/resources/channel#overwrite-object), which is where a
server admin would have set it — so a client computing the bot's effective permissions from
GET /guilds/{id}, GET /guilds/{id}/members/{user} and GET /channels/{id} (the order is
https://discord.com/developers/docs/topics/permissions#permission-overwrites) sees exactly
what the fake enforces.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord import payloads as P
from tests.fakes.discord.responses import error, json_response

VIEW_CHANNEL = 1 << 10


class GuildRoutes:
    """Mixed into FakeDiscord; uses its ids, guild, bot user, channels and `denied`."""

    def init_guilds(self, all_bits: int, bits: dict[str, int]) -> None:
        self.bot_role_id = self.ids.new()
        self._all_bits = all_bits
        self._bits = bits

    def add_guild_routes(self, r: web.UrlDispatcher, api: str) -> None:
        r.add_get(f"{api}/guilds/{{gid}}", self._get_guild)
        r.add_get(f"{api}/guilds/{{gid}}/members/{{uid}}", self._get_member)

    def roles(self) -> list[dict[str, Any]]:
        def role(rid: str, name: str, perms: int, **extra: Any) -> dict[str, Any]:
            return {
                "id": rid,
                "name": name,
                "permissions": str(perms),
                "position": 1 if extra else 0,
                "color": 0,
                "hoist": False,
                "managed": bool(extra),
                "mentionable": False,
                "flags": 0,
                **extra,
            }

        return [
            role(self.guild_id, "@everyone", VIEW_CHANNEL),
            role(self.bot_role_id, "paperbot", self._all_bits, tags={"bot_id": self.bot["id"]}),
        ]

    def channel_overwrites(self, channel_id: str) -> list[dict[str, Any]]:
        """The overwrites REST shows for a channel: the fake's denials, on the bot's role."""
        denied = sum(self._bits[p] for p in self.denied.get(channel_id, set()))
        if not denied:
            return []
        return [{"id": self.bot_role_id, "type": 0, "allow": "0", "deny": str(denied)}]

    def _guild_refusal(self, request: web.Request) -> web.Response | None:
        if not self._authorized(request):
            return error(401, 0, "401: Unauthorized")
        if request.match_info["gid"] != self.guild_id:
            # https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
            return error(404, 10004, "Unknown Guild")
        return None

    async def _get_guild(self, request: web.Request) -> web.Response:
        if refused := self._guild_refusal(request):
            return refused
        guild = P.guild(self.guild_id, "Reading group", self.owner["id"], [])
        for key in ("channels", "threads", "members", "voice_states", "presences"):
            guild.pop(key, None)  # gateway-only fields (GUILD_CREATE), not in GET /guilds/{id}
        guild["roles"] = self.roles()
        return json_response(guild)

    async def _get_member(self, request: web.Request) -> web.Response:
        if refused := self._guild_refusal(request):
            return refused
        uid = request.match_info["uid"]
        if uid == self.bot["id"]:
            member = P.member(self.bot, 0)
            member["roles"] = [self.bot_role_id]
        elif uid in self.users:
            member = P.member(self.users[uid], 0)
        else:
            return error(404, 10007, "Unknown Member")
        member.pop("permissions")  # only sent with interactions
        return json_response(member)
