"""The one error a user's query can raise."""

from __future__ import annotations


class QueryError(ValueError):
    """A bad topic query. `str(err)` is one line for the user: what is wrong, and an example."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
