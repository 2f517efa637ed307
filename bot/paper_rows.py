"""Turning a `papers` row (JSON list columns) back into a `Paper`."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from bot.model import Paper

_PAPER_FIELDS = {f.name for f in fields(Paper)}
_LISTS = ("authors", "ai_keywords", "categories")


def row_to_paper(row: dict[str, Any]) -> Paper:
    data = {k: v for k, v in row.items() if k in _PAPER_FIELDS}
    for k in _LISTS:
        raw = data.get(k)
        data[k] = tuple(json.loads(raw)) if raw else ()
    data["abstract"] = data.get("abstract") or ""
    return Paper(**data)
