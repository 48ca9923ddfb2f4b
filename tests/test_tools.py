"""The pairing check behind `make test`: an edited chapter without `make notebooks` fails."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from tool_modules import load_tool


@pytest.fixture()
def notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    module = load_tool("notebooks")
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


# ---------------------------------------------------------------- the exercise index

@pytest.fixture()
def exercise_index():
    return load_tool("exercise_index")


def section(page: str, heading: str) -> str:
    """The lines of one `## heading` section of the rendered index."""
    return page.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def test_exercise_index_classifies_by_label_not_by_title(exercise_index) -> None:
    exercises = [
        {"title": "Momentum outside [0, 1) (Nielsen ch. 3)", "label": "ex-07-nielsen-momentum",
         "chapter": "7. Optimizers", "doc": "07_optimizers"},
        {"title": "NNDL 7-2", "label": "ex-07-nndl-7-2", "chapter": "7. Optimizers",
         "doc": "07_optimizers"},
        {"title": "Newton's method on a saddle", "label": "ex-07-newton-saddle",
         "chapter": "7. Optimizers", "doc": "07_optimizers"},
    ]
    assert exercise_index.mismatches(exercises) == []
    page = exercise_index.render(exercises)
    nielsen = section(page, "Nielsen")
    own = section(page, "The book's own exercises")
    assert "ex-07-nielsen-momentum" in nielsen and "ex-07-nielsen-momentum" not in own
    assert "| NNDL 7-2 |" in section(page, "NNDL") and "ex-07-nndl-7-2" not in own
    assert "ex-07-newton-saddle" in own


def test_exercise_index_rejects_a_title_that_contradicts_its_label(exercise_index) -> None:
    bad = [
        {"title": "NNDL 4-9", "label": "ex-09-learning-rate", "chapter": "9", "doc": "09_x"},
        {"title": "NNDL 4-9", "label": "ex-09-nndl-4-8", "chapter": "9", "doc": "09_x"},
        {"title": "Saddles", "label": "ex-07-nielsen-saddle", "chapter": "7", "doc": "07_x"},
    ]
    problems = exercise_index.mismatches(bad)
    assert len(problems) == 3
    assert "ex-09-learning-rate" in problems[0] and "the label says the book's own" in problems[0]
    assert "names NNDL 4-9, the label says NNDL 4-8" in problems[1]


def test_exercise_index_of_the_book_files_nielsen_momentum_under_nielsen(exercise_index) -> None:
    exercises = exercise_index.collect()
    assert exercise_index.mismatches(exercises) == []
    page = exercise_index.render(exercises)
    assert "ex-07-nielsen-momentum" in section(page, "Nielsen")
    assert "ex-07-nielsen-momentum" not in section(page, "The book's own exercises")


def test_exercise_index_says_check_quiz_both_or_neither(exercise_index) -> None:
    exercises = [
        {"title": "NNDL 7-2", "label": "ex-07-nndl-7-2", "chapter": "7. O", "doc": "07_o"},
        {"title": "NNDL 7-1", "label": "ex-07-nndl-7-1", "chapter": "7. O", "doc": "07_o"},
        {"title": "Saddles", "label": "ex-07-saddle", "chapter": "7. O", "doc": "07_o"},
        {"title": "Plain", "label": "ex-07-plain", "chapter": "7. O", "doc": "07_o"},
    ]
    covered = {"ex-07-nndl-7-2": {"check", "quiz"}, "ex-07-nndl-7-1": {"quiz"},
               "ex-07-saddle": {"check"}}
    page = exercise_index.render(exercises, covered)
    rows = {line.split("{ref}`")[1].split("`")[0]: line.rstrip(" |").rsplit("| ", 1)[1]
            for line in page.splitlines() if "{ref}`" in line}
    assert rows == {"ex-07-nndl-7-2": "check and quiz", "ex-07-nndl-7-1": "quiz",
                    "ex-07-saddle": "check", "ex-07-plain": "—"}
    assert "| exercise | where it is solved | self-test |" in section(page, "NNDL")
    assert "| chapter | exercise | self-test |" in section(page, "The book's own exercises")


def test_exercise_index_of_the_book_follows_the_registry(exercise_index) -> None:
    from nndl_book.exercises import CHECKS, QUIZZES

    page = exercise_index.render(exercise_index.collect())
    rows = {line.split("{ref}`")[1].split("`")[0]: line.rstrip(" |").rsplit("| ", 1)[1]
            for line in page.splitlines() if "{ref}`" in line}
    quizzed = {q.exercise for questions in QUIZZES.values() for q in questions}
    for label, column in rows.items():
        assert ("check" in column) == (label in CHECKS), label
        assert ("quiz" in column) == (label in quizzed), label
    assert set(CHECKS) <= set(rows) and quizzed <= set(rows)


def _widget_notebook(module, source: str, model_ids: list[str]) -> nbformat.NotebookNode:
    """A chapter read from ``source`` whose last code cell shows a box of sliders."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(part) if part.startswith("#") else
        nbformat.v4.new_code_cell(part) for part in source.split("\n\n")])
    box, *sliders = model_ids
    nb.cells[-1].outputs = [nbformat.v4.new_output(
        "display_data", {module.WIDGET_VIEW: {"model_id": box, "version_major": 2,
                                              "version_minor": 0}})]
    state = {box: {"model_name": "VBoxModel",
                   "state": {"children": [f"IPY_MODEL_{s}" for s in sliders]}}}
    state.update({s: {"model_name": "IntSliderModel", "state": {"value": i}}
                  for i, s in enumerate(sliders)})
    nb.metadata["widgets"] = {module.WIDGET_STATE: {"state": state, "version_major": 2,
                                                    "version_minor": 0}}
    return nb


def test_written_notebooks_have_derived_ids(notebooks) -> None:
    """Executing a chapter twice writes the same file: cell and widget ids are not random."""
    source = "# Title\n\nx = 1\n\nx = 1\n\nshow()"
    first = nbformat.reads(notebooks.stable_text(
        _widget_notebook(notebooks, source, ["a" * 32, "b" * 32, "c" * 32]), "09_a"), 4)
    again_text = notebooks.stable_text(
        _widget_notebook(notebooks, source, ["f" * 32, "e" * 32, "d" * 32]), "09_a")
    again = nbformat.reads(again_text, 4)
    assert nbformat.writes(first) == again_text  # other random ids, same file
    ids = [cell.id for cell in first.cells]
    assert len(set(ids)) == 4  # the two identical cells get different ids
    state = first.metadata.widgets[notebooks.WIDGET_STATE]["state"]
    box = first.cells[-1].outputs[0].data[notebooks.WIDGET_VIEW]["model_id"]
    assert "a" * 32 not in again_text and set(state) == set(again.metadata.widgets[
        notebooks.WIDGET_STATE]["state"])
    children = [ref.removeprefix("IPY_MODEL_") for ref in state[box]["state"]["children"]]
    assert [state[child]["state"]["value"] for child in children] == [0, 1]  # references kept
    nbformat.validate(first)

    edited = _widget_notebook(notebooks, source.replace("show()", "show(1)"),
                              ["a" * 32, "b" * 32, "c" * 32])
    edited = nbformat.reads(notebooks.stable_text(edited, "09_a"), 4)
    assert [cell.id for cell in edited.cells][:3] == ids[:3]  # unchanged cells keep their ids
    assert edited.cells[3].id != ids[3]
    other = nbformat.reads(notebooks.stable_text(
        _widget_notebook(notebooks, source, ["a" * 32, "b" * 32, "c" * 32]), "09_b"), 4)
    assert not set(ids) & {cell.id for cell in other.cells}  # another chapter, other ids


def test_printing_cut_into_several_messages_is_stored_as_one_output(notebooks) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1); print(2)")])
    new = nbformat.v4.new_output
    nb.cells[0].outputs = [new("stream", name="stdout", text="1\n"),
                           new("stream", name="stdout", text="2\n"),
                           new("stream", name="stderr", text="warning\n"),
                           new("execute_result", {"text/plain": "3"}, execution_count=1),
                           new("stream", name="stdout", text="4\n")]
    outputs = nbformat.reads(notebooks.stable_text(nb, "09_a"), 4).cells[0].outputs
    assert [(o.output_type, o.get("name"), o.get("text")) for o in outputs] == [
        ("stream", "stdout", "1\n2\n"), ("stream", "stderr", "warning\n"),
        ("execute_result", None, None), ("stream", "stdout", "4\n")]
