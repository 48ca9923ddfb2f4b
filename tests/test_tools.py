"""The pairing check behind `make test`: an edited chapter without `make notebooks` fails."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"


@pytest.fixture()
def notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    spec = importlib.util.spec_from_file_location("notebooks_tool", TOOLS / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["notebooks_tool"] = module
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "SOURCES", tmp_path / "chapters")
    monkeypatch.setattr(module, "NOTEBOOKS", tmp_path / "book" / "chapters")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "book" / "chapters").mkdir(parents=True)
    return module


CHAPTER = '''# %% [markdown]
# # 9. A chapter

# %%
print(1 + 1)
'''


def write_executed(module, name: str) -> None:
    nb = module.read_source(module.SOURCES / f"{name}.py")
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
    nbformat.write(nb, module.NOTEBOOKS / f"{name}.ipynb")


def test_matching_notebook_passes(notebooks, capsys: pytest.CaptureFixture) -> None:
    (notebooks.SOURCES / "09_a.py").write_text(CHAPTER)
    write_executed(notebooks, "09_a")
    assert notebooks.check() == 0
    assert "ok   chapters/09_a.py" in capsys.readouterr().out


def test_edited_chapter_fails_with_a_clear_message(notebooks, capsys) -> None:
    (notebooks.SOURCES / "09_a.py").write_text(CHAPTER)
    write_executed(notebooks, "09_a")
    (notebooks.SOURCES / "09_a.py").write_text(CHAPTER.replace("1 + 1", "1 + 2"))
    assert notebooks.check() == 1
    out = capsys.readouterr().out
    assert "FAIL chapters/09_a.py" in out and "first difference at cell 2" in out
    assert "run `make notebooks`" in out


def test_missing_and_unexecuted_notebooks_fail(notebooks, capsys) -> None:
    (notebooks.SOURCES / "09_a.py").write_text(CHAPTER)
    assert notebooks.check() == 1
    assert "book/chapters/09_a.ipynb is missing" in capsys.readouterr().out
    nbformat.write(notebooks.read_source(notebooks.SOURCES / "09_a.py"),
                   notebooks.NOTEBOOKS / "09_a.ipynb")
    assert notebooks.check() == 1
    assert "were never executed" in capsys.readouterr().out


def test_orphan_notebook_fails(notebooks, capsys) -> None:
    (notebooks.SOURCES / "09_a.py").write_text(CHAPTER)
    write_executed(notebooks, "09_a")
    (notebooks.NOTEBOOKS / "09_a.ipynb").rename(notebooks.NOTEBOOKS / "08_b.ipynb")
    write_executed(notebooks, "09_a")
    assert notebooks.check() == 1
    assert "no chapters/08_b.py" in capsys.readouterr().out
