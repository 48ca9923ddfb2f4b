"""Execute notebooks with nbclient in the environment this Python belongs to; report as JSON.

    python run_notebooks.py SPEC.json

SPEC holds ``notebooks`` (paths), ``cwd`` (the kernel's working directory), optionally
``prelude`` (source of a cell run first, e.g. a stand-in ``google.colab`` module) and
``postlude`` (source of a cell run last, e.g. checks), ``texts`` (return the text outputs) and
``replace`` (``[old, new, count]`` substitutions, each required to occur exactly ``count`` times
in the notebook's first cell). Prints one JSON object: per notebook the seconds it took and the
first error, if any. Used by the launch checks of tests/launch/; run by another environment's
Python, so it imports nothing from the test suite.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def run(spec: dict) -> dict:
    results = {}
    for path in spec["notebooks"]:
        nb = nbformat.read(path, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        for old, new, count in spec.get("replace", []):
            found = first.source.count(old)
            if found != count:
                results[Path(path).stem] = {"seconds": 0.0, "error": (
                    f"the first cell holds {old!r} {found} times, expected {count}")}
                break
            first.source = first.source.replace(old, new)
        else:
            if spec.get("prelude"):
                nb.cells.insert(0, nbformat.v4.new_code_cell(spec["prelude"]))
            if spec.get("postlude"):
                nb.cells.append(nbformat.v4.new_code_cell(spec["postlude"]))
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": spec["cwd"]}})
            start = time.perf_counter()
            error = None
            try:
                client.execute()
            except CellExecutionError as err:
                error = str(err)[-3000:]
            results[Path(path).stem] = {"seconds": time.perf_counter() - start, "error": error,
                                        "outputs": _texts(nb) if spec.get("texts") else None}
    return results


def _texts(nb) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append(out.get("text", ""))
            elif "data" in out and "text/plain" in out["data"]:
                texts.append(out["data"]["text/plain"])
    return texts


if __name__ == "__main__":
    print(json.dumps(run(json.loads(Path(sys.argv[1]).read_text()))))
