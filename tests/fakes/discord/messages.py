"""Messages and threads in the fake: create, read back, start threads, forum posts, the
guild's active threads — each with the rule of Discord's documentation it follows.

Docs: https://discord.com/developers/docs/resources/message (Create / Get Channel Messages),
https://discord.com/developers/docs/resources/channel (threads, forum posts, channel flags),
https://discord.com/developers/docs/resources/guild#list-active-guild-threads.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord import payloads as P
from tests.fakes.discord.responses import Posted, error, invalid_form, json_response
from tests.fakes.discord.validate import message_problems, thread_problems

# enforce_nonce: "checked for uniqueness in the past few minutes. If another message was
# created by the same author with the same nonce, that message will be returned"
# (https://discord.com/developers/docs/resources/message#create-message). "A few minutes" is
# taken as three: a resend after that is a new message, whatever its nonce.
NONCE_WINDOW = 180.0
HISTORY_DEFAULT, HISTORY_MAX = 50, 100  # Get Channel Messages: limit 1-100, default 50


class MessageRoutes:
    """Mixed into FakeDiscord; uses its ids, channels, permissions, clock and limiter."""

    def init_messages(self) -> None:
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.nonces: dict[tuple[str, str], tuple[dict[str, Any], float]] = {}  # (author, nonce)

    def add_message_routes(self, r: web.UrlDispatcher, api: str) -> None:
        r.add_post(f"{api}/channels/{{cid}}/messages", self._create_message)
        r.add_get(f"{api}/channels/{{cid}}/messages", self._get_messages)
        r.add_post(f"{api}/channels/{{cid}}/messages/{{mid}}/threads", self._thread_from_message)
        r.add_post(f"{api}/channels/{{cid}}/threads", self._thread_in_channel)
        r.add_get(f"{api}/guilds/{{gid}}/threads/active", self._active_threads)

    # --- creating ------------------------------------------------------------------------
    async def _create_message(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        api = "POST /channels/{id}/messages"
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        headers, limited = self._limited(f"{api}:{cid}")
        if limited:
            return limited
        files: list[dict[str, Any]] = []
        if request.content_type.startswith("multipart/"):  # a message with files (edits.py)
            read = await self.read_files(request)
            if isinstance(read, web.Response):
                return read
            body, files = read
        else:
            body = await request.json()
        if ch["type"] == P.GUILD_FORUM:  # a forum takes posts (threads), not messages
            return error(400, 40058, "Cannot send a message in a forum channel")
        if ch["type"] == P.DM and ch["recipients"][0]["id"] in self.dm_closed:
            return error(403, 50007, "Cannot send messages to this user")
        # SEND_MESSAGES is not inherited by threads: they need SEND_MESSAGES_IN_THREADS
        # (https://discord.com/developers/docs/topics/permissions#inherited-permissions-threads)
        need = "SEND_MESSAGES_IN_THREADS" if ch["type"] == P.PUBLIC_THREAD else "SEND_MESSAGES"
        if ch["type"] != P.DM and (denied := self._missing(cid, need)):
            return denied
        problems = message_problems(body)
        problems += [("embeds", "Invalid Form Body") for t in self.refused_texts if t in str(body)]
        if problems:
            self.rejected.append((api, {"problems": problems}, body))
            return invalid_form(problems)
        msg = self._store_message(api, cid, body)
        if files and not msg["attachments"]:
            msg["attachments"] = [self.attachment_json(f) for f in files]
            self.files += [dict(f, channel_id=cid, message_id=msg["id"]) for f in files]
        status = self._commit_fault(request.path)
        if status is not None:
            return error(status, 0, "500: Internal Server Error")
        return json_response(msg, headers=headers)

    def _store_message(self, api: str, cid: str, body: dict[str, Any]) -> dict[str, Any]:
        nonce = body.get("nonce")
        key = (self.bot["id"], str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            seen = self.nonces.get(key)
            if seen is not None and self.now() - seen[1] <= NONCE_WINDOW:
                return seen[0]
        msg = P.message(self.ids.new(), cid, self.bot, body)
        self.messages.setdefault(cid, []).append(msg)
        self.posted.append(Posted(api, cid, msg["id"], body))
        if nonce is not None and body.get("enforce_nonce"):
            self.nonces[key] = (msg, self.now())
        return msg

    # --- reading back --------------------------------------------------------------------
    async def _get_messages(self, request: web.Request) -> web.Response:
        """Newest first; `before`/`after`/`around` exclusive of each other; needs
        VIEW_CHANNEL, and without READ_MESSAGE_HISTORY "no messages will be returned"."""
        cid = request.match_info["cid"]
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        if ch["type"] != P.DM and (denied := self._missing(cid)):
            return denied
        q = request.query
        if sum(k in q for k in ("before", "after", "around")) > 1:
            return invalid_form([("", "before, after and around are mutually exclusive")])
        limit = int(q.get("limit", HISTORY_DEFAULT))
        if not 1 <= limit <= HISTORY_MAX:
            return invalid_form([("limit", "Must be between 1 and 100.")])
        denied_here = self.denied.get(self._scope(cid), set())
        if ch["type"] != P.DM and "READ_MESSAGE_HISTORY" in denied_here:
            return json_response([])
        newest_first = sorted(self.messages.get(cid, []), key=lambda m: -int(m["id"]))
        return json_response([_as_read(m) for m in _page(newest_first, q, limit)])

    # --- threads -------------------------------------------------------------------------
    async def _thread_from_message(self, request: web.Request) -> web.Response:
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        api = "POST /channels/{id}/messages/{id}/threads"
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        if denied := self._missing(cid, "CREATE_PUBLIC_THREADS"):
            return denied
        if not any(m["id"] == mid for m in self.messages.get(cid, [])):
            return error(404, 10008, "Unknown Message")
        if mid in self.channels:
            return error(400, 160004, "A thread has already been created for this message")
        body = await request.json()
        if problems := thread_problems(body, forum=False):
            self.rejected.append((api, {"problems": problems}, body))
            return invalid_form(problems)
        return json_response(self._new_thread(mid, cid, body))

    def _new_thread(self, tid: str, parent: str, body: dict[str, Any]) -> dict[str, Any]:
        thread = P.channel(
            tid, P.PUBLIC_THREAD, name=body["name"], guild_id=self.guild_id, parent_id=parent
        )
        thread["owner_id"] = self.bot["id"]
        thread["thread_metadata"]["auto_archive_duration"] = body.get("auto_archive_duration", 1440)
        if body.get("applied_tags"):
            thread["applied_tags"] = list(body["applied_tags"])
        self.channels[tid] = thread
        return thread

    async def _thread_in_channel(self, request: web.Request) -> web.Response:
        """A forum post: SEND_MESSAGES is what it takes ("CREATE_PUBLIC_THREADS is ignored"),
        the first message is inside, and a REQUIRE_TAG forum refuses a post without
        `applied_tags` with 40067."""
        cid = request.match_info["cid"]
        api = "POST /channels/{id}/threads"
        ch = self.channels.get(cid)
        if ch is None:
            return error(404, 10003, "Unknown Channel")
        forum = ch["type"] == P.GUILD_FORUM
        if denied := self._missing(cid, "SEND_MESSAGES"):
            return denied
        headers, limited = self._limited(f"{api}:{cid}")
        if limited:
            return limited
        files: list[dict[str, Any]] = []
        if request.content_type.startswith("multipart/"):  # a message with files (edits.py)
            read = await self.read_files(request)
            if isinstance(read, web.Response):
                return read
            body, files = read
        else:
            body = await request.json()
        if problems := thread_problems(body, forum=forum) + _tag_problems(ch, body):
            self.rejected.append((api, {"problems": problems}, body))
            return invalid_form(problems)
        if forum and ch["flags"] & P.REQUIRE_TAG and not body.get("applied_tags"):
            return error(400, 40067, "A tag is required to create a forum post in this channel")
        tid = self.ids.new()
        thread = self._new_thread(tid, cid, body)
        if not forum:
            return json_response(thread, headers=headers)
        msg = P.message(tid, tid, self.bot, body["message"])  # starter message id == thread id
        self.messages.setdefault(tid, []).append(msg)
        self.posted.append(Posted(api, cid, tid, body))
        return json_response({**thread, "message": msg}, headers=headers)

    async def _active_threads(self, request: web.Request) -> web.Response:
        """Every unarchived thread of the guild, ordered by id, descending."""
        if request.match_info["gid"] != self.guild_id:
            return error(403, 50001, "Missing Access")
        threads = [
            c
            for c in self.channels.values()
            if c["type"] == P.PUBLIC_THREAD and not c["thread_metadata"]["archived"]
        ]
        threads.sort(key=lambda c: -int(c["id"]))
        return json_response({"threads": threads, "members": []})


def _tag_problems(ch: dict[str, Any], body: dict[str, Any]) -> list[tuple[str, str]]:
    known = {t["id"] for t in ch.get("available_tags") or []}
    tags = body.get("applied_tags") or []
    return [("applied_tags", f"Unknown tag {t}") for t in tags if str(t) not in known]


def _page(newest_first: list[dict[str, Any]], q: Any, limit: int) -> list[dict[str, Any]]:
    if "before" in q:
        return [m for m in newest_first if int(m["id"]) < int(q["before"])][:limit]
    if "after" in q:  # the `limit` oldest after the id, still returned newest first
        after = [m for m in newest_first if int(m["id"]) > int(q["after"])]
        return after[-limit:]
    if "around" in q:
        ids = [int(m["id"]) for m in newest_first]
        at = min(range(len(ids)), key=lambda i: abs(ids[i] - int(q["around"])), default=0)
        start = max(0, at - limit // 2)
        return newest_first[start : start + limit]
    return newest_first[:limit]


def _as_read(message: dict[str, Any]) -> dict[str, Any]:
    """A message as history returns it. The nonce is documented only for creating a message
    and its Message Create event, so the fake does not hand it back: nothing may rely on it."""
    return {k: v for k, v in message.items() if k != "nonce"}
