"""Interactions in the fake: INTERACTION_CREATE builders, callbacks and follow-up webhooks,
with Discord's rules (https://discord.com/developers/docs/interactions/receiving-and-responding):
an initial response within 3 seconds, once; follow-ups only after it; the first follow-up
after a defer fills the original; the token is "valid for 15 minutes", after which every
webhook call with it answers 401 50027 Invalid Webhook Token (as Discord does:
https://github.com/discord/discord-api-docs/issues/6851). An interaction carries the bot's own
`app_permissions` in that channel, and its context: a guild channel, a thread, or the bot's DM.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord import payloads as P
from tests.fakes.discord.responses import Posted, error, invalid_form, json_response
from tests.fakes.discord.validate import message_problems

EPHEMERAL = 64
CALLBACK_MESSAGE, CALLBACK_DEFER, CALLBACK_AUTOCOMPLETE = 4, 5, 8
OPTION_TYPES = {str: 3, int: 4, bool: 5, float: 10}
# Manage Channels (1<<4) and the usual member permissions
MEMBER_PERMS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 38)
ADMIN_PERMS = MEMBER_PERMS | (1 << 4)
TOKEN_LIFETIME = 15 * 60.0
CONTEXT_GUILD, CONTEXT_BOT_DM = 0, 1  # interaction context types
KIND_COMMAND, KIND_COMPONENT, KIND_AUTOCOMPLETE = 2, 3, 4
# DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE answers commands and component presses alike
DEFERRABLE = (KIND_COMMAND, KIND_COMPONENT)


@dataclass
class FakeInteraction:
    id: str
    token: str
    kind: int  # 2 application command, 3 message component, 4 autocomplete
    channel_id: str
    created: float  # on the fake's clock
    acked: int | None = None  # callback type used
    ephemeral: bool = False
    original: dict[str, Any] | None = None
    original_deleted: bool = False
    messages: list[tuple[dict[str, Any], bool]] = field(default_factory=list)  # (msg, ephemeral)
    choices: list[dict[str, Any]] | None = None
    late: bool = False  # a callback arrived after the deadline
    acked_at: float | None = None  # real monotonic time the callback arrived
    expired_calls: int = 0  # webhook calls refused because the token had expired


def _options(values: dict[str, Any], focused: str | None) -> list[dict[str, Any]]:
    out = []
    for name, value in values.items():
        opt = {"name": name, "type": OPTION_TYPES[type(value)], "value": value}
        if name == focused:
            opt["focused"] = True
        out.append(opt)
    return out


class InteractionRoutes:
    """Mixed into FakeDiscord; uses its ids, users, channels, clock, limiter and notify."""

    def init_interactions(self) -> None:
        self.interactions: dict[str, FakeInteraction] = {}

    def add_interaction_routes(self, r: web.UrlDispatcher, api: str) -> None:
        r.add_post(f"{api}/interactions/{{iid}}/{{token}}/callback", self._callback)
        r.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        hook_msg = f"{api}/webhooks/{{app}}/{{token}}/messages/{{mid}}"
        r.add_patch(hook_msg, self._edit_hook_message)
        r.add_delete(hook_msg, self._delete_hook_message)

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
        dm: bool = False,
    ) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE for `/papers <path…> options` from a guild member, or
        (`dm=True`) from a user in their DM with the bot.

        `focused` names the option being typed: the interaction is then an autocomplete.
        """
        kind = 4 if focused else 2
        user = self.users[user_id or self.owner["id"]]
        channel_id = self._dm_with(user) if dm else channel_id or self.text_channel_id
        inner = _options(options or {}, focused)
        for sub in reversed(path[1:]):
            stype = 1 if all(o["type"] > 2 for o in inner) else 2
            inner = [{"name": sub, "type": stype, "options": inner}]
        fi = FakeInteraction(
            self.ids.new(), secrets.token_urlsafe(24), kind, channel_id, self.now()
        )
        self.interactions[fi.id] = fi
        command = {"id": self._command_id(path[0]), "name": path[0], "type": 1, "options": inner}
        if dm:
            payload = self._dm_interaction(fi, command, user)
        else:
            command["guild_id"] = self.guild_id
            payload = self._interaction(fi, command, P.member(user, permissions))
        self.dispatch("INTERACTION_CREATE", payload)
        return fi

    def press_button(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        user_id: str | None = None,
        permissions: int = MEMBER_PERMS,
    ) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE for a guild member's press on the button `custom_id`
        of `message` (a message object the fake stored), as Discord sends a
        MESSAGE_COMPONENT interaction: type 3, `data` with the `custom_id` and
        `component_type` 2 (button), and the `message` the button is on
        (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-data,
        #message-component-data-structure). Only a button the message really has can be
        pressed, and a link button opens its URL without any interaction."""
        buttons = [b for row in message.get("components") or [] for b in row["components"]]
        if not any(b.get("custom_id") == custom_id for b in buttons):
            raise AssertionError(f"message {message['id']} has no button {custom_id!r}")
        user = self.users[user_id or self.owner["id"]]
        fi = FakeInteraction(
            self.ids.new(),
            secrets.token_urlsafe(24),
            KIND_COMPONENT,
            message["channel_id"],
            self.now(),
        )
        self.interactions[fi.id] = fi
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(fi, data, P.member(user, permissions))
        payload["message"] = message
        self.dispatch("INTERACTION_CREATE", payload)
        return fi

    def use_message_command(
        self,
        name: str,
        content: str,
        *,
        user_id: str | None = None,
        channel_id: str | None = None,
        permissions: int = MEMBER_PERMS,
    ) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE for a member's use of the message command `name` on a
        member's message saying `content` in a guild channel, as Discord sends it: type 2
        (APPLICATION_COMMAND), `data.type` 3 (MESSAGE), `data.target_id` the message's id and
        the message itself, content included, in `data.resolved.messages`
        (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-data,
        #interaction-object-resolved-data-structure). Only a registered MESSAGE command can be
        used: the menu lists what was synced."""
        registered = [c for cmds in self.commands.values() for c in cmds if c["name"] == name]
        if not any(c.get("type") == 3 for c in registered):
            raise AssertionError(f"no MESSAGE command {name!r} is registered")
        user = self.users[user_id or self.owner["id"]]
        channel_id = channel_id or self.text_channel_id
        target = P.message(self.ids.new(), channel_id, user, {"content": content})
        target["guild_id"] = self.guild_id
        fi = FakeInteraction(
            self.ids.new(), secrets.token_urlsafe(24), KIND_COMMAND, channel_id, self.now()
        )
        self.interactions[fi.id] = fi
        command = {
            "id": self._command_id(name),
            "name": name,
            "type": 3,
            "guild_id": self.guild_id,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        self.dispatch(
            "INTERACTION_CREATE", self._interaction(fi, command, P.member(user, permissions))
        )
        return fi

    def send_reaction(
        self, added: bool, message_id: str, channel_id: str, emoji: str, user_id: str
    ) -> None:
        """Dispatch MESSAGE_REACTION_ADD / _REMOVE for a member's unicode-emoji reaction on a
        guild message (https://discord.com/developers/docs/events/gateway-events#message-reaction-add);
        only sessions that identified with GUILD_MESSAGE_REACTIONS get it."""
        data: dict[str, Any] = {
            "user_id": user_id,
            "channel_id": channel_id,
            "message_id": message_id,
            "guild_id": self.guild_id,
            "emoji": {"id": None, "name": emoji},
            "burst": False,
            "type": 0,
        }
        if added:
            data["member"] = P.member(self.users[user_id], MEMBER_PERMS)
            data["message_author_id"] = self.bot["id"]
            data["burst_colors"] = []
        self.dispatch("MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE", data)

    def _dm_with(self, user: dict[str, Any]) -> str:
        for ch in self.channels.values():
            if ch["type"] == P.DM and ch["recipients"][0]["id"] == user["id"]:
                return ch["id"]
        cid = self.ids.new()
        self.channels[cid] = P.channel(cid, P.DM, recipients=[user])
        return cid

    def _base(self, fi: FakeInteraction, command: dict) -> dict[str, Any]:
        return {
            "id": fi.id,
            "application_id": self.application_id,
            "type": fi.kind,
            "token": fi.token,
            "version": 1,
            "channel_id": fi.channel_id,
            "channel": self.channels[fi.channel_id],
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 8 * 2**20,
            "data": command,
        }

    def _interaction(self, fi: FakeInteraction, command: dict, member: dict) -> dict[str, Any]:
        return {
            **self._base(fi, command),
            "guild_id": self.guild_id,
            "member": member,
            # "Bitwise set of permissions the app has in the source location of the interaction"
            "app_permissions": str(self.bot_permissions(fi.channel_id)),
            "guild_locale": "en-US",
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": CONTEXT_GUILD,
        }

    def _dm_interaction(self, fi: FakeInteraction, command: dict, user: dict) -> dict[str, Any]:
        return {
            **self._base(fi, command),
            "user": user,
            # in the bot's DM: "ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE" and
            # USE_EXTERNAL_EMOJIS (plus what any DM allows: view, send, read history)
            "app_permissions": str(
                (1 << 15) | (1 << 14) | (1 << 17) | (1 << 18) | (1 << 10) | (1 << 11) | (1 << 16)
            ),
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": CONTEXT_BOT_DM,
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
        if self.now() - fi.created > self.interaction_deadline:
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
        elif ctype != CALLBACK_DEFER or fi.kind not in DEFERRABLE:
            return invalid_form([("type", "Value must be one of (4, 5, 8).")])
        fi.acked = ctype
        fi.acked_at = time.monotonic()
        if ctype == CALLBACK_DEFER:
            self.advance(self.advance_on_defer)
        fi.ephemeral = bool((data.get("flags") or 0) & EPHEMERAL)
        return json_response(self._callback_response(fi, ctype))

    def _callback_response(self, fi: FakeInteraction, ctype: int) -> dict[str, Any]:
        inter = {
            "id": fi.id,
            "type": fi.kind,
            "response_message_loading": ctype == CALLBACK_DEFER,
            "response_message_ephemeral": fi.ephemeral,
        }
        resource: dict[str, Any] = {"type": ctype}
        if fi.original is not None:
            inter["response_message_id"] = fi.original["id"]
            resource["message"] = fi.original
        return {"interaction": inter, "resource": resource}

    def _expired(self, fi: FakeInteraction) -> web.Response | None:
        if self.now() - fi.created <= TOKEN_LIFETIME:
            return None
        fi.expired_calls += 1
        return error(401, 50027, "Invalid Webhook Token")

    def _hook_message(self, fi: FakeInteraction, body: dict[str, Any], eph: bool) -> dict:
        msg = P.message(self.ids.new(), fi.channel_id, self.bot, body)
        fi.messages.append((msg, eph))
        return msg

    async def _followup(self, request: web.Request) -> web.Response:
        fi = self._interaction_by_token(request.match_info["token"])
        if fi is None or request.match_info["app"] != self.application_id or fi.acked is None:
            return error(404, 10015, "Unknown Webhook")
        if expired := self._expired(fi):
            return expired
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
        if expired := self._expired(fi):
            return expired
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
        if expired := self._expired(fi):
            return expired
        if request.match_info["mid"] == "@original":
            fi.original_deleted = True
        return web.Response(status=204)


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
