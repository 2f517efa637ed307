"""Interactions in the fake: INTERACTION_CREATE builders, callbacks, follow-up webhooks and
application-command sync, with Discord's rules (3-second deadline, acknowledge once,
follow-ups only after acknowledging, the first follow-up after a defer fills the original).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord import payloads as P
from tests.fakes.discord.responses import Posted, error, invalid_form, json_response
from tests.fakes.discord.validate import COMMAND_NAME, message_problems

EPHEMERAL = 64
CALLBACK_MESSAGE, CALLBACK_DEFER, CALLBACK_AUTOCOMPLETE = 4, 5, 8
OPTION_TYPES = {str: 3, int: 4, bool: 5, float: 10}
# Manage Channels (1<<4) and the usual member permissions
MEMBER_PERMS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 38)
ADMIN_PERMS = MEMBER_PERMS | (1 << 4)


@dataclass
class FakeInteraction:
    id: str
    token: str
    kind: int  # 2 application command, 4 autocomplete
    channel_id: str
    created: float
    acked: int | None = None  # callback type used
    ephemeral: bool = False
    original: dict[str, Any] | None = None
    original_deleted: bool = False
    messages: list[tuple[dict[str, Any], bool]] = field(default_factory=list)  # (msg, ephemeral)
    choices: list[dict[str, Any]] | None = None
    late: bool = False  # a callback arrived after the deadline


def _options(values: dict[str, Any], focused: str | None) -> list[dict[str, Any]]:
    out = []
    for name, value in values.items():
        opt = {"name": name, "type": OPTION_TYPES[type(value)], "value": value}
        if name == focused:
            opt["focused"] = True
        out.append(opt)
    return out


class InteractionRoutes:
    """Mixed into FakeDiscord; uses its ids, users, channels, limiter and notify."""

    def init_interactions(self) -> None:
        self.interactions: dict[str, FakeInteraction] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" | guild id → commands

    def add_interaction_routes(self, r: web.UrlDispatcher) -> None:
        api = "/api/v10"
        r.add_post(f"{api}/interactions/{{iid}}/{{token}}/callback", self._callback)
        r.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        hook_msg = f"{api}/webhooks/{{app}}/{{token}}/messages/{{mid}}"
        r.add_patch(hook_msg, self._edit_hook_message)
        r.add_delete(hook_msg, self._delete_hook_message)
        r.add_put(f"{api}/applications/{{app}}/commands", self._sync_commands)
        r.add_put(f"{api}/applications/{{app}}/guilds/{{gid}}/commands", self._sync_commands)
        r.add_get(f"{api}/applications/{{app}}/commands", self._list_commands)
        r.add_get(f"{api}/applications/{{app}}/guilds/{{gid}}/commands", self._list_commands)

    # --- building and sending interactions (test side) ----------------------------------
    def send_command(
        self,
        path: list[str],
        options: dict[str, Any] | None = None,
        *,
        user_id: str | None = None,
        permissions: int = MEMBER_PERMS,
        channel_id: str | None = None,
        focused: str | None = None,
    ) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE for `/papers <path…> options` from a guild member.

        `focused` names the option being typed: the interaction is then an autocomplete.
        """
        kind = 4 if focused else 2
        channel_id = channel_id or self.text_channel_id
        inner = _options(options or {}, focused)
        for sub in reversed(path[1:]):
            stype = 1 if all(o["type"] > 2 for o in inner) else 2
            inner = [{"name": sub, "type": stype, "options": inner}]
        fi = FakeInteraction(
            self.ids.new(), secrets.token_urlsafe(24), kind, channel_id, time.monotonic()
        )
        self.interactions[fi.id] = fi
        command = {
            "id": self._command_id(path[0]),
            "name": path[0],
            "type": 1,
            "options": inner,
            "guild_id": self.guild_id,
        }
        member = P.member(self.users[user_id or self.owner["id"]], permissions)
        self.dispatch("INTERACTION_CREATE", self._interaction(fi, command, member))
        return fi

    def _interaction(self, fi: FakeInteraction, command: dict, member: dict) -> dict[str, Any]:
        return {
            "id": fi.id,
            "application_id": self.application_id,
            "type": fi.kind,
            "token": fi.token,
            "version": 1,
            "guild_id": self.guild_id,
            "channel_id": fi.channel_id,
            "channel": self.channels[fi.channel_id],
            "member": member,
            "app_permissions": str(MEMBER_PERMS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": 0,
            "attachment_size_limit": 8 * 2**20,
            "data": command,
        }

    def _command_id(self, name: str) -> str:
        for cmds in self.commands.values():
            for c in cmds:
                if c["name"] == name:
                    return c["id"]
        return "1"

    # --- routes ------------------------------------------------------------------------
    def _interaction_by_token(self, token: str) -> FakeInteraction | None:
        return next((i for i in self.interactions.values() if i.token == token), None)

    async def _callback(self, request: web.Request) -> web.Response:

        fi = self.interactions.get(request.match_info["iid"])
        if fi is None or fi.token != request.match_info["token"]:
            return error(404, 10062, "Unknown interaction")
        if time.monotonic() - fi.created > self.interaction_deadline:
            fi.late = True
            return error(404, 10062, "Unknown interaction")
        if fi.acked is not None:
            return error(400, 40060, "Interaction has already been acknowledged.")
        body = await request.json()
        ctype, data = body.get("type"), body.get("data") or {}
        if ctype == CALLBACK_AUTOCOMPLETE:
            if fi.kind != 4 or (problems := _choice_problems(data.get("choices"))):
                return invalid_form(problems if fi.kind == 4 else [("type", "Invalid")])
            fi.choices = data["choices"]
        elif ctype == CALLBACK_MESSAGE:
            if problems := message_problems(data):
                self.rejected.append(("callback", {"problems": problems}, data))
                return invalid_form(problems)
            fi.original = self._hook_message(fi, data, bool((data.get("flags") or 0) & EPHEMERAL))
        elif ctype != CALLBACK_DEFER or fi.kind != 2:
            return invalid_form([("type", "Value must be one of (4, 5, 8).")])
        fi.acked = ctype
        fi.ephemeral = bool((data.get("flags") or 0) & EPHEMERAL)
        return json_response(self._callback_response(fi, ctype))

    def _callback_response(self, fi: FakeInteraction, ctype: int) -> dict[str, Any]:
        inter = {
            "id": fi.id,
            "type": 2,
            "response_message_loading": ctype == CALLBACK_DEFER,
            "response_message_ephemeral": fi.ephemeral,
        }
        resource: dict[str, Any] = {"type": ctype}
        if fi.original is not None:
            inter["response_message_id"] = fi.original["id"]
            resource["message"] = fi.original
        return {"interaction": inter, "resource": resource}

    def _hook_message(self, fi: FakeInteraction, body: dict[str, Any], eph: bool) -> dict:
        msg = P.message(self.ids.new(), fi.channel_id, self.bot, body)
        fi.messages.append((msg, eph))
        return msg

    async def _followup(self, request: web.Request) -> web.Response:

        fi = self._interaction_by_token(request.match_info["token"])
        if fi is None or request.match_info["app"] != self.application_id or fi.acked is None:
            return error(404, 10015, "Unknown Webhook")
        headers, limited = self._limited(f"POST /webhooks/{{id}}/{{token}}:{fi.token}")
        if limited:
            return limited
        body = await request.json()
        if problems := message_problems(body):
            self.rejected.append(("followup", {"problems": problems}, body))
            return invalid_form(problems)
        fills_original = fi.acked == CALLBACK_DEFER and fi.original is None
        fills_original = fills_original and not fi.original_deleted
        eph = fi.ephemeral if fills_original else bool((body.get("flags") or 0) & EPHEMERAL)
        msg = self._hook_message(fi, body, eph)
        if fills_original:
            fi.original = msg
        self.posted.append(Posted("POST /webhooks/{id}/{token}", fi.channel_id, msg["id"], body))
        if request.query.get("wait") in ("true", "1", "True"):
            return json_response(msg, headers=headers)
        return web.Response(status=204, headers=headers)

    async def _edit_hook_message(self, request: web.Request) -> web.Response:

        fi = self._interaction_by_token(request.match_info["token"])
        if fi is None or fi.acked is None:
            return error(404, 10015, "Unknown Webhook")
        body = await request.json()
        if problems := message_problems(body):
            return invalid_form(problems)
        if request.match_info["mid"] == "@original" and fi.original is None:
            fi.original = self._hook_message(fi, body, fi.ephemeral)
        target = fi.original
        if target is None:
            return error(404, 10008, "Unknown Message")
        target.update(content=body.get("content", target["content"]))
        target.update(embeds=body.get("embeds", target["embeds"]))
        return json_response(target)

    async def _delete_hook_message(self, request: web.Request) -> web.Response:

        fi = self._interaction_by_token(request.match_info["token"])
        if fi is None or fi.acked is None:
            return error(404, 10015, "Unknown Webhook")
        if request.match_info["mid"] == "@original":
            fi.original_deleted = True
        return web.Response(status=204)

    async def _sync_commands(self, request: web.Request) -> web.Response:

        if not self._authorized(request):
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        commands = await request.json()
        problems = [p for i, c in enumerate(commands) for p in _command_problems(c, str(i))]
        if problems:
            self.rejected.append(("sync", {"problems": problems}, commands))
            return invalid_form(problems)
        key = request.match_info.get("gid", "global")
        stored = []
        for c in commands:
            stored.append(
                {
                    **c,
                    "id": self.ids.new(),
                    "application_id": self.application_id,
                    "version": self.ids.new(),
                    "guild_id": request.match_info.get("gid"),
                }
            )
        self.commands[key] = stored
        return json_response(stored)

    async def _list_commands(self, request: web.Request) -> web.Response:
        return json_response(self.commands.get(request.match_info.get("gid", "global"), []))


def _choice_problems(choices: Any) -> list[tuple[str, str]]:
    if not isinstance(choices, list):
        return [("choices", "This field is required")]
    out = []
    if len(choices) > 25:
        out.append(("choices", "Must be 25 or fewer in length."))
    for i, c in enumerate(choices):
        if not 1 <= len(str(c.get("name", ""))) <= 100:
            out.append((f"choices.{i}.name", "Must be between 1 and 100 in length."))
        if isinstance(c.get("value"), str) and len(c["value"]) > 100:
            out.append((f"choices.{i}.value", "Must be 100 or fewer in length."))
    return out


def _command_problems(cmd: dict[str, Any], path: str, depth: int = 0) -> list[tuple[str, str]]:
    """Discord's application-command rules: names, descriptions, option counts and order."""
    out = []
    name, desc = cmd.get("name", ""), cmd.get("description", "")
    if not COMMAND_NAME.match(name) or name != name.lower():
        out.append((f"{path}.name", "Invalid application command name"))
    if not 1 <= len(desc) <= 100:
        out.append((f"{path}.description", "Must be between 1 and 100 in length."))
    opts = cmd.get("options") or []
    if len(opts) > 25:
        out.append((f"{path}.options", "Must be 25 or fewer in length."))
    if len({o.get("name") for o in opts}) != len(opts):
        out.append((f"{path}.options", "Option names must be unique"))
    seen_optional = False
    for i, o in enumerate(opts):
        sub = f"{path}.options.{i}"
        if o.get("type") in (1, 2):
            if depth >= 2 or (o["type"] == 2 and depth >= 1):
                out.append((sub, "Sub-commands nested too deeply"))
            out += _command_problems(o, sub, depth + 1)
            continue
        out += _command_problems({**o, "options": []}, sub, 3)
        if o.get("required"):
            if seen_optional:
                out.append((sub, "Required options must be placed before non-required options"))
        else:
            seen_optional = True
        if o.get("autocomplete") and o.get("choices"):
            out.append((sub, "Autocomplete and choices are mutually exclusive"))
        if len(o.get("choices") or []) > 25:
            out.append((f"{sub}.choices", "Must be 25 or fewer in length."))
    return out
