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
