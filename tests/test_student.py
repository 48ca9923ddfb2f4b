"""The student edition (`make student`): no solution survives, and every check in it still runs."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from tool_modules import load_tool

from nndl_book.exercises import check, quiz

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def student():
    return load_tool("student")


YOUR_TURN = 'answer = (..., ..., ..., ...)  # edit\ncheck("ex-05-nndl-4-2", answer)'


def fixture_notebook() -> nbformat.NotebookNode:
    """A chapter with two exercises in the shapes the book uses, and known solution content."""
    stale = new_output("execute_result", {"text/plain": "ex-05-nndl-4-2: correct — stale"},
                       execution_count=3)
    return new_notebook(cells=[
        new_markdown_cell("# 5. A chapter\n\nKEEP_INTRO"),
        new_code_cell("import numpy as np\nfrom nndl_book.exercises import check"),
        new_markdown_cell("## Exercises\n\n```{exercise} NNDL 4-2\n:label: ex-05-nndl-4-2\n"
                          "KEEP_QUESTION_1\n```"),
        new_markdown_cell("**Your turn.** Replace `...` and run the cell."),
        new_code_cell(YOUR_TURN, outputs=[stale], execution_count=3),
        new_markdown_cell("```{solution-start} ex-05-nndl-4-2\n:class: dropdown\n```\n\n"
                          "SECRET_TEXT_1 with a formula $h_1 = x_1 + x_2$."),
        new_code_cell("SECRET_CODE_1 = 42\nprint(SECRET_CODE_1)",
                      outputs=[new_output("stream", name="stdout", text="SECRET_OUTPUT_1\n")]),
        new_markdown_cell("```{solution-end}\n```\n\n```{exercise} Inverting\n"
                          ":label: ex-04-nielsen-inverting\nKEEP_QUESTION_2\n```\n\n"
                          "```{solution-start} ex-04-nielsen-inverting\n:class: dropdown\n```\n\n"
                          "SECRET_TEXT_2"),
        new_code_cell("secret_code_2()"),
        new_markdown_cell("SECRET_TEXT_3\n\n```{solution-end}\n```\n\n"
                          "````{solution} ex-04-nielsen-inverting\n:class: dropdown\n"
                          "SECRET_TEXT_4\n````\n\n## Summary\n\nKEEP_SUMMARY"),
        new_code_cell('quiz("05")', outputs=[new_output("display_data",
                                                        {"text/plain": "KEEP_QUIZ_OUTPUT"})]),
    ])


def all_text(nb: nbformat.NotebookNode) -> str:
    """Every cell's source and every output's text, as a reader of the notebook sees them."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [str(v) for v in output.get("data", {}).values()]
    return "\n".join(parts)


def test_fixture_loses_every_solution_and_keeps_the_rest(student) -> None:
    out = student.student_edition(fixture_notebook())
    text = all_text(out)
    assert not re.findall(r"SECRET_\w+|secret_code", text)
    assert not re.search(r"\{solution(-start|-end)?\}", text)
    for kept in ("KEEP_INTRO", "KEEP_QUESTION_1", "KEEP_QUESTION_2", "KEEP_SUMMARY",
                 "KEEP_QUIZ_OUTPUT", "**Your turn.**", YOUR_TURN):
        assert kept in text, kept
    your_turn = [c for c in out.cells if c.cell_type == "code" and "check(" in c.source]
    assert len(your_turn) == 1
    assert your_turn[0].outputs == [] and your_turn[0].execution_count is None


def test_fixture_check_cells_run(student) -> None:
    out = student.student_edition(fixture_notebook())
    results = [run_check_cell(c.source) for c in out.cells if student.is_check_cell(c)]
    assert [str(r) for r in results] == [
        "ex-05-nndl-4-2: not attempted yet — replace `...` with your weights (W1, b1, W2, b2) "
        "of shapes (2, 2), (2,), (1, 2), (1,)"]


def run_check_cell(source: str):
    """Run a your-turn cell as the notebook would, returning the value of its last line."""
    namespace = {"np": np, "math": math, "check": check, "quiz": quiz}
    *body, last = source.rstrip().splitlines()
    exec("\n".join(body), namespace)  # noqa: S102 - cells of the book's own notebooks
    return eval(last, namespace)  # noqa: S307


@pytest.mark.parametrize(("cells", "fragment"), [
    ([new_markdown_cell("```{solution-start} ex-01-a\n```\n\ntext")],
     "a solution-start without a solution-end"),
    ([new_markdown_cell("```{solution-end}\n```")], "a solution-end without a solution-start"),
    ([new_markdown_cell("```{solution-start} a\n```"), new_markdown_cell("```{solution-start} b\n"
                                                                         "```\n```{solution-end}"
                                                                         "\n```")],
     "a solution-start inside an open solution"),
])
def test_unpaired_markers_are_refused(student, cells, fragment: str) -> None:
    with pytest.raises(student.SolutionMarkerError, match=fragment):
        student.student_edition(new_notebook(cells=cells))


def test_build_writes_all_or_nothing(student, tmp_path: Path) -> None:
    source, target = tmp_path / "chapters", tmp_path / "student"
    source.mkdir()
    nbformat.write(fixture_notebook(), source / "05_a.ipynb")
    bad = new_notebook(cells=[new_markdown_cell("```{solution-start} x\n```")])
    nbformat.write(bad, source / "06_b.ipynb")
    with pytest.raises(student.SolutionMarkerError, match="06_b.ipynb"):
        student.build(source=source, target=target)
    assert not target.exists() or not list(target.iterdir())
    (source / "06_b.ipynb").unlink()
    written = student.build(source=source, target=target)
    assert [p.name for p in written] == ["05_a.ipynb"]
    assert [p.name for p in target.iterdir()] == ["05_a.ipynb"]  # no temporary file left
    assert "SECRET" not in (target / "05_a.ipynb").read_text()
    with pytest.raises(FileNotFoundError, match="no executed chapter"):
        student.build(["07_missing"], source=source, target=target)


# ---------------------------------------------------------------- the book's own chapters

def solution_only_lines(chapter: Path) -> set[str]:
    """Code lines of the jupytext chapter that occur only inside solutions (read from the .py)."""
    inside, outside, in_solution = set(), set(), False
    for line in chapter.read_text().splitlines():
        if "{solution-start}" in line:
            in_solution = True
        elif "{solution-end}" in line:
            in_solution = False
        stripped = line.strip()
        if stripped.startswith("#") or len(stripped) < 12:
            continue
        (inside if in_solution else outside).add(stripped)
    return inside - outside


@pytest.fixture(scope="module")
def real_editions(student, tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    target = tmp_path_factory.mktemp("student")
    written = student.build(target=target)
    return {p.stem: nbformat.read(p, as_version=4) for p in written}


def test_every_chapter_has_a_student_edition(real_editions) -> None:
    chapters = sorted(p.stem for p in (ROOT / "book" / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(real_editions) == chapters


def test_no_solution_survives_in_the_real_chapters(real_editions) -> None:
    for stem, nb in real_editions.items():
        text = all_text(nb)
        assert not re.search(r"\{solution(-start|-end)?\}", text), stem
        code = {line.strip() for c in nb.cells if c.cell_type == "code"
                for line in c.source.splitlines()}
        leaked = sorted(solution_only_lines(ROOT / "chapters" / f"{stem}.py") & code)
        assert not leaked, (stem, leaked[:3])
        labels = re.findall(r":label: (ex-\S+)", (ROOT / "chapters" / f"{stem}.py").read_text())
        assert all(f":label: {label}" in text for label in labels), stem  # exercises stay


def test_every_check_in_the_real_chapters_runs(student, real_editions) -> None:
    for stem, nb in real_editions.items():
        for cell in nb.cells:
            if student.is_check_cell(cell):
                assert not cell.outputs
                result = run_check_cell(cell.source)
                assert result.status == "not attempted", (stem, str(result))


# ---------------------------------------------------------------- inserting the your-turn cells

@pytest.fixture(scope="module")
def your_turn():
    return load_tool("your_turn")


CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_your_turn_cells_sit_before_their_solutions(your_turn, student, path: Path) -> None:
    import jupytext

    from nndl_book.exercises import CHECKS

    chapter = path.name[:2]
    text = your_turn.insert_cells(path.read_text(), chapter, CHECKS)
    assert your_turn.insert_cells(text, chapter, CHECKS) == text  # runs again: no change
    assert text.count(your_turn.IMPORT) + text.count(f"{your_turn.QUIZ_IMPORT}\n") == 1
    nb = jupytext.reads(text, fmt="py:percent")
    sources = [c.source for c in nb.cells]
    labels = [label for label, entry in CHECKS.items() if entry.chapter == chapter]
    for label in labels:
        calls = [i for i, s in enumerate(sources) if f'check("{label}"' in s]
        assert len(calls) == 1, label
        exercise = next(i for i, s in enumerate(sources) if f":label: {label}" in s)
        start = next(i for i, s in enumerate(sources) if f"{{solution-start}} {label}" in s)
        assert exercise < calls[0] < start, label
    assert sum(s.strip().endswith(f'quiz("{chapter}")') for s in sources) == 1
    edition = student.student_edition(nb)
    check_cells = [c for c in edition.cells if student.is_check_cell(c)]
    assert len(check_cells) == len(labels)
    for cell in check_cells:
        assert run_check_cell(cell.source).status == "not attempted"


def _copy_chapters(tmp_path: Path) -> list[str]:
    for path in CHAPTERS:
        shutil.copy(path, tmp_path / path.name)
    return sorted(p.name for p in CHAPTERS)


def test_your_turn_check_mode(your_turn, tmp_path: Path, monkeypatch) -> None:
    names = _copy_chapters(tmp_path)
    monkeypatch.setattr(your_turn, "SOURCES", tmp_path)
    if your_turn.main(["--check"]) == 0:  # the book has its cells: remove one chapter's
        shutil.copy(ROOT / "chapters" / "05_xor_relu.py", tmp_path / "05_xor_relu.py")
        text = (tmp_path / "05_xor_relu.py").read_text()
        cut = text.index('quiz("05")')
        (tmp_path / "05_xor_relu.py").write_text(text[:cut] + text[cut + len('quiz("05")'):])
        assert your_turn.main(["--check"]) == 1
    assert your_turn.main([]) == 0
    assert your_turn.main(["--check"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary file left


def test_your_turn_check_names_the_missing_cell(your_turn, tmp_path: Path, monkeypatch,
                                                capsys) -> None:
    _copy_chapters(tmp_path)
    monkeypatch.setattr(your_turn, "SOURCES", tmp_path)
    assert your_turn.main([]) == 0
    path = tmp_path / "05_xor_relu.py"
    text = path.read_text()
    cell = text.index('check("ex-05-width"')
    path.write_text(text[:cell] + text[cell:].replace('check("ex-05-width", ', "print(", 1))
    assert your_turn.main(["--check"]) == 1
    assert "05_xor_relu.py lacks ex-05-width" in capsys.readouterr().err


def test_your_turn_check_fails_on_a_check_without_its_exercise(your_turn, tmp_path: Path,
                                                               monkeypatch, capsys) -> None:
    from nndl_book.exercises import CHECKS

    _copy_chapters(tmp_path)
    monkeypatch.setattr(your_turn, "SOURCES", tmp_path)
    assert your_turn.main([]) == 0
    stale = CHECKS["ex-05-width"]
    monkeypatch.setitem(CHECKS, "ex-05-gone", type(stale)("ex-05-gone", "05", stale.expects,
                                                          stale.stub, stale.judge))
    assert your_turn.main(["--check"]) == 1
    assert "ex-05-gone has a check but chapter 05 has no exercise" in capsys.readouterr().err
    monkeypatch.setitem(CHECKS, "ex-11-new", type(stale)("ex-11-new", "11", stale.expects,
                                                         stale.stub, stale.judge))
    monkeypatch.delitem(CHECKS, "ex-05-gone")
    assert your_turn.main([]) == 1  # writes nothing either
    assert "ex-11-new has a check but there is no chapter 11" in capsys.readouterr().err
    assert your_turn.main(["05_xor_relu"]) == 0  # one chapter: only its checks are compared


def test_your_turn_check_fails_on_a_stale_your_turn_cell(your_turn, tmp_path: Path,
                                                         monkeypatch, capsys) -> None:
    from nndl_book.exercises import CHECKS

    _copy_chapters(tmp_path)
    monkeypatch.setattr(your_turn, "SOURCES", tmp_path)
    assert your_turn.main([]) == 0
    monkeypatch.delitem(CHECKS, "ex-05-width")
    assert your_turn.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert 'chapter 05 calls check("ex-05-width", ...) but no check is registered' in err


def test_your_turn_rewrites_a_cell_whose_description_changed(your_turn, tmp_path: Path,
                                                             monkeypatch, capsys) -> None:
    from nndl_book.exercises import CHECKS

    _copy_chapters(tmp_path)
    monkeypatch.setattr(your_turn, "SOURCES", tmp_path)
    assert your_turn.main([]) == 0
    capsys.readouterr()
    old = CHECKS["ex-05-width"]
    stub = old.stub.replace("# edit: return", "# edit: give back")
    monkeypatch.setitem(CHECKS, "ex-05-width", type(old)(old.label, "05", "a renamed answer", stub,
                                                         old.judge))
    assert your_turn.main(["--check"]) == 1
    assert ("05_xor_relu.py has stale your-turn cells (the registered description changed): "
            "ex-05-width") in capsys.readouterr().err
    assert your_turn.main([]) == 0
    text = (tmp_path / "05_xor_relu.py").read_text()
    assert "# **Your turn.** Edit the cell below (a renamed answer), then run it." in text
    assert f"{stub}\n\ncheck(\"ex-05-width\", my_p_few)" in text
    assert old.expects not in text
    assert your_turn.main(["--check"]) == 0


def test_your_turn_line_never_starts_a_markdown_block(your_turn) -> None:
    """Wrapped at a " * " or " - ", the your-turn paragraph would become a list."""
    for pad in range(60):
        text = your_turn.your_turn_markdown("x" * pad + " the derivative of z * sigmoid(beta * z)"
                                            " - a - 1. and # > + done")
        lines = [line[2:] for line in text.splitlines()[1:]]
        assert " ".join(lines).startswith("**Your turn.**")
        assert all(len(line) <= 98 for line in lines)
        for line in lines[1:]:
            assert not your_turn.BLOCK_MARKER.match(line.split(" ", 1)[0]), line


def test_a_your_turn_cell_without_its_markdown_line_is_an_error(your_turn) -> None:
    """A check call whose cell does not follow a "Your turn" line is reported, and nothing
    before it (another exercise's cells, a tagged cell) is taken for its cell."""
    from nndl_book.exercises import CHECKS

    entry = CHECKS["ex-05-width"]
    other = your_turn.your_turn_markdown("something else")
    text = (f"{other}\n\n# %%\nanswer = ...\n\n# %% [markdown]\n# The exercise text.\n\n"
            f"# %% tags=[\"hide-input\"]\n{entry.cell}\n")
    with pytest.raises(ValueError, match="does not follow a markdown cell that starts with"):
        your_turn.refresh_cells(text, "05", {"ex-05-width": entry})
    text = f"# %%\n{entry.cell}\n"
    with pytest.raises(ValueError, match="does not follow a markdown cell that starts with"):
        your_turn.refresh_cells(text, "05", {"ex-05-width": entry})
