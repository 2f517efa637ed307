"""SQL spelling shared by every query: LIKE escaping and the placeholders of an IN list."""

from __future__ import annotations

from collections.abc import Sized


def like_escape(text: str) -> str:
    """`text` with `\\`, `%` and `_` escaped, for `LIKE ? ESCAPE '\\'`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def placeholders(values: Sized) -> str:
    """`?, ?, ?` for an `IN (…)` list of `len(values)` parameters."""
    return ", ".join("?" for _ in range(len(values)))
