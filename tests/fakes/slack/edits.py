"""The fake Web API's chat.update and the current file-upload flow.

chat.update (https://api.slack.com/methods/chat.update): `channel` and `ts` required; the
new body is checked exactly like a post's (`invalid_blocks`, `msg_too_long`, `no_text`);
`message_not_found` when no message has that ts in that channel, `cant_update_message` when
it is not the bot's own; the stored message then shows the new text, blocks and metadata (a
message's metadata is kept when the update sends none). Tier 3: its per-minute limit is in
`rate_tiers`.

Uploads (https://api.slack.com/messaging/files#uploading_files, "the current flow"):
1. files.getUploadURLExternal (https://api.slack.com/methods/files.getUploadURLExternal):
   `filename` and `length` (bytes, > 0) required, `alt_txt` at most 1,000 characters
   (`alt_txt_too_large`); answers an `upload_url` and a `file_id`. Tier 4.
2. a POST of the file's bytes to that URL (raw or multipart form); "Slack will return HTTP
   200 if the upload is successful". The fake also requires the declared `length`.
3. files.completeUploadExternal (https://api.slack.com/methods/files.completeUploadExternal):
   `files` = [{"id", "title"}] of uploaded files; with `channel_id` (and optionally
   `thread_ts`, "never a reply's ts") the file is shared there as a message. Tier 4.
Every uploaded PNG must start with the PNG signature (the fake checks what a viewer needs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakes.slack.block_kit_rules import validate_message
from tests.fakes.slack.conversations import error

if TYPE_CHECKING:
    from tests.fakes.slack.web_api import FakeSlackWebApi

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_ALT_TEXT = 1000


@dataclass
class Upload:
    file_id: str
    filename: str
    length: int
    alt_txt: str
    data: bytes | None = None  # set when the bytes arrived
    shared_in: tuple[str, str | None] | None = None  # (channel, thread_ts) once completed
    title: str = ""


@dataclass
class EditState:
    updates: list[dict[str, Any]] = field(default_factory=list)  # accepted chat.update bodies
    uploads: dict[str, Upload] = field(default_factory=dict)
    upload_errors: list[str] = field(default_factory=list)  # why an upload step was refused


class EditMethods:
    """Mixed into `FakeSlackWebApi`, whose posted messages they edit and add to."""

    def chat_update(self: FakeSlackWebApi, args: dict) -> web.Response:
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        if not channel or not ts:
            return error("invalid_arguments")
        if channel in self.channel_errors:
            return error(self.channel_errors[channel])
        verdict = validate_message(args)
        if not verdict.ok:
            self.rejected.append(("chat.update", args, verdict))
            return error(verdict.error or "invalid_blocks", errors=verdict.details)
        with self._changed:
            found = [p for p in self.posted if p.channel == channel and p.ts == ts]
            if not found:
                return error("message_not_found")
            message = found[0]
            if message.api != "chat.postMessage":
                return error("cant_update_message")
            kept = {k: v for k, v in message.body.items() if k not in ("text", "blocks")}
            new = {k: args[k] for k in ("text", "blocks", "metadata") if k in args}
            message.body = {**kept, **new}
            self.edits.updates.append(dict(args))
            self._changed.notify_all()
        return web.json_response(
            {"ok": True, "channel": channel, "ts": ts, "text": args.get("text", "")}
        )

    def files_get_upload_url_external(self: FakeSlackWebApi, args: dict) -> web.Response:
        filename = str(args.get("filename") or "")
        try:
            length = int(args.get("length") or 0)
        except ValueError:
            length = 0
        if not filename or length <= 0:
            return error("missing_argument")
        alt = str(args.get("alt_txt") or "")
        if len(alt) > MAX_ALT_TEXT:
            return error("alt_txt_too_large")
        file_id = f"F{len(self.edits.uploads) + 1:08d}"
        self.edits.uploads[file_id] = Upload(file_id, filename, length, alt)
        url = f"{self.url}/upload/{file_id}"
        return web.json_response({"ok": True, "upload_url": url, "file_id": file_id})

    async def upload_bytes(self: FakeSlackWebApi, request: web.Request) -> web.Response:
        upload = self.edits.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="not found")
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            part = await reader.next()
            data = await part.read() if part is not None else b""  # type: ignore[union-attr]
        else:
            data = await request.read()
        if len(data) != upload.length:
            self.edits.upload_errors.append(f"{upload.file_id}: {len(data)} != {upload.length}")
            return web.Response(status=400, text="length mismatch")
        if upload.filename.endswith(".png") and not data.startswith(PNG_SIGNATURE):
            self.edits.upload_errors.append(f"{upload.file_id}: not a PNG")
            return web.Response(status=400, text="not a png")
        upload.data = data
        return web.Response(status=200, text=f"OK - {len(data)}")

    def files_complete_upload_external(self: FakeSlackWebApi, args: dict) -> web.Response:
        files = args.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not isinstance(files, list) or not files:
            return error("invalid_arguments")
        channel = str(args.get("channel_id") or "")
        thread_ts = args.get("thread_ts") or None
        if channel and (problem := self.workspace.post_problem(channel)):
            return error(problem)
        done = []
        for f in files:
            upload = self.edits.uploads.get(str(f.get("id")))
            if upload is None or upload.data is None:  # step 2 never happened
                self.edits.upload_errors.append(f"completed before upload: {f}")
                return error("file_not_found")
            if thread_ts and not any(
                p.ts == thread_ts and p.channel == channel and not p.thread_ts for p in self.posted
            ):
                return error("invalid_thread_ts")
            upload.title = str(f.get("title") or upload.filename)
            done.append(upload)
        for upload in done:
            if channel:
                upload.shared_in = (channel, thread_ts)
                body = {"text": args.get("initial_comment") or "", "files": [upload.file_id]}
                if thread_ts:
                    body["thread_ts"] = thread_ts
                self._accept("files.completeUploadExternal", channel, body)
        listed = [{"id": u.file_id, "title": u.title} for u in done]
        return web.json_response({"ok": True, "files": listed})
