"""Execute the py:percent chapters into the notebooks the website shows, or check they match.

    python tools/notebooks.py execute [NAME ...]   # chapters/NAME.py -> book/chapters/NAME.ipynb
    python tools/notebooks.py check                # every chapter's notebook holds the same cells
    python tools/notebooks.py pin                  # Colab install cells name v{__version__}
    python tools/notebooks.py env                  # KERNEL_ENV as NAME=value words, for make

Execution runs in a fresh kernel from ``book/chapters`` with ``KERNEL_ENV`` (explorer widgets
store precomputed frames; BLAS uses one thread), and keeps the widget state so the static page
can show them. ``make nbval`` runs the notebooks with the same environment (the Makefile reads
it from ``env``: this file is its one definition).

Each chapter's first cell installs, in Colab, the release of the package tagged
``v{nndl_book.__version__}``, so a notebook keeps installing the package it was executed with
after ``main`` moves on. ``check`` fails when a chapter names another version; ``pin`` rewrites
the tag after the version changes (see CONTRIBUTING.md, "Releases").

Identifiers in a written notebook are derived, not random (:func:`stable_text`): a cell's id
from its chapter, type and source, a widget model's id from its chapter and its place in the
widget state. Executing an unchanged chapter again writes the same file, and the diff of an
edited chapter shows the cells that changed.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from nndl_book._atomic import write_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "chapters"
NOTEBOOKS = ROOT / "book" / "chapters"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TIMEOUT = 300
PACKAGE_INIT = ROOT / "src" / "nndl_book" / "__init__.py"
#: The package requirement in a chapter's Colab install cell; group 1 is the tag.
INSTALL_REF = re.compile(r"nndl_book @ git\+https://github\.com/nndl-book/nndl-book@([^\"'\s]+)")
#: The kernel's environment: explorers store frames; BLAS runs on one thread, which is faster
#: for the book's small matrices and keeps results identical from run to run.
KERNEL_ENV = {
    "NNDL_BOOK_FRAMES": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def package_version() -> str:
    """``nndl_book.__version__``, read from the source (no import needed)."""
    for node in ast.parse(PACKAGE_INIT.read_text()).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "__version__"):
            return ast.literal_eval(node.value)
    raise RuntimeError(f"no __version__ in {PACKAGE_INIT}")


def install_refs(source: Path) -> list[str]:
    """The git refs a chapter's Colab install cell names (one expected)."""
    return INSTALL_REF.findall(source.read_text())


def pin(sources: list[Path]) -> int:
    """Make every chapter's install cell name the tag ``v{__version__}``; return files changed."""
    tag = f"v{package_version()}"
    changed = 0
    for source in sources:
        text = source.read_text()
        if len(INSTALL_REF.findall(text)) != 1:
            sys.exit(f"error: {source.relative_to(ROOT)} has no single Colab install line "
                     f"matching {INSTALL_REF.pattern}")
        new = INSTALL_REF.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + tag, text)
        if new != text:
            write_text(source, new)
            changed += 1
            print(f"pinned {source.relative_to(ROOT)} to {tag}")
    return changed


def chapter_sources(names: list[str] | None = None) -> list[Path]:
    """Return the chapter sources, all of them or those named (with or without ``.py``)."""
    if not names:
        return sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    paths = []
    for name in names:
        path = SOURCES / (name if name.endswith(".py") else f"{name}.py")
        if not path.exists():
            sys.exit(f"error: no chapter {path.relative_to(ROOT)}")
        paths.append(path)
    return paths


def notebook_for(source: Path) -> Path:
    return NOTEBOOKS / f"{source.stem}.ipynb"


def read_source(source: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.metadata.pop("jupytext", None)
    return nb


def cell_key(cell: nbformat.NotebookNode) -> tuple[str, str, tuple[str, ...]]:
    tags = tuple(sorted(cell.get("metadata", {}).get("tags", [])))
    return cell.cell_type, cell.source.strip(), tags


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _digest(*parts: str, length: int) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:length]


def _joined_streams(outputs: list) -> list:
    """``outputs`` with each run of stream outputs of the same name joined into one: how the
    kernel's printing is cut into messages depends on timing, the text does not."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def stable_text(nb: nbformat.NotebookNode, name: str) -> str:
    """The notebook ``nb`` of chapter ``name`` as JSON text, deterministic where execution is not.

    Consecutive stream outputs of a cell are joined (:func:`_joined_streams`).

    Cell ids become 8 hex digits of a hash of the chapter's name, the cell's type and source and
    how many identical cells come before it, so a cell keeps its id while its source stays the
    same. Each widget model id (32 hex digits, referenced as ``IPY_MODEL_<id>`` and as an output's
    ``model_id``) becomes a hash of the chapter's name and the model's place in the stored widget
    state, which follows the order in which the chapter's code creates the widgets.
    """
    seen: dict[tuple[str, str], int] = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _joined_streams(cell.outputs)
        key = (cell.cell_type, cell.source)
        seen[key] = seen.get(key, 0) + 1
        cell.id = _digest(name, *key, str(seen[key]), length=8)
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    new_ids = {old: _digest(name, "widget", str(i), length=32)
               for i, old in enumerate(widgets.get("state", {}))}
    if new_ids:  # the keys here, then every reference (IPY_MODEL_<id>, model_id) in the text
        widgets["state"] = {new_ids[old]: model for old, model in widgets["state"].items()}
    text = nbformat.writes(nb)
    if new_ids:
        pattern = re.compile("|".join(map(re.escape, new_ids)))
        text = pattern.sub(lambda match: new_ids[match.group(0)], text)
    return text


def execute(source: Path) -> float:
    """Execute one chapter into its notebook; return the execution time in seconds."""
    nb = read_source(source)
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    env_before = {key: os.environ.get(key) for key in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        client = NotebookClient(
            nb,
            timeout=TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
            store_widget_state=True,
            record_timing=False,
        )
        start = time.perf_counter()
        client.execute()
        elapsed = time.perf_counter() - start
    finally:
        for key, value in env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    target = notebook_for(source)
    text = stable_text(nb, source.stem)
    write_text(target, text)
    return elapsed


def check() -> int:
    """Return the number of chapters whose executed notebook does not match the source."""
    problems = 0
    sources = chapter_sources()
    if not sources:
        print("error: no chapters found in chapters/")
        return 1
    for source in sources:
        target = notebook_for(source)
        rel = source.relative_to(ROOT)
        if not target.exists():
            print(f"FAIL {rel}: {target.relative_to(ROOT)} is missing; run `make notebooks`")
            problems += 1
            continue
        expected = [cell_key(c) for c in read_source(source).cells]
        executed_nb = nbformat.read(target, as_version=4)
        actual = [cell_key(c) for c in executed_nb.cells]
        if expected != actual:
            first = next(
                (i for i, (a, b) in enumerate(zip(expected, actual)) if a != b),
                min(len(expected), len(actual)),
            )
            print(
                f"FAIL {rel}: {target.relative_to(ROOT)} holds other cells "
                f"(first difference at cell {first + 1}); run `make notebooks`"
            )
            problems += 1
            continue
        unexecuted = [
            i + 1
            for i, c in enumerate(executed_nb.cells)
            if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None
        ]
        if unexecuted:
            print(f"FAIL {rel}: cells {unexecuted} of the notebook were never executed; "
                  "run `make notebooks`")
            problems += 1
            continue
        print(f"ok   {rel} == {target.relative_to(ROOT)}")
    orphans = sorted(
        p.relative_to(ROOT)
        for p in NOTEBOOKS.glob("*.ipynb")
        if not (SOURCES / f"{p.stem}.py").exists()
    )
    for orphan in orphans:
        print(f"FAIL {orphan}: no chapters/{orphan.stem}.py; remove it or restore its source")
        problems += 1
    return problems


def check_pins(sources: list[Path]) -> int:
    """Return the number of chapters whose Colab install cell does not name ``v{__version__}``."""
    tag = f"v{package_version()}"
    problems = 0
    for source in sources:
        refs = install_refs(source)
        if refs != [tag]:
            print(f"FAIL {source.relative_to(ROOT)}: the Colab install cell names {refs}, not "
                  f"the package's version ['{tag}']; run `python tools/notebooks.py pin`, then "
                  "`make notebooks`")
            problems += 1
    if not problems:
        print(f"ok   every chapter's Colab install cell names {tag}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="execute chapters into book/chapters/*.ipynb")
    run.add_argument("names", nargs="*", help="chapter names, e.g. 01_forward_propagation")
    sub.add_parser("check", help="check every chapter's notebook matches its source")
    sub.add_parser("pin", help="make the Colab install cells name v{nndl_book.__version__}")
    sub.add_parser("env", help="print KERNEL_ENV as NAME=value words (for the Makefile)")
    args = parser.parse_args()
    if args.command == "env":
        print(" ".join(f"{key}={value}" for key, value in KERNEL_ENV.items()))
        return
    if args.command == "pin":
        pin(chapter_sources())
        return
    if args.command == "check":
        problems = check() + check_pins(chapter_sources())
        if problems:
            sys.exit(f"{problems} chapter notebook(s) out of date: run `make notebooks`")
        return
    total = 0.0
    for source in chapter_sources(args.names):
        print(f"executing {source.relative_to(ROOT)} ...", flush=True)
        seconds = execute(source)
        total += seconds
        print(f"  wrote {notebook_for(source).relative_to(ROOT)} in {seconds:.1f} s", flush=True)
    print(f"executed in {total:.1f} s")


if __name__ == "__main__":
    main()
