"""The maps stay true: README's layout and docs/architecture.md name every package and top-level
module of the tree, and nothing that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree_names() -> set[str]:
    """bot/'s subpackages and top-level modules, as the docs spell them (`daily/`, `core.py`)."""
    names = {f"{p.name}/" for p in (ROOT / "bot").iterdir() if (p / "__init__.py").exists()}
    names |= {p.name for p in (ROOT / "bot").glob("*.py") if not p.name.startswith("__")}
    return names


def _layout_block(text: str) -> str:
    return text.split("## Layout", 1)[1].split("```", 2)[1]


def test_readme_layout_names_every_part_of_bot_and_nothing_else() -> None:
    block = _layout_block((ROOT / "README.md").read_text(encoding="utf-8"))
    block = block.split("\nadapters/", 1)[0]  # the bot/ part of the tree
    named = set(re.findall(r"\b([a-z_]+/|[a-z_]+\.py)", block))
    bot_named = {
        n for n in named if n not in {"bot/", "adapters/", "storage/", "tests/", "bench/", "docs/"}
    }
    assert bot_named == _tree_names()


def test_architecture_page_names_every_module_it_should_and_only_real_paths() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name in _tree_names():
        assert name in text, name
    for path in set(re.findall(r"`((?:bot|adapters|storage|tests)/[\w/]+(?:\.py)?)", text)):
        assert (ROOT / path).exists(), path
