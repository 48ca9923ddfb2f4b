"""Write the appendix's exercise index from the exercises in the chapters, or check it is current.

    python tools/exercise_index.py          # writes book/appendix/exercises.md
    python tools/exercise_index.py --check  # fails if the page is out of date

An exercise is a sphinx-exercise directive in the markdown of a chapter listed in _toc.yml, e.g.

    ```{exercise} NNDL 4-8
    :label: ex-02-nndl-4-8

The source of an exercise is read from its label, not from its title: labels are
`ex-NN-<source>-<rest>` (CONTRIBUTING.md), where `<source>` is `nndl` followed by the exercise
number (`ex-02-nndl-4-8`) or `nielsen` (`ex-07-nielsen-momentum`); any other label is one of the
book's own exercises, listed by chapter. A title that names NNDL or Nielsen while its label says
otherwise (or the reverse, or another NNDL number) is an error, so the two cannot drift apart.

A last column says how a learner can test themselves on each exercise, from
`nndl_book.exercises.coverage()`: a check (a "your turn" cell that judges the answer), a quiz
question (the chapter's self-test), both, or neither.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import yaml

from nndl_book._atomic import write_text

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "appendix" / "exercises.md"
DIRECTIVE = re.compile(r"^```\{exercise\}\s*(?P<title>.*?)\s*\n:label:\s*(?P<label>\S+)", re.M)
CHAPTER_TITLE = re.compile(r"^#\s+(?P<title>\d+\.\s.+)$", re.M)
LABEL_SOURCE = re.compile(
    r"^ex-\d+-(?:(?P<nndl>nndl)-(?P<number>\d+-\d+)|(?P<nielsen>nielsen))(?:-|$)")
TITLE_SOURCE = re.compile(r"\b(?P<book>NNDL|Nielsen)\b(?:\s+(?P<number>\d+-\d+))?")


def number_key(number: str | None) -> tuple:
    if not number:
        return (10**6,)
    return tuple(int(p) for p in number.split("-"))


def source_of(label: str) -> tuple[str | None, str | None]:
    """The book an exercise comes from and its number there, read from its label.

    Returns ``("NNDL", "4-8")`` for ``ex-02-nndl-4-8``, ``("Nielsen", None)`` for
    ``ex-07-nielsen-momentum`` and ``(None, None)`` for the book's own exercises.
    """
    m = LABEL_SOURCE.match(label)
    if not m:
        return None, None
    if m.group("nndl"):
        return "NNDL", m.group("number")
    return "Nielsen", None


def mismatches(exercises: list[dict[str, str]]) -> list[str]:
    """Exercises whose title names a different source (or NNDL number) than their label."""
    problems = []
    for ex in exercises:
        book, number = source_of(ex["label"])
        m = TITLE_SOURCE.search(ex["title"])
        title_book = m.group("book") if m else None
        title_number = m.group("number") if m else None
        if title_book != book or (book == "NNDL" and title_number != number):
            said = f"{title_book} {title_number or ''}".strip() if title_book else "no source"
            meant = f"{book} {number or ''}".strip() if book else "the book's own"
            problems.append(f"{ex['label']} ({ex['doc']}): the title {ex['title']!r} names "
                            f"{said}, the label says {meant}")
    return problems


def chapters_in_toc() -> list[str]:
    """Stems of the chapters the table of contents publishes, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [Path(f).name for f in files if f.startswith("book/chapters/")]


def collect() -> list[dict[str, str]]:
    found = []
    for stem in chapters_in_toc():
        source = ROOT / "chapters" / f"{stem}.py"
        nb = jupytext.read(source, fmt="py:percent")
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        heading = CHAPTER_TITLE.search(text)
        chapter = heading.group("title") if heading else source.stem
        for match in DIRECTIVE.finditer(text):
            found.append({"title": match.group("title"), "label": match.group("label"),
                          "chapter": chapter, "doc": source.stem})
    return found


SELF_TEST = {frozenset({"check", "quiz"}): "check and quiz", frozenset({"check"}): "check",
             frozenset({"quiz"}): "quiz", frozenset(): "—"}


def self_test(label: str, covered: dict[str, set[str]]) -> str:
    """The self-test column of ``label``: "check", "quiz", "check and quiz" or "—"."""
    return SELF_TEST[frozenset(covered.get(label, set()))]


def render(exercises: list[dict[str, str]],
           covered: dict[str, set[str]] | None = None) -> str:
    """The index page; ``covered`` is ``coverage()`` of :mod:`nndl_book.exercises` by default."""
    if covered is None:
        from nndl_book.exercises import coverage

        covered = coverage()
    lines = [
        "# Exercise index",
        "",
        "Every exercise the book answers, with a link to where it is set and solved. Solutions",
        "are in dropdowns under each exercise; the code in them runs with the chapter.",
        "",
        "The column *self-test* says how you can test yourself before opening a solution: a",
        "*check* is a \"your turn\" cell under the exercise, where you write your answer and",
        "`check(...)` says whether it is right; a *quiz* is a question of the chapter's",
        "self-test, which works on this website too; a dash marks an exercise with neither.",
        "",
    ]
    for book, heading in [("NNDL", "NNDL (Qiu Xipeng, *Neural Networks and Deep Learning*)"),
                          ("Nielsen", "Nielsen, *Neural Networks and Deep Learning*, chapter 3")]:
        rows = []
        for ex in exercises:
            source, number = source_of(ex["label"])
            if source == book:
                name = f"{book} {number}" if number else ex["title"]
                rows.append((number_key(number), name, ex))
        if not rows:
            continue
        lines += [f"## {heading}", "", "| exercise | where it is solved | self-test |",
                  "| --- | --- | --- |"]
        for _, name, ex in sorted(rows, key=lambda r: (r[0], r[2]["doc"])):
            lines.append(f"| {name} | {{ref}}`{ex['label']}` in "
                         f"{{doc}}`{ex['chapter']} <../chapters/{ex['doc']}>` | "
                         f"{self_test(ex['label'], covered)} |")
        lines.append("")
    own = [ex for ex in exercises if source_of(ex["label"])[0] is None]
    if own:
        lines += ["## The book's own exercises", "", "| chapter | exercise | self-test |",
                  "| --- | --- | --- |"]
        for ex in own:
            lines.append(f"| {{doc}}`{ex['chapter']} <../chapters/{ex['doc']}>` | "
                         f"{{ref}}`{ex['label']}` | {self_test(ex['label'], covered)} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the page is out of date")
    args = parser.parse_args()
    exercises = collect()
    labels = [ex["label"] for ex in exercises]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        sys.exit(f"error: exercise labels used more than once: {duplicates}")
    problems = mismatches(exercises)
    if problems:
        sys.exit("error: exercise titles and labels disagree about the source:\n  "
                 + "\n  ".join(problems))
    from nndl_book.exercises import coverage

    covered = coverage()
    unknown = sorted(set(covered) - set(labels))
    if unknown:
        sys.exit(f"error: checks or quiz questions for exercises not in the book: {unknown}")
    page = render(exercises, covered)
    if args.check:
        current = PAGE.read_text() if PAGE.exists() else ""
        if current != page:
            sys.exit(f"FAIL {PAGE.relative_to(ROOT)} is out of date: run `make notebooks`")
        print(f"ok   {PAGE.relative_to(ROOT)} lists all {len(exercises)} exercises")
        return
    write_text(PAGE, page)
    counts = {name: 0 for name in SELF_TEST.values()}
    for ex in exercises:
        counts[self_test(ex["label"], covered)] += 1
    print(f"wrote {PAGE.relative_to(ROOT)}: {len(exercises)} exercises ("
          + ", ".join(f"{n} {name}" for name, n in counts.items()) + ")")


if __name__ == "__main__":
    main()
