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


def public_objects() -> dict[int, set[str]]:
    """Every public function and class, by identity, with the names it is exported under."""
    names: dict[int, set[str]] = {}
    for info in pkgutil.walk_packages(nndl_book.__path__, "nndl_book."):
        name = info.name
        if any(part.startswith("_") for part in name.split(".")) or REGISTRY.search(name):
            continue
        module = importlib.import_module(name)
        for export in getattr(module, "__all__", []):
            obj = getattr(module, export)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                names.setdefault(id(obj), {f"{obj.__module__}.{obj.__qualname__}"}).add(
                    f"{name}.{export}")
    return names


def test_every_public_function_and_class_is_on_the_api_page(site_dir: Path) -> None:
    html = (site_dir / "book" / "appendix" / "api.html").read_text(encoding="utf-8")
    entries = set(ENTRY.findall(html))
    assert len(entries) > 100, "the API page has almost no entries"
    missing = sorted(min(names) for names in public_objects().values() if not names & entries)
    assert not missing, f"public but not on the API page: {missing}"
