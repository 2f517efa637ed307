"""The fake Web API's conversations.* methods: reading channels and threads back, DMs, joining.

Reads follow Slack's cursor pagination (https://api.slack.com/docs/pagination): a page holds
at most `limit` items — and "fewer than the requested number of items may be returned, even
if the end of the list hasn't been reached", which `page_cap` imitates — and
`response_metadata.next_cursor` is an opaque string, empty on the last page. History is
newest first, default 100 and at most 999 a page
(https://api.slack.com/methods/conversations.history); a thread is its parent then the
replies oldest first, default and at most 1000 a page
(https://api.slack.com/methods/conversations.replies), `thread_not_found` when there is no
such parent. Message metadata is only included with `include_all_metadata`
(https://api.slack.com/metadata/retrieving).

A file shared into a thread (files.completeUploadExternal with `thread_ts`) is one of its
replies: a message of subtype `file_share` whose `files` array holds the file object (`id`,
`name`, `title`, `mimetype`, `user`), with `upload: true`
(https://docs.slack.dev/reference/events/message/file_share; the message type's fields:
https://docs.slack.dev/tools/node-slack-sdk/reference/types/interfaces/FileShareMessageEvent).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakes.slack.web_api import FakeSlackWebApi, Posted

HISTORY_DEFAULT, HISTORY_MAX = 100, 999
REPLIES_DEFAULT, REPLIES_MAX = 1000, 1000


def flag(value: Any) -> bool:
    """Slack booleans arrive as "true"/"1" (query or form) or JSON true."""
    return str(value).lower() in ("1", "true")


def error(code: str, **extra: Any) -> web.Response:
    return web.json_response({"ok": False, "error": code, **extra})


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int | None:
    if not cursor:
        return 0
    try:
        kind, _, n = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        return int(n) if kind == "offset" else None
    except ValueError:
        return None


class ConversationMethods:
    """Mixed into `FakeSlackWebApi`, whose state (posted messages, workspace) they read."""

    def _read_refusal(self: FakeSlackWebApi, channel: str) -> web.Response | None:
        """Why the bot may not read a channel: injected errors first (`read_errors`, e.g.
        missing_scope; `channel_errors`), then the workspace's membership rules."""
        injected = self.read_errors.get(channel) or self.channel_errors.get(channel)
        if injected:
            return error(injected)
        problem = self.workspace.read_problem(channel)
        return error(problem) if problem else None

    def _message_json(self: FakeSlackWebApi, p: Posted, args: dict) -> dict[str, Any]:
        m: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "ts": p.ts,
            "text": p.body.get("text", ""),
        }
        if p.thread_ts:
            m["thread_ts"] = p.thread_ts
        if flag(args.get("include_all_metadata")) and "metadata" in p.body:
            m["metadata"] = p.body["metadata"]
        if p.api == "files.completeUploadExternal":
            m.update(subtype="file_share", upload=True, files=self._file_objects(p))
        return m

    def _file_objects(self: FakeSlackWebApi, p: Posted) -> list[dict[str, Any]]:
        out = []
        for file_id in p.body.get("files", []):
            u = self.edits.uploads[file_id]
            mimetype = "image/png" if u.filename.endswith(".png") else "application/octet-stream"
            f = {"id": u.file_id, "name": u.filename, "title": u.title, "mimetype": mimetype}
            out.append(dict(f, user=self.bot_user_id, size=u.length))
        return out

    def _page(
        self: FakeSlackWebApi, items: list[dict], args: dict, default: int, most: int
    ) -> web.Response:
        start = _offset(str(args.get("cursor") or ""))
        if start is None:
            return error("invalid_cursor")
        size = min(int(args.get("limit") or default), most, self.page_cap or most)
        more = start + size < len(items)
        return web.json_response(
            {
                "ok": True,
                "messages": items[start : start + size],
                "has_more": more,
                "response_metadata": {"next_cursor": _cursor(start + size) if more else ""},
            }
        )

    def conversations_replies(self: FakeSlackWebApi, args: dict) -> web.Response:
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        refused = self._read_refusal(channel)
        if refused is not None:
            return refused
        posted = self.messages("chat.postMessage", channel)
        parent = [p for p in posted if p.ts == ts]
        if not parent:
            return error("thread_not_found")
        shared = self.messages("files.completeUploadExternal", channel)
        replies = sorted(
            (p for p in posted + shared if p.thread_ts == ts), key=lambda p: float(p.ts)
        )
        thread = parent + replies
        out = [dict(self._message_json(p, args), thread_ts=ts) for p in thread]
        return self._page(out, args, REPLIES_DEFAULT, REPLIES_MAX)

    def conversations_history(self: FakeSlackWebApi, args: dict) -> web.Response:
        channel = str(args.get("channel", ""))
        refused = self._read_refusal(channel)
        if refused is not None:
            return refused
        posted = self.messages("chat.postMessage", channel)
        replied = {p.thread_ts for p in posted if p.thread_ts}
        out = []
        for p in reversed(posted):
            if p.thread_ts:
                continue
            m = self._message_json(p, args)
            if p.ts in replied:
                m["thread_ts"] = p.ts  # a thread parent, as Slack shows it
            out.append(m)
        return self._page(out, args, HISTORY_DEFAULT, HISTORY_MAX)

    def conversations_info(self: FakeSlackWebApi, args: dict) -> web.Response:
        """https://api.slack.com/methods/conversations.info: `channel_not_found` for a channel
        the bot cannot see (a private one it is not in); `is_member` says whether it is in."""
        channel = str(args.get("channel", ""))
        if channel in self.channel_errors:
            return error(self.channel_errors[channel])
        conv = self.workspace.visible(channel)
        if conv is None:
            return error("channel_not_found")
        return web.json_response({"ok": True, "channel": self.workspace.channel_json(conv)})

    def conversations_open(self: FakeSlackWebApi, args: dict) -> web.Response:
        users = str(args.get("users", ""))
        if not users or "," in users:
            return error("invalid_arguments")
        if users not in self.users:
            return error("user_not_found")
        if self.users[users]["is_bot"]:  # https://api.slack.com/methods/conversations.open#errors
            return error("cannot_dm_bot")
        return web.json_response({"ok": True, "channel": {"id": self.workspace.open_dm(users).id}})

    def conversations_join(self: FakeSlackWebApi, args: dict) -> web.Response:
        channel = str(args.get("channel", ""))
        if channel in self.channel_errors:
            return error(self.channel_errors[channel])
        problem, warning = self.workspace.join(channel)
        if problem:
            return error(problem)
        conv = self.workspace.conversations[channel]
        body: dict[str, Any] = {"ok": True, "channel": self.workspace.channel_json(conv)}
        if warning:
            body |= {"warning": warning, "response_metadata": {"warnings": [warning]}}
        return web.json_response(body)
