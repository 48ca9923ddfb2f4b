"""The API page documents every public function and class of the package.

"Public" is what a module lists in ``__all__``, for every module whose name has no part starting
with an underscore (the exercise checks' registries ``exercises.chNN`` are data, not API). An
object counts as documented when the page has an entry for it under any of the names it is
exported as (``nndl_book.data.load_digits`` documents ``nndl_book.data.digits.load_digits``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import nndl_book

ENTRY = re.compile(r'<dt class="sig sig-object py" id="(nndl_book[^"]+)"')
REGISTRY = re.compile(r"\.exercises\.ch\d\d$")


def resolve(path: str) -> list[object]:
    """The objects a dotted path can name. A package's attribute may shadow its submodule of the
    same name (``nndl_book.engine.train`` is a function, and a module), so both readings count:
    attributes first, and the longest importable module first."""
    found = []
    parts = path.split(".")
    obj: object | None = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(".".join(parts[: i + 1]))
        except ImportError:
            obj = None
            break
    if obj is not None:
        found.append(obj)
    for i in range(len(parts) - 1, 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        obj = module
        for part in parts[i:]:
            obj = getattr(obj, part, None)
        if obj is not None:
            found.append(obj)
        break
    return found


def public_objects() -> dict[int, str]:
    found = {}
    for info in pkgutil.walk_packages(nndl_book.__path__, "nndl_book."):
        name = info.name
        if any(part.startswith("_") for part in name.split(".")) or REGISTRY.search(name):
            continue
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", []):
            obj = getattr(module, export)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.setdefault(id(obj), f"{obj.__module__}.{obj.__qualname__}")
    return found


def test_every_public_function_and_class_is_on_the_api_page(site_dir: Path) -> None:
    html = (site_dir / "book" / "appendix" / "api.html").read_text(encoding="utf-8")
    entries = ENTRY.findall(html)
    assert len(entries) > 100, "the API page has almost no entries"
    documented = {id(obj) for entry in entries for obj in resolve(entry)}
    public = public_objects()
    missing = sorted(name for key, name in public.items() if key not in documented)
    assert not missing, f"public but not on the API page: {missing}"
