"""One retrying GET over httpx, shared by every source.

Why one wrapper: rate limits (`Retry-After`, IETF `RateLimit`), backoff and "give up with one
clear line" are the same for Hugging Face and arXiv, and all waiting goes through the injected
clock so tests exercise real retries without ever sleeping.
"""

from __future__ import annotations

import logging
import random
import re
import socket
import ssl
from collections.abc import Awaitable, Callable, Collection, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from bot.clock import Clock
from bot.sources.errors import SourceError, Unreachable

log = logging.getLogger(__name__)


# Transport failures no retry can fix: the machine is offline or the service is not there.
# A timeout or a reset connection may be a hiccup and is retried; these answer at once.
_HOPELESS = frozenset({"connection refused", "host name not found"})


class RetryingClient:
    """GET with retries on 429, 5xx, timeouts and dropped connections; other 4xx fail at once,
    and so does a host that does not resolve or refuses the connection (`Unreachable`).

    `max_retries` counts retries after the first attempt. Backoff doubles from `base_delay` up to
    `max_delay`, plus up to `jitter` (a fraction) drawn from `rng` (seed it in tests). A server
    asking us to wait longer than `max_wait` is not waited for: that is reported instead.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        clock: Clock,
        max_retries: int = 4,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        source_name: str = "the paper source",
        *,
        jitter: float = 0.1,
        rng: random.Random | None = None,
        max_wait: float = 900.0,
    ) -> None:
        self.client = client
        self.clock = clock
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.source_name = source_name
        self.jitter = jitter
        self.rng = rng or random.Random()
        self.max_wait = max_wait
        self._resume_at = 0.0  # monotonic time before which no request may start

    async def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        allow_status: Collection[int] = (),
        before_attempt: Callable[[], Awaitable[None]] | None = None,
    ) -> httpx.Response:
        """The response of the first successful attempt (2xx/3xx, or a status in `allow_status`).

        `before_attempt` runs before every attempt, retries included (arXiv uses it for pacing).
        """
        try:
            shown = _abbreviated(str(httpx.URL(url, params=params or {})))
        except httpx.InvalidURL as exc:
            raise SourceError(f"{self.source_name} URL {url!r} is not usable: {exc}") from None
        for attempt in range(1, self.max_retries + 2):
            await self._wait_until_allowed()
            if before_attempt is not None:
                await before_attempt()
            outcome = await self._attempt(url, params, shown)
            if isinstance(outcome, httpx.Response):
                status = outcome.status_code
                if status < 400 or status in allow_status:
                    return outcome
                failure = f"HTTP {status} {outcome.reason_phrase}".rstrip()
                if status != 429 and status < 500:
                    raise SourceError(
                        f"{self.source_name} at {shown} answered {failure}", status=status
                    )
                delay = self._server_delay(outcome)
            else:
                failure, delay = outcome, None
            if attempt > self.max_retries:
                break
            self._schedule_retry(attempt, delay, failure, shown)
        raise self._gave_up(failure, shown)

    async def _attempt(
        self, url: str, params: Mapping[str, Any] | None, shown: str
    ) -> httpx.Response | str:
        """One request: the response, or why a retry might help ("timed out", …)."""
        try:
            response = await self.client.get(url, params=params)
        except httpx.TimeoutException:
            return "timed out"
        except httpx.UnsupportedProtocol as exc:
            raise SourceError(f"{self.source_name} URL {shown} is not usable: {exc}") from None
        except httpx.TransportError as exc:
            reason = _transport_reason(exc)
            if reason in _HOPELESS:
                raise Unreachable(self.source_name, shown, reason) from None
            return reason
        except httpx.RequestError as exc:  # bad encoding, redirect loop: retrying will not help
            raise SourceError(f"{self.source_name} at {shown} failed: {exc}") from None
        self._note_rate_limit(response.headers)
        return response

    # --- waiting -------------------------------------------------------------------------
    async def _wait_until_allowed(self) -> None:
        wait = self._resume_at - self.clock.monotonic()
        if wait > 0:
            await self.clock.sleep(wait)

    def _schedule_retry(self, attempt: int, delay: float | None, failure: str, shown: str) -> None:
        if delay is not None and delay > self.max_wait:
            raise SourceError(
                f"{self.source_name} is rate limiting us ({failure}) and asks to wait"
                f" {delay:.0f} s before retrying {shown}; try again later"
            )
        if delay is None:
            delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
            delay *= 1 + self.jitter * self.rng.random()
        log.info(
            "%s: %s; retry %d in %.1f s (%s)", self.source_name, failure, attempt, delay, shown
        )
        self._resume_at = max(self._resume_at, self.clock.monotonic() + delay)

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        """When the quota is used up, hold every later request until the window resets."""
        remaining, reset = parse_rate_limit(headers)
        if remaining == 0 and reset is not None and reset > 0:
            if reset > self.max_wait:
                reset = self.max_wait
            self._resume_at = max(self._resume_at, self.clock.monotonic() + reset)

    def _server_delay(self, response: httpx.Response) -> float | None:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.clock)
        if retry_after is not None:
            return retry_after
        _, reset = parse_rate_limit(response.headers)
        return reset if response.status_code == 429 and reset is not None else None

    def _gave_up(self, failure: str, shown: str) -> SourceError:
        attempts = self.max_retries + 1
        if failure.startswith("HTTP "):
            return SourceError(
                f"{self.source_name} at {shown} kept failing ({failure}) after {attempts} attempts"
            )
        return SourceError(
            f"could not reach {self.source_name} at {shown}: {failure} (after {attempts} attempts)"
        )


def _abbreviated(url: str, limit: int = 160) -> str:
    """A URL for a one-line message: a long query (100 arXiv ids) is cut with "…"."""
    return url if len(url) <= limit else url[: limit - 1] + "…"


def parse_retry_after(value: str | None, clock: Clock) -> float | None:
    """`Retry-After` as seconds from now: either delta-seconds or an HTTP-date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - clock.now()).total_seconds())


_RATELIMIT_PARAM_RE = re.compile(r"\b(r|t|remaining|reset)\s*=\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


def parse_rate_limit(headers: Mapping[str, str]) -> tuple[int | None, float | None]:
    """(remaining, seconds until reset) from the IETF RateLimit headers, any draft.

    Accepts the structured `RateLimit: "api";r=0;t=42` (draft 9, what Hugging Face sends), the
    older `RateLimit: limit=500, remaining=0, reset=42`, and separate `RateLimit-Remaining` /
    `RateLimit-Reset` fields.
    """
    remaining: int | None = None
    reset: float | None = None
    combined = headers.get("RateLimit")
    if combined:
        for key, number in _RATELIMIT_PARAM_RE.findall(combined):
            if key.lower() in ("r", "remaining") and remaining is None:
                remaining = int(float(number))
            elif key.lower() in ("t", "reset") and reset is None:
                reset = float(number)
    if remaining is None:
        remaining = _number(headers.get("RateLimit-Remaining"), int)
    if reset is None:
        reset = _number(headers.get("RateLimit-Reset"), float)
    return remaining, reset


def _number(value: str | None, kind: Callable[[float], Any]) -> Any:
    try:
        return kind(float(value)) if value is not None else None
    except ValueError:
        return None


def _transport_reason(exc: httpx.TransportError) -> str:
    """A few words for why the connection failed; the real cause hides deep in httpx's chain."""
    cause: BaseException | None = exc
    for _ in range(10):
        if cause is None:
            break
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host name not found"
        if isinstance(cause, ConnectionResetError):
            return "connection reset"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error ({cause.reason or cause})"
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return (str(exc) or type(exc).__name__).splitlines()[0]
