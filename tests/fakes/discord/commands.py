"""Application commands in the fake: bulk overwrite, list and delete, global or per guild, with
the limits Discord documents at https://discord.com/developers/docs/interactions/application-commands:

- names, descriptions, option counts and order (400 Invalid Form Body);
- "a maximum of 8000 characters for combined name, description, and value properties for
  each command, its options (including subcommands and groups), and choices" (50035);
- "a global rate limit of 200 application command creates per day, per guild", where a bulk
  overwrite counts only "commands that do not already exist" — past it, 400 with 30034
  ("Max number of daily application command creates has been reached (200)", as discord.py
  reports it: https://github.com/mishl-dev/Discord-AI-Chatbot/issues/113);
- a guild the app cannot reach (not joined, or installed without `applications.commands`)
  answers 403 50001 Missing Access (discord.py's `CommandTree.sync` documents this 403).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord.responses import error, invalid_form, json_response
from tests.fakes.discord.validate import COMMAND_NAME

COMMAND_CHARS_MAX = 8000
CREATES_PER_DAY = 200
DAY = 86400.0


class CommandRoutes:
    """Mixed into FakeDiscord; uses its ids, guild, clock and `rejected`."""

    def init_commands(self) -> None:
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" | guild id → commands
        self.creates: dict[str, list[float]] = {}  # scope → when each create happened
        self.daily_create_limit = CREATES_PER_DAY

    def add_command_routes(self, r: web.UrlDispatcher, api: str) -> None:
        app = f"{api}/applications/{{app}}"
        r.add_put(f"{app}/commands", self._sync_commands)
        r.add_put(f"{app}/guilds/{{gid}}/commands", self._sync_commands)
        r.add_get(f"{app}/commands", self._list_commands)
        r.add_get(f"{app}/guilds/{{gid}}/commands", self._list_commands)
        r.add_delete(f"{app}/commands/{{cmd}}", self._delete_command)

    def command_syncs(self) -> list[str]:
        """The scopes ("global" or a guild id) of every bulk overwrite received, in order."""
        return [
            c.path.rsplit("/", 2)[-2] if "/guilds/" in c.path else "global"
            for c in self.calls
            if c.method == "PUT" and c.path.endswith("/commands")
        ]

    def _scope_problem(self, request: web.Request) -> web.Response | None:
        if not self._authorized(request):
            return error(401, 0, "401: Unauthorized")
        if request.match_info["app"] != self.application_id:
            return error(403, 50001, "Missing Access")
        gid = request.match_info.get("gid")
        if gid is not None and gid != self.guild_id:
            return error(403, 50001, "Missing Access")
        return None

    async def _sync_commands(self, request: web.Request) -> web.Response:
        if refused := self._scope_problem(request):
            return refused
        commands = await request.json()
        problems = [p for i, c in enumerate(commands) for p in _command_problems(c, str(i))]
        problems += [
            (f"{i}", f"Command exceeds maximum size ({COMMAND_CHARS_MAX})")
            for i, c in enumerate(commands)
            if command_chars(c) > COMMAND_CHARS_MAX
        ]
        if problems:
            self.rejected.append(("sync", {"problems": problems}, commands))
            return invalid_form(problems)
        key = request.match_info.get("gid", "global")
        existing = {(c["name"], c.get("type", 1)): c for c in self.commands.get(key, [])}
        new = [c for c in commands if (c["name"], c.get("type", 1)) not in existing]
        recent = [t for t in self.creates.get(key, []) if self.now() - t < DAY]
        if len(recent) + len(new) > self.daily_create_limit:
            msg = "Max number of daily application command creates has been reached (200)"
            return error(400, 30034, msg)
        self.creates[key] = recent + [self.now()] * len(new)
        stored = [self._stored(c, existing, request.match_info.get("gid")) for c in commands]
        self.commands[key] = stored
        return json_response(stored)

    def _stored(self, c: dict[str, Any], existing: dict, gid: str | None) -> dict[str, Any]:
        old = existing.get((c["name"], c.get("type", 1)))
        return {
            "description": "",  # what Discord answers for USER and MESSAGE commands
            **c,
            "id": old["id"] if old else self.ids.new(),
            "application_id": self.application_id,
            "version": self.ids.new(),
            "guild_id": gid,
        }

    async def _list_commands(self, request: web.Request) -> web.Response:
        if refused := self._scope_problem(request):
            return refused
        return json_response(self.commands.get(request.match_info.get("gid", "global"), []))

    async def _delete_command(self, request: web.Request) -> web.Response:
        if refused := self._scope_problem(request):
            return refused
        cmds = self.commands.get("global", [])
        kept = [c for c in cmds if c["id"] != request.match_info["cmd"]]
        if len(kept) == len(cmds):
            return error(404, 10063, "Unknown application command")
        self.commands["global"] = kept
        return web.Response(status=204)


def command_chars(cmd: dict[str, Any]) -> int:
    """Name + description + choice names/values over the command and all its options."""
    n = len(cmd.get("name") or "") + len(cmd.get("description") or "")
    for choice in cmd.get("choices") or []:
        n += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    return n + sum(command_chars(o) for o in cmd.get("options") or [])


def _menu_problems(cmd: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """A USER (2) or MESSAGE (3) command: "USER and MESSAGE commands may be mixed case and can
    include spaces" (1-32 characters), their description is "empty string", and they take no
    options (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming,
    #application-command-object-application-command-structure)."""
    out = []
    if not 1 <= len(cmd.get("name") or "") <= 32:
        out.append((f"{path}.name", "Must be between 1 and 32 in length."))
    if cmd.get("description"):
        out.append((f"{path}.description", "Context menu commands cannot have description"))
    if cmd.get("options"):
        out.append((f"{path}.options", "Context menu commands cannot have options"))
    return out


def _command_problems(cmd: dict[str, Any], path: str, depth: int = 0) -> list[tuple[str, str]]:
    """Discord's application-command rules: names, descriptions, option counts and order."""
    if depth == 0 and cmd.get("type") in (2, 3):
        return _menu_problems(cmd, path)
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
