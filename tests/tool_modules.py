"""What the tests of the scripts in tools/ (and of the book's Sphinx extension) share: loading a
file as a fresh module."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_module(path: Path, name: str) -> ModuleType:
    """The file ``path`` executed as a new module registered as ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_tool(script: str, module_name: str | None = None) -> ModuleType:
    """``tools/<script>.py`` as a new module named ``module_name`` (``<script>_tool``), so a test
    can patch its globals without touching another test's copy."""
    return load_module(ROOT / "tools" / f"{script}.py", module_name or f"{script}_tool")
