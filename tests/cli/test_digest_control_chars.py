"""`paperbot digest` prints nothing a terminal would obey (issue #9, item 6).

`--format text` strips control characters (keeping line breaks); the JSON formats write them as
`\\uXXXX` escapes, which is the same JSON value, so the bodies stay exactly what is posted. The
paper was stored before the parser cleaned its input (the database is written directly).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import paperbot
from tests.support.hostile import CONTROL, DAY, STORED_TITLE, db_with_control_characters


def _digest(tmp_path: Path, fmt: str):
    db = db_with_control_characters(tmp_path / "old.db")
    return paperbot("--db", str(db), "digest", "--date", DAY, "--format", fmt)


def test_digest_text_prints_no_control_characters(tmp_path: Path) -> None:
    out = _digest(tmp_path, "text")
    assert out.returncode == 0, out.stderr
    assert "Clean" in out.stdout and "title" in out.stdout and "\n" in out.stdout
    assert not CONTROL.search(out.stdout), repr(out.stdout)


@pytest.mark.parametrize("fmt", ["json", "slack", "discord"])
def test_digest_json_escapes_control_characters_and_keeps_the_value(
    tmp_path: Path, fmt: str
) -> None:
    out = _digest(tmp_path, fmt)
    assert out.returncode == 0, out.stderr
    assert not CONTROL.search(out.stdout), repr(out.stdout)
    assert "\\u001b" in out.stdout or fmt != "json"  # escaped, not lost
    data = json.loads(out.stdout)
    if fmt == "json":
        assert data["papers"][0]["title"] == STORED_TITLE
