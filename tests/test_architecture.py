"""SPEC §2 as tests: the layers, the import graph (no cycles, nothing points up), where SQL
lives, and how big a module or a function may grow.

Every kind of import counts — module level, inside a function, under `TYPE_CHECKING` — because
a lazy import that points up a layer is still a dependency a reader has to hold in their head.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "adapters", "storage")
PLATFORM_SDKS = {"discord", "slack_bolt", "slack_sdk"}
WIRING = "bot.cli.wiring"  # SPEC §2: the one module that imports adapters/

# Highest first. A module may import its own layer or any layer below it, never one above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cli", ("bot.cli", "bot.__main__")),
    ("adapters", ("adapters",)),
    ("commands", ("bot.commands",)),
    ("daily", ("bot.daily",)),
    ("cards/ingest", ("bot.cards", "bot.ingest", "bot.bibtex")),
    ("core", ("bot.core",)),
    (
        "query/sources/summaries/recommend",
        ("bot.query", "bot.sources", "bot.summaries", "bot.recommend"),
    ),
    ("foundations", ("bot.model", "bot.config", "bot.clock", "bot.text", "bot", "storage")),
)


# --- reading the code -------------------------------------------------------------------------
def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_files() -> list[Path]:
    return sorted(f for pkg in PACKAGES for f in (ROOT / pkg).rglob("*.py"))


def _resolve(name: str, known: set[str]) -> str | None:
    """The longest known module that `name` is or lies in (`bot.query.Query` → `bot.query`)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(path: Path, known: set[str], me: str | None = None) -> set[str]:
    """Every product module `path` (module `me`) imports, by any kind of import statement."""
    me = me or module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` imports the submodule when there is one
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for t in targets:
            m = _resolve(t, known)
            if m is not None and m != me:
                found.add(m)
    return found


def external_imports(path: Path) -> set[str]:
    """Top-level names of every module `path` imports (SDKs included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def import_graph() -> dict[str, set[str]]:
    files = product_files()
    known = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, known) for f in files}


def layer_of(module: str) -> int:
    best, rank = -1, len(LAYERS)
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, rank = len(p), i
    assert rank < len(LAYERS), f"{module} is in no layer; add it to LAYERS"
    return rank


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, deps in graph.items() for b in deps if layer_of(b) < layer_of(a))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


# --- the rules --------------------------------------------------------------------------------
def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(import_graph()) == []


def test_no_import_points_up_a_layer() -> None:
    assert upward_imports(import_graph()) == []


def test_only_the_wiring_module_imports_adapters() -> None:
    graph = import_graph()
    offenders = sorted(
        m
        for m, deps in graph.items()
        if m.startswith(("bot", "storage"))
        and m != WIRING
        and any(d.startswith("adapters") for d in deps)
    )
    assert offenders == []


def test_core_imports_no_platform_sdk() -> None:
    offenders = []
    for f in product_files():
        rel = f.relative_to(ROOT).as_posix()
        if rel.startswith(("bot/", "storage/")):
            bad = external_imports(f) & PLATFORM_SDKS
            if bad:
                offenders.append((rel, sorted(bad)))
    assert offenders == []


def test_the_wiring_module_imports_adapters_only_lazily() -> None:
    tree = ast.parse((ROOT / "bot/cli/wiring.py").read_text(encoding="utf-8"))
    for node in tree.body:  # module level only
        if isinstance(node, ast.ImportFrom | ast.Import):
            mods = (
                [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
            for m in mods:
                assert not (m or "").startswith(("adapters", *PLATFORM_SDKS)), m


def test_storage_imports_neither_bot_nor_adapters() -> None:
    for f in (ROOT / "storage").rglob("*.py"):
        assert not external_imports(f) & {"bot", "adapters", *PLATFORM_SDKS}, f


_SQL_CALL = re.compile(r"\.execute\(|\.query\(|\bdb\[")


def test_sql_lives_in_storage_and_query_only() -> None:
    offenders = []
    for f in sorted((ROOT / "bot").rglob("*.py")):
        rel = f.relative_to(ROOT).as_posix()
        if rel.startswith("bot/query/"):
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if _SQL_CALL.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_bot_top_level_holds_at_most_ten_modules() -> None:
    modules = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(modules) <= 10, modules


def test_no_module_over_400_lines() -> None:
    long = {
        f.relative_to(ROOT).as_posix(): n
        for f in product_files()
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_product_function_over_50_lines() -> None:
    long = []
    for f in product_files():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > 50:
                    long.append(f"{f.relative_to(ROOT).as_posix()}:{node.lineno} {node.name} ({n})")
    assert long == []


# --- the checkers can fail ----------------------------------------------------------------------
def test_the_checkers_see_a_cycle_and_an_upward_import() -> None:
    graph = {"bot.core": {"bot.commands.dispatch"}, "bot.commands.dispatch": {"bot.core"}}
    assert cycles(graph) == [["bot.commands.dispatch", "bot.core"]]
    assert upward_imports(graph) == [("bot.core", "bot.commands.dispatch")]


def test_the_reader_counts_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    known = {"bot.core", "bot.commands.dispatch", "bot.daily.thread"}
    src = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.daily.thread import build_digest\n"
        "def f():\n    from bot.commands.dispatch import handle\n"
        "    from slack_sdk import WebClient\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(src)
    found = imports_of(probe, known, me="bot.probe")
    assert found == {"bot.daily.thread", "bot.commands.dispatch"}
    assert "slack_sdk" in external_imports(probe)


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in plain modules (tests/support/, tests/fakes/) or conftest.py."""
    offenders = []
    tests = ROOT / "tests"
    for f in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                last = node.module.rsplit(".", 1)[-1]
                if last.startswith("test_") or last == "conftest":
                    offenders.append(f"{f.relative_to(ROOT).as_posix()}: {node.module}")
    assert offenders == []


def test_only_sources_are_tracked() -> None:
    """Build outputs, virtual environments and databases stay out of git (.gitignore)."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    bad = [
        f
        for f in tracked
        if ".egg-info/" in f or f.startswith((".venv/", "build/")) or f.endswith((".db", ".pyc"))
    ]
    assert bad == []


def test_writes_group_through_the_transaction_helper_not_with_conn() -> None:
    """`with db.conn:` is no transaction under sqlite-utils 4 (storage/tx.py says why)."""
    offenders = [
        f"{f.relative_to(ROOT).as_posix()}:{n}"
        for f in product_files()
        if f.name != "tx.py"
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"with\s+[\w.]*\bconn\s*:", line)
    ]
    assert offenders == []
