"""Slack's per-method Web API rate-limit tiers, as the fake enforces them.

https://api.slack.com/apis/rate-limits: limits apply "per API method per app per workspace",
in per-minute windows — Tier 3 allows 50+ requests a minute, Tier 4 100+. Over the limit Slack
answers HTTP 429 with `{"ok": false, "error": "ratelimited"}` and a `Retry-After` header in
seconds. Each method's tier is on its reference page (the "Facts" box):
conversations.history, .replies, .open and .join are Tier 3
(https://api.slack.com/methods/conversations.history and siblings); users.info is Tier 4
(https://api.slack.com/methods/users.info); chat.update is Tier 3
(https://api.slack.com/methods/chat.update), files.getUploadURLExternal and
files.completeUploadExternal Tier 4 (https://api.slack.com/methods/files.getUploadURLExternal,
https://api.slack.com/methods/files.completeUploadExternal). chat.postMessage has its own
per-channel rule (`FakeSlackWebApi.min_interval`).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0
TIER_3 = 50
TIER_4 = 100
LIMITS = {
    "conversations.history": TIER_3,
    "conversations.replies": TIER_3,
    "conversations.open": TIER_3,
    "conversations.join": TIER_3,
    "users.info": TIER_4,
    "chat.update": TIER_3,
    "chat.unfurl": TIER_3,  # https://api.slack.com/methods/chat.unfurl
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
}


@dataclass
class TierLimiter:
    limits: dict[str, int] = field(default_factory=lambda: dict(LIMITS))
    _calls: dict[str, deque[float]] = field(default_factory=dict)

    def hit(self, method: str, now: float) -> int | None:
        """Count one call; the Retry-After seconds when it is over its tier's limit."""
        limit = self.limits.get(method)
        if limit is None:
            return None
        calls = self._calls.setdefault(method, deque())
        while calls and now - calls[0] >= WINDOW_SECONDS:
            calls.popleft()
        if len(calls) >= limit:
            return max(1, math.ceil(WINDOW_SECONDS - (now - calls[0])))
        calls.append(now)
        return None
