"""`paperbot import`: load saved `daily_papers` responses, one file per day, named by date.

Every good file is imported; every bad one is named with its reason. Re-importing is an upsert,
so counts never change the second time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from storage import papers as paper_store

_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class ImportReport:
    files: int = 0
    papers: int = 0
    warnings: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to import (directories give their *.json, sorted) and the paths that don't exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(q for q in p.iterdir() if q.suffix == ".json" and q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            missing.append((str(p), "no such file or directory"))
    return files, missing


def import_file(db: sqlite_utils.Database, path: Path) -> tuple[int, list[str]]:
    """Import one day file; raise ValueError with the reason it cannot be used."""
    from datetime import date

    from bot.sources.errors import MalformedResponse
    from bot.sources.hf_parse import parse_daily_papers

    m = _DAY.search(path.name)
    if not m:
        raise ValueError("file name has no date (expected e.g. 2025-10-01.json)")
    try:
        day = date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        raise ValueError(f"'{m.group(1)}' in the file name is not a real date") from None
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg} at line {e.lineno})") from None
    except OSError as e:
        raise ValueError(f"cannot read: {e.strerror}") from None
    try:
        parsed = parse_daily_papers(data)
    except MalformedResponse as e:
        raise ValueError(str(e)) from None
    n = paper_store.upsert_day(db, day, list(parsed.papers))
    return n, [f"{path.name}: {w}" for w in parsed.warnings]


def import_paths(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    files, missing = expand_paths(paths)
    report = ImportReport(rejected=list(missing))
    for f in files:
        try:
            n, warnings = import_file(db, f)
        except ValueError as e:
            report.rejected.append((str(f), str(e)))
        else:
            report.files += 1
            report.papers += n
            report.warnings.extend(warnings)
        if progress:
            progress(f)
    return report
