"""The `response_url` a slash command carries, with Slack's limits on it.

https://api.slack.com/interactivity/handling#message_responses: "you can use a response_url up
to 5 times within 30 minutes of receiving it". Slack does not document the answer to a sixth
use or a late one; the fake answers HTTP 404 `expired_url`, which the SDK reports as a failed
send like any other non-200 answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_USES = 5
LIFETIME_SECONDS = 30 * 60
EXPIRED = "expired_url"


@dataclass
class IssuedUrl:
    name: str  # what the test calls it; accepted messages are filed under this name
    issued_at: float
    uses: int = 0


@dataclass
class ResponseUrls:
    issued: dict[str, IssuedUrl] = field(default_factory=dict)

    def issue(self, name: str, now: float) -> str:
        """A fresh token for `name`: each slash command gets its own five uses."""
        token = f"{name}.{len(self.issued) + 1}"
        self.issued[token] = IssuedUrl(name, now)
        return token

    def use(self, token: str, now: float) -> tuple[str | None, str | None]:
        """(name, None) when this use is allowed, else (None, the error)."""
        url = self.issued.get(token)
        if url is None:
            return None, "invalid_url"
        if url.uses >= MAX_USES or now - url.issued_at > LIFETIME_SECONDS:
            return None, EXPIRED
        url.uses += 1
        return url.name, None
