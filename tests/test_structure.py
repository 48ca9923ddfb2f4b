"""The package's shape: chapters take only explorers from the widget layer; modules stay small."""

from __future__ import annotations

import ast
import fnmatch
import importlib
import inspect
import tomllib
from pathlib import Path

import pytest

from nndl_book.widgets import Control, Explorer

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.py"))
MODULES = sorted((ROOT / "src").rglob("*.py"))
MAX_LINES = 600


def is_explorer_part(module: str, name: str) -> bool:
    """Whether ``name`` of ``module`` is an explorer factory or a class to declare explorers."""
    obj = getattr(importlib.import_module(module), name, None)
    if obj in (Explorer, Control):
        return True
    if not inspect.isfunction(obj):
        return False
    returns = inspect.signature(obj).return_annotation
    return returns is Explorer or returns == "Explorer"


def widget_imports(source: str) -> list[str]:
    """What a chapter's source takes from ``nndl_book.widgets`` other than explorers."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
            node.module == "nndl_book.widgets" or node.module.startswith("nndl_book.widgets.")
        ):
            bad += [f"line {node.lineno}: {node.module}.{alias.name}" for alias in node.names
                    if not is_explorer_part(node.module, alias.name)]
        elif isinstance(node, ast.Import):
            bad += [f"line {node.lineno}: import {alias.name}" for alias in node.names
                    if alias.name.startswith("nndl_book.widgets")]
        elif isinstance(node, ast.ImportFrom) and node.module == "nndl_book" and any(
            alias.name == "widgets" for alias in node.names
        ):
            bad.append(f"line {node.lineno}: from nndl_book import widgets")
    return bad


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapters_take_only_explorers_from_the_widgets(path: Path) -> None:
    bad = widget_imports(path.read_text())
    assert not bad, (
        f"{path.name} imports from nndl_book.widgets something other than an explorer: {bad}; "
        "import numbers from their home below the widgets (e.g. nndl_book.engine.probes)"
    )


def test_the_chapter_check_catches_numerics_from_the_widgets() -> None:
    assert widget_imports("from nndl_book.widgets.race import optimizer_race\n") == []
    assert widget_imports("from nndl_book.widgets import Control, Explorer\n") == []
    assert widget_imports("from nndl_book.widgets.race import draw_race, optimizer_race\n") == [
        "line 1: nndl_book.widgets.race.draw_race"
    ]
    assert widget_imports("import nndl_book.widgets.race as race\n") == [
        "line 1: import nndl_book.widgets.race"
    ]
    assert widget_imports("from nndl_book import widgets\n") == [
        "line 1: from nndl_book import widgets"
    ]


def test_chapters_were_found() -> None:
    assert len(CHAPTERS) >= 9 and len(MODULES) >= 20


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT / "src")) for p in MODULES])
def test_no_module_over_600_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, (
        f"{path.relative_to(ROOT)} has {lines} lines, over {MAX_LINES}: split it by concept"
    )


def test_every_data_file_of_the_package_is_shipped() -> None:
    # setuptools puts a file that is not Python in the wheel only when package-data names it;
    # a forgotten one is missing from every install from git (Colab, Binder).
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["setuptools"].get("package-data", {})
    package_root = ROOT / "src"
    data = [p for p in (package_root / "nndl_book").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert data, "no data file found: the test looks in the wrong place"
    for path in data:
        package = ".".join(path.parent.relative_to(package_root).parts)
        patterns = shipped.get(package, []) + shipped.get("*", [])
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), (
            f"{path.relative_to(ROOT)} is not in [tool.setuptools.package-data] {package!r}")
