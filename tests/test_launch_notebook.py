"""A chapter's first cell: `nndl_book.notebook`, the Colab install pin, and the plumbing around it.

The slow checks of the launch paths themselves (Binder, the README, Colab) are in tests/launch/
and run with `make test-launch`.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from tool_modules import load_tool

import nndl_book
from nndl_book.notebook import setup, time_per_call

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.py"))


def load_notebooks_tool():
    return load_tool("notebooks", "notebooks_tool_pin")


@pytest.fixture()
def restore_globals():
    """setup() changes process-wide settings: put them back after the test."""
    threads, dtype = torch.get_num_threads(), torch.get_default_dtype()
    printopts = np.get_printoptions()
    yield
    torch.set_num_threads(threads)
    torch.set_default_dtype(dtype)
    np.set_printoptions(**printopts)


def test_setup_sets_threads_dtype_printing_and_figures(restore_globals) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    formatter = shell.display_formatter.formatters["image/png"]
    formatter.type_printers.pop(Figure, None)
    torch.set_num_threads(2)
    torch.set_default_dtype(torch.float32)
    np.set_printoptions(precision=8, suppress=False)

    assert setup() is None
    assert torch.get_num_threads() == 1
    assert torch.get_default_dtype() == torch.float64
    assert torch.tensor([0.5]).dtype == torch.float64
    assert np.get_printoptions()["precision"] == 4 and np.get_printoptions()["suppress"]
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    png = formatter(fig)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")


def test_setup_options(restore_globals) -> None:
    setup(threads=2, dtype="float32", precision=2)
    assert torch.get_num_threads() == 2
    assert torch.get_default_dtype() == torch.float32
    assert np.get_printoptions()["precision"] == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"threads": 0}, ValueError, "threads"),
        ({"threads": 1.5}, TypeError, "threads"),
        ({"dtype": "float16"}, ValueError, "dtype"),
        ({"dtype": torch.float64}, TypeError, "dtype"),
        ({"precision": -1}, ValueError, "precision"),
    ],
)
def test_setup_rejects_bad_arguments(restore_globals, kwargs, error, match) -> None:
    before = torch.get_default_dtype()
    with pytest.raises(error, match=match):
        setup(**kwargs)
    assert torch.get_default_dtype() == before  # nothing half-set


def test_time_per_call_counts_calls_and_measures_time() -> None:
    calls = []

    def sleepy(x):
        calls.append(x)
        time.sleep(0.002)

    seconds = time_per_call(sleepy, "a", n_calls=3, repeats=2)
    assert calls == ["a"] * 6
    assert 0.002 <= seconds < 1.0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((1,), {}, TypeError, "fn must be callable"),
        ((print,), {"n_calls": 0}, ValueError, "n_calls"),
        ((print,), {"repeats": 2.0}, TypeError, "repeats"),
    ],
)
def test_time_per_call_rejects_bad_arguments(args, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        time_per_call(*args, **kwargs)


def test_chapters_time_with_the_shared_helper_only() -> None:
    """One timing helper: no chapter times with perf_counter or timeit of its own."""
    own = [p.name for p in CHAPTERS if re.search(r"perf_counter|\btimeit\b", p.read_text())]
    assert not own, f"chapters with their own timing code: {own}"


def first_code_cell(path: Path) -> str:
    text = path.read_text()
    start = text.index("# %%")
    end = text.index("\n# %%", start + 4)
    return text[start:end]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_first_cell_is_the_colab_install_pinned_to_the_package_version(path: Path) -> None:
    cell = first_code_cell(path)
    assert cell.startswith('# %% tags=["remove-cell"]'), "the first cell is hidden on the website"
    refs = re.findall(r"git\+https://github\.com/nndl-book/nndl-book@([^\"'\s]+)", cell)
    assert refs == [f"v{nndl_book.__version__}"], (
        f"{path.name} installs {refs} in Colab; expected the package's version "
        f"v{nndl_book.__version__}: run `python tools/notebooks.py pin`"
    )
    assert "output.enable_custom_widget_manager()" in cell
    assert "from nndl_book.notebook import setup\n\nsetup()" in cell
    # Plumbing lives in setup(), not in each chapter.
    body = path.read_text()
    for line in ("torch.set_num_threads", "torch.set_default_dtype", "np.set_printoptions",
                 "show_figures_inline"):
        assert line not in body, f"{path.name} sets {line} itself; setup() does it"


def test_version_has_one_home() -> None:
    """pyproject takes its version from nndl_book.__version__, and the installed one agrees."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nndl_book.__version__"}
    assert importlib.metadata.version("nndl_book") == nndl_book.__version__
    assert load_notebooks_tool().package_version() == nndl_book.__version__


def test_pin_rewrites_the_install_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = load_notebooks_tool()
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    chapter = tmp_path / "01_a.py"
    cell = first_code_cell(CHAPTERS[0])
    chapter.write_text(cell.replace(f"@v{nndl_book.__version__}", "@v0.0.1"))
    assert tool.check_pins([chapter]) == 1
    assert tool.pin([chapter]) == 1
    assert tool.install_refs(chapter) == [f"v{nndl_book.__version__}"]
    assert tool.check_pins([chapter]) == 0
    assert tool.pin([chapter]) == 0


def makefile_targets() -> list[str]:
    text = (ROOT / "Makefile").read_text()
    return sorted(set(re.findall(r"^([a-z][a-z-]*):(?!=)", text, flags=re.MULTILINE)))


def test_make_help_lists_every_target() -> None:
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    listed = set(re.findall(r"^make ([a-z-]+)", out, flags=re.MULTILINE))
    targets = makefile_targets()
    assert len(targets) >= 17
    assert sorted(set(targets) - {"help"} - listed) == []


def test_kernel_env_has_one_definition() -> None:
    tool = load_notebooks_tool()
    assert tool.KERNEL_ENV["NNDL_BOOK_FRAMES"] == "1"
    makefile = (ROOT / "Makefile").read_text()
    assert "NNDL_BOOK_FRAMES" not in makefile and "OPENBLAS_NUM_THREADS" not in makefile
    out = subprocess.run(["make", "-s", "-n", "nbval", "CHAPTERS=01_forward_propagation"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    words = " ".join(f"{k}={v}" for k, v in tool.KERNEL_ENV.items())
    assert words in out


def test_python_versions_agree() -> None:
    """pyproject's requires-python, Binder's runtime and the README name the same minimum."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    minimum = re.fullmatch(r">=(3\.\d+)", project["requires-python"]).group(1)
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{minimum}"
    assert f"Python {minimum} or newer" in (ROOT / "README.md").read_text()
    assert sys.version_info[:2] >= tuple(int(p) for p in minimum.split("."))


def test_one_launch_interface_jupyterlab() -> None:
    """The website's launch button, the README's badge and Binder's start page: JupyterLab."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
    badges = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", (ROOT / "README.md").read_text())
    assert badges and all("urlpath=lab/tree/" in url for url in badges), badges
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert 'c.ServerApp.default_url = "/lab/tree/book/chapters"' in post_build
    assert 'c.LabApp.default_url = "/lab/tree/book/chapters"' in post_build
