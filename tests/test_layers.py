"""The package is layered: a module never imports a module of a higher layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nndl_book"

# Lowest first. A module may import from its own layer or a lower one.
LAYERS = {
    "nndl_book._validate": 0,
    "nndl_book._atomic": 0,
    "nndl_book.history": 0,
    "nndl_book.maths": 1,
    "nndl_book.engine": 2,
    "nndl_book.data": 3,
    "nndl_book.training": 3,
    "nndl_book.plots": 4,
    "nndl_book.widgets": 5,
    "nndl_book.exercises": 5,
    # Plumbing for a chapter's first cell (setup, timing): above everything, may use any layer.
    "nndl_book.notebook": 6,
}
# Third-party libraries a layer may not use (torch stays out of the numpy layers).
FORBIDDEN = {0: {"torch", "matplotlib", "ipywidgets"}, 1: {"torch", "matplotlib", "ipywidgets"},
             2: {"torch", "matplotlib", "ipywidgets"}, 3: {"matplotlib"}}


def layer_of(module: str) -> int | None:
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                      if node.module == "nndl_book"]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    unplaced = [module_name(p) for p in MODULES
                if module_name(p) != "nndl_book" and layer_of(module_name(p)) is None]
    assert not unplaced, f"modules with no layer in tests/test_layers.py: {unplaced}"


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_no_upward_import(path: Path) -> None:
    name = module_name(path)
    own = layer_of(name)
    if own is None:
        return
    bad = []
    for lineno, imported in imports(path):
        other = layer_of(imported)
        if other is not None and other > own:
            bad.append(f"line {lineno}: {imported} (layer {other})")
        top = imported.split(".")[0]
        if top in FORBIDDEN.get(own, set()):
            bad.append(f"line {lineno}: {imported} (not allowed in layer {own})")
    assert not bad, f"{name} (layer {own}) imports upward: {bad}"
