"""The layout's promise (docs/architecture.md): data flows one way, cli → commands → render →
log → plan → rules → engine → domain, and no module imports one above it or takes part in an
import cycle (imports inside functions included); no module passes 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "liuxia_tracker"

# Lowest first. A module may import its own layer or any below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("liuxia_tracker", "liuxia_tracker.diagnostics"),
    ("liuxia_tracker.domain",),
    ("liuxia_tracker.engine",),
    ("liuxia_tracker.rules", "liuxia_tracker.i18n", "liuxia_tracker.i18n_help"),
    ("liuxia_tracker.plan",),
    ("liuxia_tracker.log",),
    ("liuxia_tracker.render",),
    ("liuxia_tracker.commands",),
    ("liuxia_tracker.cli", "liuxia_tracker.__main__"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best = (-1, -1)  # (length of the longest matching prefix, its layer)
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best[0]:
                best = (len(name), index)
    assert best[1] >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return best[1]


def imports_of(path: Path) -> set[str]:
    """The project modules `path` imports anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from pkg import module` imports the module
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists()
                found.add(candidate if is_module else node.module)
    return {name for name in found if name.split(".")[0] == "liuxia_tracker"}


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def test_every_module_is_in_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{name} imports {imported}"
        for name, imported_names in GRAPH.items()
        for imported in sorted(imported_names)
        if layer_of(imported) > layer_of(name)
    ]
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1: being visited, 2: done
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for imported in sorted(GRAPH.get(name, ())):
            if imported not in MODULES or imported == "liuxia_tracker":
                continue
            if state.get(imported) == 1:
                cycles.append([*trail[trail.index(imported) :], imported])
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[name] = 2

    for name in MODULES:
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_module_is_longer_than_500_lines() -> None:
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def test_the_layer_test_sees_an_upward_import() -> None:
    # The rule would catch the engine reading the figure log.
    assert layer_of("liuxia_tracker.log.figures") > layer_of("liuxia_tracker.engine.series")
    assert layer_of("liuxia_tracker.commands.record") > layer_of("liuxia_tracker.render.view")
