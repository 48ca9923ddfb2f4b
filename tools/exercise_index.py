"""Write the appendix's exercise index from the exercises in the chapters, or check it is current.

    python tools/exercise_index.py          # writes book/appendix/exercises.md
    python tools/exercise_index.py --check  # fails if the page is out of date

An exercise is a sphinx-exercise directive in the markdown of a chapter listed in _toc.yml, e.g.

    ```{exercise} NNDL 4-8
    :label: ex-02-nndl-4-8

Titles that start with "NNDL" or "Nielsen" are listed under that book by number; the others are
the book's own exercises, listed by chapter.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "appendix" / "exercises.md"
DIRECTIVE = re.compile(r"^```\{exercise\}\s*(?P<title>.*?)\s*\n:label:\s*(?P<label>\S+)", re.M)
CHAPTER_TITLE = re.compile(r"^#\s+(?P<title>\d+\.\s.+)$", re.M)
SOURCE = re.compile(r"^(?P<book>NNDL|Nielsen)\b[\s,:]*(?P<number>\d+-\d+)?[\s,:]*(?P<rest>.*)$")


def number_key(number: str | None) -> tuple:
    if not number:
        return (10**6,)
    return tuple(int(p) for p in number.split("-"))


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


def render(exercises: list[dict[str, str]]) -> str:
    lines = [
        "# Exercise index",
        "",
        "Every exercise the book answers, with a link to where it is set and solved. Solutions",
        "are in dropdowns under each exercise; the code in them runs with the chapter.",
        "",
    ]
    for book, heading in [("NNDL", "NNDL (Qiu Xipeng, *Neural Networks and Deep Learning*)"),
                          ("Nielsen", "Nielsen, *Neural Networks and Deep Learning*, chapter 3")]:
        rows = []
        for ex in exercises:
            m = SOURCE.match(ex["title"])
            if m and m.group("book") == book:
                name = f"{book} {m.group('number')}" if m.group("number") else ex["title"]
                rows.append((number_key(m.group("number")), name, ex))
        if not rows:
            continue
        lines += [f"## {heading}", "", "| exercise | where it is solved |", "| --- | --- |"]
        for _, name, ex in sorted(rows, key=lambda r: (r[0], r[2]["doc"])):
            lines.append(f"| {name} | {{ref}}`{ex['label']}` in "
                         f"{{doc}}`{ex['chapter']} <../chapters/{ex['doc']}>` |")
        lines.append("")
    own = [ex for ex in exercises if not SOURCE.match(ex["title"])]
    if own:
        lines += ["## The book's own exercises", "", "| chapter | exercise |", "| --- | --- |"]
        for ex in own:
            lines.append(f"| {{doc}}`{ex['chapter']} <../chapters/{ex['doc']}>` | "
                         f"{{ref}}`{ex['label']}` |")
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
    page = render(exercises)
    if args.check:
        current = PAGE.read_text() if PAGE.exists() else ""
        if current != page:
            sys.exit(f"FAIL {PAGE.relative_to(ROOT)} is out of date: run `make notebooks`")
        print(f"ok   {PAGE.relative_to(ROOT)} lists all {len(exercises)} exercises")
        return
    PAGE.write_text(page)
    print(f"wrote {PAGE.relative_to(ROOT)}: {len(exercises)} exercises")


if __name__ == "__main__":
    main()
