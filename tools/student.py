"""Write the student edition: the executed chapters with every solution removed.

    python tools/student.py              # book/chapters/*.ipynb -> book/student/*.ipynb
    python tools/student.py NAME ...     # some chapters (01_forward_propagation, ...)

A solution is everything between a ``{solution-start}`` directive and its ``{solution-end}``:
the rest of the markdown cell that opens it, every cell in between (text and code, with their
outputs) and the start of the cell that closes it. A one-block ``{solution}`` directive is removed
whole. The exercises, the "your turn" cells (stub and ``check(...)`` call) and every other cell
are kept; the outputs of the your-turn cells are cleared, so a learner starts from a blank check.
Each notebook is written atomically (temporary file, fsync, ``os.replace``); the tool refuses a
notebook whose solution markers do not pair up.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from nndl_book._atomic import write_text

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "book" / "chapters"
STUDENT = ROOT / "book" / "student"

# A MyST directive: opening fence of 3+ backticks or colons, the name, options, closing fence.
_FENCE = r"^(?P<f>`{3,}|:{3,})\{%s\}[^\n]*\n(?:.*?\n)??(?P=f)[ \t]*$\n?"
START = re.compile(_FENCE % "solution-start", re.M | re.S)
END = re.compile(_FENCE % "solution-end", re.M | re.S)
WHOLE = re.compile(_FENCE % "solution", re.M | re.S)
CHECK_CALL = re.compile(r"^\s*check\(\s*['\"]ex-\d\d-", re.M)


class SolutionMarkerError(ValueError):
    """The solution markers of a notebook do not pair up."""


def strip_markdown(source: str, in_solution: bool) -> tuple[str, bool]:
    """The parts of one markdown cell outside solutions, and whether a solution is still open."""
    source = WHOLE.sub("", source)
    kept, pos = [], 0
    while True:
        if not in_solution:
            start = START.search(source, pos)
            if start is None:
                kept.append(source[pos:])
                break
            kept.append(source[pos:start.start()])
            pos, in_solution = start.end(), True
        else:
            end = END.search(source, pos)
            if end is None:
                break
            if START.search(source, pos, end.start()):
                raise SolutionMarkerError("a solution-start inside an open solution")
            pos, in_solution = end.end(), False
    text = "".join(kept)
    if END.search(text):
        raise SolutionMarkerError("a solution-end without a solution-start")
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n"), in_solution


def is_check_cell(cell: nbformat.NotebookNode) -> bool:
    """A "your turn" cell: a code cell that calls ``check("ex-NN-...", ...)``."""
    return cell.cell_type == "code" and bool(CHECK_CALL.search(cell.source))


def student_edition(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solutions, with the outputs of check cells cleared."""
    out = copy.deepcopy(nb)
    cells, in_solution = [], False
    for cell in out.cells:
        if cell.cell_type == "markdown":
            cell.source, in_solution = strip_markdown(cell.source, in_solution)
            if cell.source.strip():
                cells.append(cell)
        elif not in_solution:
            if is_check_cell(cell):
                cell.outputs, cell.execution_count = [], None
            cells.append(cell)
    if in_solution:
        raise SolutionMarkerError("a solution-start without a solution-end")
    out.cells = cells
    return out


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path`` (atomically), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, nbformat.writes(nb))


def build(names: list[str] | None = None, source: Path = NOTEBOOKS,
          target: Path = STUDENT) -> list[Path]:
    """Write the student edition of the named chapters (all by default); return the paths."""
    if names:
        paths = [source / (n if n.endswith(".ipynb") else f"{n}.ipynb") for n in names]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise FileNotFoundError(f"no executed chapter {', '.join(missing)}")
    else:
        paths = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no executed chapters in {source}")
    # Convert everything first, so that a bad notebook leaves no half-written edition.
    editions = []
    for path in paths:
        try:
            editions.append(student_edition(nbformat.read(path, as_version=4)))
        except SolutionMarkerError as error:
            raise SolutionMarkerError(f"{path.name}: {error}") from None
    written = []
    for path, nb in zip(paths, editions):
        write_notebook(nb, target / path.name)
        written.append(target / path.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapters to convert (default: all)")
    args = parser.parse_args(argv)
    try:
        written = build(args.names)
    except (FileNotFoundError, SolutionMarkerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
