"""Colab, simulated: every chapter runs top to bottom as Colab runs it, and live explorers work
with Colab's ipywidgets 7.

The environment is what Colab preinstalls, as far as the chapters care: Python 3.12, torch
2.13.0 from the package registry (Colab's own build also carries CUDA), ipywidgets 7.7.1,
ipykernel 6, numpy, matplotlib. A stand-in ``google.colab`` module records that the first cell
turns on Colab's custom widget manager. The first cell's install step runs for real, with one
substitution: instead of downloading the tagged release from GitHub (``nndl_book @
git+https://github.com/nndl-book/nndl-book@v{version}``, which this test machine cannot reach
and which does not exist before a release is tagged), pip installs this checkout. Afterwards the
preinstalled torch and ipywidgets must be unchanged: the package's requirements accept them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from launchkit import (
    copy_checkout,
    env_with,
    make_venv,
    python_for,
    report_chapters,
    run,
    run_notebooks,
    timed,
)

import nndl_book

#: What Colab has preinstalled, as far as the chapters are concerned.
PREINSTALLED = ["torch==2.13.0", "ipywidgets==7.7.1", "ipykernel>=6,<7", "nbclient", "numpy",
                "matplotlib"]
#: Colab's packages with torch's CUDA libraries are about 3.5 GB: downloaded once per machine.
WHEELHOUSE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nndl-book" / "colab"
TAGGED = f"nndl_book @ git+https://github.com/nndl-book/nndl-book@v{nndl_book.__version__}"

FAKE_COLAB = """\
import sys, types
_colab_calls = []
google = types.ModuleType("google")
colab = types.ModuleType("google.colab")
output = types.ModuleType("google.colab.output")
output.enable_custom_widget_manager = lambda: _colab_calls.append("enable_custom_widget_manager")
colab.output, google.colab = output, colab
sys.modules.update({"google": google, "google.colab": colab, "google.colab.output": output})
"""
CHECK_AFTER = """\
import ipywidgets, torch, nndl_book
print("COLAB", _colab_calls, ipywidgets.__version__, torch.__version__, nndl_book.__file__)
"""

#: A live explorer created and updated in the kernel under ipywidgets 7: the control's change
#: arrives as the front end sends it (``set_state`` of its ``index``), and the picture follows.
LIVE = """\
import asyncio, time
from matplotlib.figure import Figure
from nndl_book.widgets.explorer import Control, Explorer

def draw(height):
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().bar([0], [height])
    return fig, {"height": height}

explorer = Explorer(draw, [Control("height", [1.0, 2.0, 3.0])], mode="live", debounce=0.05)
before = (explorer.image.value, explorer.caption.value)
explorer.widgets[0].set_state({"index": 2})
deadline = time.monotonic() + 30
while explorer.image.value == before[0] and time.monotonic() < deadline:
    await asyncio.sleep(0.1)
assert explorer.image.value != before[0], "the picture did not follow the control"
assert "height = 3" in explorer.caption.value, explorer.caption.value
print("LIVE", ipywidgets.__version__, explorer.params)
"""


def test_colab_runs_every_chapter_with_ipywidgets_7(tmp_path: Path) -> None:
    repo = copy_checkout(tmp_path / "repo")
    venv = make_venv(python_for("3.12"), tmp_path / "colab-env")
    env = env_with(venv, HOME=str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    pip = str(venv / "bin" / "pip")
    with timed("colab", "download Colab's packages (once per machine)"):
        run([pip, "download", "-q", "-d", str(WHEELHOUSE), *PREINSTALLED], cwd=tmp_path, env=env)
    with timed("colab", "preinstall torch, ipywidgets 7, ..."):
        run([pip, "install", "-q", "--no-index", "--find-links", str(WHEELHOUSE), *PREINSTALLED],
            cwd=tmp_path, env=env)

    notebooks = sorted(str(p) for p in (repo / "book" / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 9
    spec = {
        "notebooks": notebooks,
        "cwd": str(tmp_path),  # Colab's working directory is not the repository
        "prelude": FAKE_COLAB,
        "replace": [[TAGGED, f"nndl_book @ file://{repo}", 1]],
        "postlude": CHECK_AFTER,
        "texts": True,
    }
    with timed("colab", "every chapter, install cell included"):
        results = run_notebooks(venv / "bin" / "python", spec, tmp_path, env=env)
    outputs = {name: result.pop("outputs", None) or [] for name, result in results.items()}
    report_chapters("colab", results)
    for name, texts in outputs.items():
        line = next(t for t in texts if t.startswith("COLAB"))
        assert "['enable_custom_widget_manager']" in line, f"{name}: {line}"
        assert " 7.7.1 2.13.0" in line, f"{name}: preinstalled packages changed: {line}"
        assert str(repo) not in line and "site-packages" in line, f"{name}: {line}"

    # A live explorer in a kernel with ipywidgets 7.
    live = tmp_path / "live.ipynb"
    live.write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": "import ipywidgets\nfrom nndl_book.notebook import setup\nsetup()"},
                  {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": LIVE}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    with timed("colab", "live explorer under ipywidgets 7"):
        result = run_notebooks(venv / "bin" / "python",
                               {"notebooks": [str(live)], "cwd": str(tmp_path), "texts": True},
                               tmp_path, env=env)["live"]
    assert result["error"] is None, result["error"]
    assert any(t.startswith("LIVE 7.7.1") for t in result["outputs"]), result["outputs"]
