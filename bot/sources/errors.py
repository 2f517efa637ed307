"""Errors a source raises: each carries one line a user can act on, never a traceback."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be used: "could not reach Hugging Face at http://…: connection refused".

    `status` is the HTTP status when the server answered, so callers can tell "not found" apart.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class MalformedResponse(SourceError):
    """The server answered, but not with something we can read (bad JSON/XML, wrong shape)."""


class Unreachable(SourceError):
    """Nothing answered at all: the host name does not resolve or the port refuses connections.

    Not retried (a retry cannot fix an unplugged network, it only makes someone wait), and
    worded by the command layer as "Hugging Face is unreachable" from `source` and `reason`.
    """

    def __init__(self, source: str, shown_url: str, reason: str) -> None:
        super().__init__(f"could not reach {source} at {shown_url}: {reason}")
        self.source = source
        self.reason = reason
