"""What paperbot's HTTP endpoint lets through to Bolt: signed, fresh, once, and shaped like Slack.

Slack signs each request: `X-Slack-Signature` is `v0=` + HMAC-SHA256 of
`v0:{X-Slack-Request-Timestamp}:{body}` with the app's signing secret, and a timestamp more
than five minutes from now is to be refused (https://api.slack.com/authentication/verifying-requests-from-slack).
Bolt checks that too, but (through slack_sdk's `SignatureVerifier`) it raises on a timestamp
that is not a number — a 500 and a traceback for anyone who sends `abc` — or on a body that is
not UTF-8, and a captured request stays valid for those five minutes. So before Bolt sees
anything:

- the timestamp must be digits and the signature must verify, else 401;
- a signature seen before (a replay, within its five minutes) is acknowledged and dropped;
- the body must be UTF-8 `application/x-www-form-urlencoded` holding a slash command
  (`command=/…`, https://api.slack.com/interactivity/slash-commands), an interaction
  (`payload=` a JSON object, https://api.slack.com/interactivity/handling) or Slack's
  `ssl_check=1`, else 400;
- a command already handled (by its `trigger_id`, unique per invocation) is acknowledged
  without running it again: that is Slack re-sending it (`X-Slack-Retry-Num`,
  https://api.slack.com/apis/connections/events-api#retries) after a slow answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

log = logging.getLogger(__name__)

TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE_WINDOW = 5 * 60  # Slack's: older timestamps are refused anyway
HANDLED_WINDOW = 30 * 60  # as long as a command's response_url lives
MAX_REMEMBERED = 10_000
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class Verdict:
    status: int | None  # None: hand the request to Bolt; else answer with this status
    why: str


PASS = Verdict(None, "passed")


def body_kind(body: bytes, content_type: str) -> tuple[str | None, dict[str, list[str]]]:
    """("command" | "interaction" | "ssl_check" | None, the parsed form)."""
    if content_type.split(";", 1)[0].strip().lower() != FORM:
        return None, {}
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return None, {}
    if form.get("ssl_check") == ["1"]:
        return "ssl_check", form
    if form.get("command", [""])[0].startswith("/"):
        return "command", form
    try:
        payload = json.loads(form.get("payload", [""])[0])
    except ValueError:
        return None, form
    return ("interaction" if isinstance(payload, dict) else None), form


@dataclass
class RequestGuard:
    signing_secret: str
    clock: Callable[[], float] = time.time  # Unix seconds, the clock signatures are dated by
    counts: Counter[str] = field(default_factory=Counter)
    _signatures: OrderedDict[str, float] = field(default_factory=OrderedDict)
    _handled: OrderedDict[str, float] = field(default_factory=OrderedDict)

    def check(self, body: bytes, headers: Mapping[str, str]) -> Verdict:
        verdict = self._verdict(body, headers)
        self.counts[verdict.why] += 1
        if verdict.status is not None and verdict.status >= 400:
            log.info("slack: refused a request (%s, HTTP %s)", verdict.why, verdict.status)
        return verdict

    def _verdict(self, body: bytes, headers: Mapping[str, str]) -> Verdict:
        kind, form = body_kind(body, headers.get("Content-Type", ""))
        if kind == "ssl_check":  # Slack checking the certificate: nothing runs
            return Verdict(200, "ssl_check")
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not TIMESTAMP.fullmatch(timestamp) or not self._valid(body, timestamp, signature):
            return Verdict(401, "bad_signature")
        now = self.clock()
        self._forget(now)
        if signature in self._signatures:
            return Verdict(200, "replay")
        self._remember(self._signatures, signature, float(timestamp))
        if kind is None:
            return Verdict(400, "not_a_slack_request")
        if kind == "command":
            key = form.get("trigger_id", [""])[0] or hashlib.sha256(body).hexdigest()
            if key in self._handled:
                return Verdict(200, "retry")
            self._remember(self._handled, key, now)
        return PASS

    def _valid(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature over the raw bytes (slack_sdk's verifier decodes them first,
        and raises on bytes that are not UTF-8)."""
        if abs(self.clock() - int(timestamp)) > SIGNATURE_WINDOW:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={digest}", signature)

    def _forget(self, now: float) -> None:
        for seen, window in ((self._signatures, SIGNATURE_WINDOW), (self._handled, HANDLED_WINDOW)):
            while seen and now - next(iter(seen.values())) > window:
                seen.popitem(last=False)

    @staticmethod
    def _remember(seen: OrderedDict[str, float], key: str, at: float) -> None:
        seen[key] = at
        while len(seen) > MAX_REMEMBERED:
            seen.popitem(last=False)
