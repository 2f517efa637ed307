"""SPEC §2: dependencies point one way — adapters → bot → storage."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_SDKS = {"discord", "slack_bolt", "slack_sdk"}
COMPOSITION_ROOT = {"bot/cli.py", "bot/__main__.py"}  # SPEC §2: the one place adapters are wired


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_core_imports_no_platform_sdk_and_no_adapter() -> None:
    offenders = []
    for f in files("bot"):
        rel = f.relative_to(ROOT).as_posix()
        bad = imported_modules(f) & (PLATFORM_SDKS | {"adapters"})
        if bad and rel not in COMPOSITION_ROOT:
            offenders.append((rel, sorted(bad)))
    assert offenders == []


def test_composition_root_imports_adapters_only_lazily() -> None:
    for rel in COMPOSITION_ROOT:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, ast.ImportFrom | ast.Import):
                mods = (
                    [node.module]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                )
                for m in mods:
                    assert not (m or "").startswith(("adapters", *PLATFORM_SDKS)), (rel, m)


def test_storage_imports_neither_bot_nor_adapters() -> None:
    for f in files("storage"):
        assert not imported_modules(f) & {"bot", "adapters", *PLATFORM_SDKS}, f


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from slack_sdk import WebClient\n")
    assert "slack_sdk" in imported_modules(bad)
