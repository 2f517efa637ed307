"""Editing messages and sending files in the Discord fake.

Edit Message (https://discord.com/developers/docs/resources/message#edit-message):
`PATCH /channels/{channel.id}/messages/{message.id}`; "only edit messages that have been sent
by the current user" (else 50005 Cannot edit a message authored by another user); an
unknown message is 404 10008 Unknown Message; the fields are content, embeds, flags,
allowed_mentions, components, attachments — each replacing what the message had, the others
kept; the body is held to the same limits as a new message, and the stored message gets an
`edited_timestamp`. The JSON body is checked against the OpenAPI spec by the fake's middleware.
Rate limits are per route and its major parameter, the channel
(https://discord.com/developers/docs/topics/rate-limits): an edit's bucket is its own
route's in that channel, and the global limit counts it like any request.

Files (https://discord.com/developers/docs/reference#uploading-files): a message with files
is `multipart/form-data` — `payload_json` holds the JSON body, each file is a part named
`files[n]`, and `attachments[]` in the payload describes them by `id` n (`filename`,
`description`: the alt text, at most 1,024 characters, per the attachment object,
https://discord.com/developers/docs/resources/message#attachment-object). An embed shows an
uploaded image through `attachment://<filename>`. The fake also checks a `.png` is a PNG.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from aiohttp import web

from tests.fakes.discord import openapi
from tests.fakes.discord.responses import error, invalid_form, json_response
from tests.fakes.discord.validate import message_problems

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALT_TEXT_MAX = 1024
EDITABLE = ("content", "embeds", "flags", "allowed_mentions", "components", "attachments")
EDITED_AT = "2025-10-01T12:00:00.000000+00:00"


class EditRoutes:
    """Mixed into FakeDiscord; uses its channels, messages, limiter and records."""

    def init_edits(self) -> None:
        self.edits: list[tuple[str, str, dict[str, Any]]] = []  # (channel, message, body)
        self.files: list[dict[str, Any]] = []  # every uploaded file: name, bytes, alt text

    def add_edit_routes(self, r: web.UrlDispatcher, api: str) -> None:
        r.add_patch(f"{api}/channels/{{cid}}/messages/{{mid}}", self._edit_message)

    async def _edit_message(self, request: web.Request) -> web.Response:
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        if cid not in self.channels:
            return error(404, 10003, "Unknown Channel")
        headers, limited = self._limited(f"PATCH /channels/{{id}}/messages/{{id}}:{cid}")
        if limited:
            return limited
        found = [m for m in self.messages.get(cid, []) if m["id"] == mid]
        if not found:
            return error(404, 10008, "Unknown Message")
        msg = found[0]
        if msg["author"]["id"] != self.bot["id"]:
            return error(403, 50005, "Cannot edit a message authored by another user")
        body = await request.json()
        merged = {k: body.get(k, msg.get(k)) for k in ("content", "embeds", "components")}
        problems = message_problems({k: v for k, v in merged.items() if v})
        if problems:
            self.rejected.append(
                ("PATCH /channels/{id}/messages/{id}", {"problems": problems}, body)
            )
            return invalid_form(problems)
        msg.update({k: body[k] for k in EDITABLE if k in body})
        msg["edited_timestamp"] = EDITED_AT
        self.edits.append((cid, mid, body))
        return json_response(msg, headers=headers)

    async def read_files(
        self, request: web.Request
    ) -> tuple[dict[str, Any], list[dict[str, Any]]] | web.Response:
        """A multipart message: its payload_json and files, or the error Discord answers."""
        raw = await request.read()  # already read by the spec middleware, so parse the bytes
        head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
        form = BytesParser(policy=HTTP).parsebytes(head + raw)
        payload: dict[str, Any] | None = None
        files: dict[str, dict[str, Any]] = {}
        for part in form.iter_parts():
            name = part.get_param("name", header="content-disposition") or ""
            data = part.get_payload(decode=True) or b""
            if name == "payload_json":
                payload = json.loads(data)
            elif name.startswith("files["):
                filename = part.get_filename() or ""
                files[name[len("files[") : -1]] = {"filename": filename, "data": bytes(data)}
        if payload is None:
            return invalid_form([("payload_json", "This field is required")])
        problems = [
            ("", p) for p in openapi.body_problems("POST", request.path[len("/api/v10") :], payload)
        ]
        for att in payload.get("attachments") or []:
            f = files.get(str(att.get("id")))
            if f is None:
                problems.append(("attachments", f"no file part files[{att.get('id')}]"))
                continue
            f["alt"] = att.get("description") or ""
            if len(f["alt"]) > ALT_TEXT_MAX:
                problems.append(
                    ("attachments.description", f"Must be {ALT_TEXT_MAX} or fewer in length.")
                )
            if str(att.get("filename") or f["filename"]).endswith(".png") and not f[
                "data"
            ].startswith(PNG_SIGNATURE):
                problems.append(("files", "not a PNG"))
        if problems:
            self.rejected.append(("multipart", {"problems": problems}, payload))
            return invalid_form(problems)
        return payload, list(files.values())

    def attachment_json(self, f: dict[str, Any]) -> dict[str, Any]:
        """The attachment object Discord returns for an uploaded file."""
        return {
            "id": self.ids.new(),
            "filename": f["filename"],
            "description": f.get("alt") or None,
            "size": len(f["data"]),
            "url": f"https://cdn.discordapp.com/attachments/{f['filename']}",
            "proxy_url": f"https://media.discordapp.net/attachments/{f['filename']}",
            "content_type": "image/png" if f["filename"].endswith(".png") else None,
        }
