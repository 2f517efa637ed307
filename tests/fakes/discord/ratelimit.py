"""Discord-style rate limits: per-route buckets (per channel / per webhook) and a global limit.

https://discord.com/developers/docs/topics/rate-limits: per-route limits count per top-level
resource (a channel, a thread — itself a channel — or a webhook) and are told in the
X-RateLimit-* headers, not published ("should not be hard coded"); the global limit is 50
requests per second per bot. The per-route default here, 5 per 5 s per (route, channel), is
the fake's own choice (Discord's real counts arrive only in those headers, which discord.py
follows, as it does here).

Windows and counts are configurable so a test can trigger a 429 in milliseconds instead of
waiting seconds. Responses carry the headers discord.py reads (`X-RateLimit-*`, `Via`).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RateLimits:
    per_route: int = 5  # requests per window per (route, channel/webhook), like Discord's 5/5s
    per_route_window: float = 5.0
    global_per_window: int = 50  # Discord: 50 requests per second per bot
    global_window: float = 1.0
    send_headers: bool = True


@dataclass
class _Window:
    started: float
    count: int = 0


@dataclass
class RateLimiter:
    limits: RateLimits = field(default_factory=RateLimits)
    _windows: dict[str, _Window] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    hits: list[str] = field(default_factory=list)  # keys that answered 429

    def check(self, bucket: str) -> tuple[dict[str, str], dict[str, Any] | None]:
        """Count one request; return (headers, 429 body or None)."""
        with self._lock:
            now = time.monotonic()
            lim = self.limits
            g = self._tick("global", now, lim.global_window)
            if g.count > lim.global_per_window:
                self.hits.append("global")
                return self._limited(now, g, lim.global_window, is_global=True, bucket=bucket)
            w = self._tick(bucket, now, lim.per_route_window)
            if w.count > lim.per_route:
                self.hits.append(bucket)
                return self._limited(now, w, lim.per_route_window, is_global=False, bucket=bucket)
            reset_after = max(0.0, w.started + lim.per_route_window - now)
            headers = {
                "X-RateLimit-Limit": str(lim.per_route),
                "X-RateLimit-Remaining": str(max(0, lim.per_route - w.count)),
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": _hash(bucket),
            }
            return (headers if lim.send_headers else {}), None

    def _tick(self, key: str, now: float, window: float) -> _Window:
        w = self._windows.get(key)
        if w is None or now - w.started >= window:
            w = self._windows[key] = _Window(started=now)
        w.count += 1
        return w

    def _limited(
        self, now: float, w: _Window, window: float, *, is_global: bool, bucket: str
    ) -> tuple[dict[str, str], dict[str, Any]]:
        retry_after = round(max(0.001, w.started + window - now), 3)
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "Via": "1.1 google",
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(
                {
                    "X-RateLimit-Limit": str(self.limits.per_route),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Bucket": _hash(bucket),
                }
            )
        body = {"message": "You are being rate limited.", "retry_after": retry_after}
        body["global"] = is_global
        return headers, body


def _hash(bucket: str) -> str:
    route = bucket.split(":", 1)[0]
    return hashlib.sha1(route.encode()).hexdigest()[:16]
