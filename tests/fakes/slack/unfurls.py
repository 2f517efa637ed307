"""The fake Web API's chat.unfurl, and the user messages whose links can be unfurled.

Slack app unfurling (https://api.slack.com/reference/messaging/link-unfurling): a user posts a
message with a URL on one of the app's `unfurl_domains`; Slack sends `link_shared` (the
message's `channel` and `message_ts`, and its `links`, https://api.slack.com/events/link_shared);
the app answers with chat.unfurl (https://api.slack.com/methods/chat.unfurl): `channel` and
`ts` together (or `unfurl_id` and `source`), and `unfurls`, a JSON map from URLs "featured in
the message" to their unfurl — here `{"blocks": [...]}`, checked like a post's blocks. A URL
that is not in the message answers `cannot_unfurl_url`, a message that is not there
`cannot_find_message`, no unfurls `missing_unfurls`, a non-map `invalid_unfurls_format` (codes
of the method's error list); needs the `links:write` scope (`missing_scope` otherwise). Tier 3.
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


@dataclass
class UnfurlState:
    shared: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (channel, ts) → urls
    unfurled: list[dict[str, Any]] = field(default_factory=list)  # accepted chat.unfurl args


class UnfurlMethods:
    """Mixed into FakeSlackWebApi."""

    def share_links(self: FakeSlackWebApi, channel: str, urls: list[str]) -> str:
        """A user's message in `channel` containing `urls`; returns its ts (for link_shared)."""
        ts = self._next_ts()
        self.unfurls.shared[(channel, ts)] = list(urls)
        return ts

    def chat_unfurl(self: FakeSlackWebApi, args: dict[str, Any]) -> web.Response:
        if "links:write" not in (self.scopes or []):
            return error("missing_scope", needed="links:write")
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        if not (channel and ts) and not (args.get("unfurl_id") and args.get("source")):
            return error("invalid_arguments")
        urls = self.unfurls.shared.get((channel, ts))
        if urls is None:
            return error("cannot_find_message")
        unfurls = args.get("unfurls")
        if isinstance(unfurls, str):  # a form post sends the map as a JSON string
            try:
                unfurls = json.loads(unfurls)
            except ValueError:
                return error("invalid_unfurls_format")
        if unfurls is None or unfurls == {}:
            return error("missing_unfurls")
        if not isinstance(unfurls, dict):
            return error("invalid_unfurls_format")
        for url, unfurl in unfurls.items():
            if url not in urls:
                return error("cannot_unfurl_url")
            verdict = validate_message({"blocks": (unfurl or {}).get("blocks")})
            if not verdict.ok:
                self.rejected.append(("chat.unfurl", unfurl, verdict))
                return error(verdict.error or "invalid_blocks", errors=verdict.details)
        self.unfurls.unfurled.append({"channel": channel, "ts": ts, "unfurls": unfurls})
        return web.json_response({"ok": True})
