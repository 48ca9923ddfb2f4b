"""Insert the "your turn" cells and the self-test quiz into the py:percent chapters.

    python tools/your_turn.py                 # every chapter in chapters/
    python tools/your_turn.py 05_xor_relu     # some chapters
    python tools/your_turn.py --check         # exit 1 if a chapter lacks a cell it should have,
                                              # holds a stale one, or a check and the chapters
                                              # disagree

For every exercise with a check in ``nndl_book.exercises.CHECKS``, the cell ``CHECKS[label].cell``
(the stub, then ``check(label, ...)``) goes just before the exercise's ``{solution-start}``
marker, after a one-sentence markdown cell "**Your turn.** ...". The chapter's quiz
(``quiz("NN")``) goes in a "## Self-test" section just before "## Summary". The first inserted
code cell imports ``check`` and ``quiz`` (only ``quiz`` in a chapter without checks); the
chapter's own first cells (installation, setup) are never touched. A markdown cell that holds
both the exercise and the solution marker is split in two. Cells already present are written
again from the registry (:func:`refresh_cells`), so a changed description reaches the chapter
and the tool can run again. Run ``make notebooks`` afterwards to execute the chapters.

Before changing anything, the registry and the chapters are compared (:func:`audit`): a
registered check whose exercise is not in its chapter (renamed or removed), or a check call in a
chapter for a label with no registered check, is an error in both modes.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path

from nndl_book._atomic import write_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "chapters"
IMPORT = "from nndl_book.exercises import check, quiz"
QUIZ_IMPORT = "from nndl_book.exercises import quiz"  # a chapter with a quiz and no check
WIDTH = 100
HEADER = "# %% [markdown]"


def _cut(lines: list[str], at: int, cells: list[str]) -> list[str]:
    """Insert ``cells`` (py:percent text) before line ``at``, splitting its markdown cell."""
    before = lines[:at]
    starts_cell = bool(before) and before[-1].strip() == HEADER
    if starts_cell:
        before = before[:-1]
    while before and before[-1].strip() in {"", "#"}:
        before.pop()
    insert = "\n\n".join(cells).splitlines()
    return before + ["", ""] + insert + ["", "", HEADER] + lines[at:]


#: A word that would open a block (list item, heading, quote) at the start of a line.
BLOCK_MARKER = re.compile(r"^([*+-]|\d+[.)]|#{1,6}|>)$")


def markdown(text: str) -> str:
    """A py:percent markdown cell of ``text``, wrapped to the chapters' line length.

    A word such as ``*`` in ``z * sigmoid(z)`` is never wrapped to the start of a line, where
    Markdown would read it as a list item and cut the paragraph in two.
    """
    words = text.split(" ")
    glued = [words[0]]
    for word in words[1:]:
        if BLOCK_MARKER.match(word):
            glued[-1] += "\u00a0" + word  # textwrap does not break at a no-break space
        else:
            glued.append(word)
    lines = textwrap.wrap(" ".join(glued), WIDTH - 2, break_long_words=False,
                          break_on_hyphens=False)
    lines = [line.replace("\u00a0", " ") for line in lines]
    return "\n".join([HEADER] + [f"# {line}" for line in lines])


def your_turn_markdown(expects: str) -> str:
    return markdown(f"**Your turn.** Edit the cell below ({expects}), then run it.")


def insert_cells(text: str, chapter: str, checks: dict) -> str:
    """``text`` of chapter ``chapter`` ("05") with the missing your-turn and quiz cells added."""
    lines = text.splitlines()
    need_import = IMPORT not in text and QUIZ_IMPORT not in text
    inserted: list[str] = []
    for label, entry in checks.items():
        if entry.chapter != chapter or f'check("{label}"' in "\n".join(lines):
            continue
        marker = re.compile(r"^#\s*(`{3,}|:{3,})\{solution-start\}\s+" + re.escape(label) + r"\s*$")
        at = next((i for i, line in enumerate(lines) if marker.match(line)), None)
        if at is None:
            raise ValueError(f"chapter {chapter}: no solution-start marker for {label}")
        code = entry.cell
        inserted.append(code)
        lines = _cut(lines, at, [your_turn_markdown(entry.expects), f"# %%\n{code}"])
    if f'quiz("{chapter}")' not in "\n".join(lines):
        at = next((i for i, line in enumerate(lines) if line.strip() == "# ## Summary"), len(lines))
        quiz_cells = [f"{HEADER}\n# ## Self-test\n#\n"
                      + markdown("Click an answer: the page says whether it is right. It works "
                                 "on the website too, with no kernel.").split("\n", 1)[1],
                      f'# %%\nquiz("{chapter}")']
        inserted.append(f'quiz("{chapter}")')
        if at == len(lines):
            lines = lines + [""] + "\n\n".join(quiz_cells).splitlines()
        else:
            lines = _cut(lines, at, quiz_cells)
    out = "\n".join(lines) + "\n"
    has_check = any(code != f'quiz("{chapter}")' for code in inserted)
    if has_check and f"\n{QUIZ_IMPORT}\n" in out:  # a quiz-only chapter gains a check: the
        out = out.replace(f"\n{QUIZ_IMPORT}\n", "\n", 1)  # import moves to its first cell
        need_import = True
    if need_import and inserted:
        # the first inserted code cell, in the order of the chapter, imports check and quiz
        at = min(i for i in (out.find(f"# %%\n{code}\n") for code in inserted) if i >= 0)
        at += len("# %%\n")
        out = out[:at] + _with_import(out[at:], IMPORT if has_check else QUIZ_IMPORT)
    return out


def _with_import(code: str, line: str = IMPORT) -> str:
    """A your-turn code cell with the import ``line`` first: a blank line after it when the
    cell starts with a ``def``, as a formatter would put it."""
    return line + ("\n\n" if code.startswith("def ") else "\n") + code


def refresh_cells(text: str, chapter: str, checks: dict) -> tuple[str, list[str]]:
    """``text`` with the chapter's existing your-turn cells rewritten from the registry, and the
    labels whose cells changed.

    A check's description lives in its registration (``CHECKS[label].expects`` and ``.cell``);
    the chapter holds a copy, the "**Your turn.**" markdown line and the code cell that ends with
    ``check("label", ...)``. Both are written again from the registry, so a changed description
    reaches the chapter; the code cell keeps its import line, if it has one.
    """
    lines = text.splitlines()
    stale = []
    for label, entry in sorted(checks.items()):
        if entry.chapter != chapter:
            continue
        call = next((i for i, line in enumerate(lines) if line.startswith(f'check("{label}"')),
                    None)
        if call is None:
            continue
        headers = [i for i in range(call) if lines[i].startswith("# %%")]
        head = headers[-1] if headers else None  # the code cell that ends with the call
        start = headers[-2] if len(headers) > 1 else None  # the cell right before it
        if (head is None or start is None or lines[start].strip() != HEADER
                or not lines[start + 1].startswith("# **Your turn.**")):
            raise ValueError(f"chapter {chapter}: the check call of {label} does not follow a "
                             "markdown cell that starts with **Your turn.**")
        cell = _with_import(entry.cell) if lines[head + 1] == IMPORT else entry.cell
        new = your_turn_markdown(entry.expects).splitlines() + ["", "# %%"] + cell.splitlines()
        if lines[start:call + 1] != new:
            lines[start:call + 1] = new
            stale.append(label)
    return "\n".join(lines) + "\n", stale


LABEL = re.compile(r"^#\s*:label:\s*(ex-\S+)\s*$", re.M)
CALL = re.compile(r'^check\("(ex-[^"]+)"', re.M)


def audit(texts: dict[str, str], checks: dict, every_chapter: bool) -> list[str]:
    """Disagreements between the chapters ``texts`` ({"05": source}) and the registry ``checks``.

    With ``every_chapter``, ``texts`` is the whole book, so a check of a chapter not in it is an
    error too; otherwise only the checks of the chapters in ``texts`` are compared.
    """
    problems = []
    for label, entry in sorted(checks.items()):
        if entry.chapter not in texts:
            if every_chapter:
                problems.append(f"{label} has a check but there is no chapter {entry.chapter}")
        elif label not in LABEL.findall(texts[entry.chapter]):
            problems.append(f"{label} has a check but chapter {entry.chapter} has no exercise "
                            "with that label (renamed or removed? delete or rename its check)")
    for chapter, text in sorted(texts.items()):
        for label in CALL.findall(text):
            if label not in checks:
                problems.append(f"chapter {chapter} calls check(\"{label}\", ...) but no check "
                                "is registered for it (remove the stale your-turn cell)")
    return problems


def missing_cells(text: str, chapter: str, checks: dict) -> list[str]:
    """What the chapter lacks: the labels of its checked exercises without a your-turn cell, and
    its quiz."""
    missing = [label for label, entry in sorted(checks.items())
               if entry.chapter == chapter and f'check("{label}"' not in text]
    if f'quiz("{chapter}")' not in text:
        missing.append(f'quiz("{chapter}")')
    return missing


def main(argv: list[str] | None = None) -> int:
    from nndl_book.exercises import CHECKS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="chapters (default: all)")
    parser.add_argument("--check", action="store_true", help="only report missing cells")
    args = parser.parse_args(argv)
    paths = ([SOURCES / (n if n.endswith(".py") else f"{n}.py") for n in args.names]
             if args.names else sorted(SOURCES.glob("[0-9][0-9]_*.py")))
    for path in paths:
        if not path.exists():
            print(f"error: no chapter {path}", file=sys.stderr)
            return 1
    texts = {path.name[:2]: path.read_text() for path in paths}
    problems = audit(texts, CHECKS, every_chapter=not args.names)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    missing = []
    for path in paths:
        text = texts[path.name[:2]]
        for name in ("check", "quiz"):
            if re.search(rf"^def {name}\(", text, re.M):
                print(f"warning: {path.name} defines its own {name}(); the import of the "
                      f"your-turn cells rebinds it from there on: rename the chapter's function",
                      file=sys.stderr)
        try:
            refreshed, stale = refresh_cells(text, path.name[:2], CHECKS)
            new = insert_cells(refreshed, path.name[:2], CHECKS)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        if new != refreshed:
            lacks = missing_cells(text, path.name[:2], CHECKS)
            missing.append(f"{path.name} lacks {', '.join(lacks)}")
        if stale:
            missing.append(f"{path.name} has stale your-turn cells (the registered description "
                           f"changed): {', '.join(stale)}")
        if new != text and not args.check:
            write_text(path, new)
            print(f"wrote your-turn and quiz cells of {path.name}")
    if args.check and missing:
        print("chapters whose your-turn or quiz cells are missing or stale (run python "
              "tools/your_turn.py, then make notebooks):\n  " + "\n  ".join(missing),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
