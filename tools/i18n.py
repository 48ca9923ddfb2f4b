"""The Chinese edition's message catalogues: extract, update, lint and check them.

    python tools/i18n.py update        # extract every page's messages into locales/zh_CN
    python tools/i18n.py check         # fail unless every message is translated, none fuzzy
    python tools/i18n.py lint [PO ...] # each message is translated, not fuzzy, keeps its maths,
                                       # code, roles, links, numbers and emphasis, and uses the
                                       # glossary's Chinese terms
    python tools/i18n.py stat          # translated / fuzzy / untranslated per page

Sphinx's ``gettext`` builder extracts the prose of every page (``tools/site.py``'s ``gettext``); one
``.po`` file per page lives in ``locales/zh_CN/LC_MESSAGES/`` and is updated with ``sphinx-intl``.
The API page's docstrings are documentation of the code and stay in English, like the code: they
are left out of the templates, so only the page's own prose is translated.

A message is written in MyST Markdown, the same source the English page is built from, so a
translation must keep every maths span, code span, role target (``{ref}``, ``{glue:text}``,
``{cite}``, ...) and link target of its English message, and every number. ``lint`` checks that,
that no English term of the glossary (``book/appendix/glossary.md``) is left in Chinese prose, and
that a section is referred to as 第 N 节, not §N.
``check`` extracts the messages afresh, so an English paragraph changed since the last ``update``
shows up as missing until its translation is updated too.
"""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "book" / "_ext"))
from nndl_glossary import glossary_terms  # noqa: E402  (the book's own module, beside the extension)

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_CN"
LOCALES = ROOT / "locales"
CATALOGUES = LOCALES / LANGUAGE / "LC_MESSAGES"
TEMPLATES = ROOT / "_build" / "gettext"
BUGS = "https://github.com/nndl-book/nndl-book/issues"
# pages whose prose is compared against the glossary (the glossary lists both sides itself)
GLOSSARY_EXEMPT = {"book/appendix/glossary"}


# ---------------------------------------------------------------- templates
def _load_site():
    import importlib.util

    spec = importlib.util.spec_from_file_location("nndl_site", ROOT / "tools" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_page_source(location: tuple[str, int | None]) -> bool:
    """True for a message written in a page; docstrings are located in ``src/`` instead."""
    return location[0].endswith((".md", ".ipynb"))


def extract(outdir: Path | None = None) -> dict[str, Catalog]:
    """Extract the templates, one per page, without the API's docstrings; write them into
    ``outdir`` when it is given.

    Returns the templates by page name (``book/chapters/01_forward_propagation``).
    """
    site = _load_site()
    with tempfile.TemporaryDirectory(prefix="nndl-gettext-") as raw:
        status = site.gettext(Path(raw), gettext_location=True)
        if status:
            raise SystemExit(f"message extraction failed (status {status})")
        templates = {}
        for path in sorted(Path(raw).rglob("*.pot")):
            page = path.relative_to(raw).with_suffix("").as_posix()
            if page == "sphinx":
                continue
            with path.open("rb") as handle:
                source = read_po(handle)
            template = Catalog(project="nndl-book", copyright_holder="The nndl-book authors",
                               msgid_bugs_address=BUGS, fuzzy=False)
            for message in source:
                if not message.id:
                    continue
                if not any(_in_page_source(location) for location in message.locations):
                    continue
                template.add(message.id, context=message.context)
            templates[page] = template
    if outdir is not None:
        for page, template in templates.items():
            target = outdir / f"{page}.pot"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                write_po(handle, template, width=0, no_location=True, omit_header=False)
    return templates


def update() -> int:
    """Extract the templates and merge them into the Chinese catalogues (sphinx-intl update)."""
    extract(TEMPLATES)
    command = [
        str(Path(sys.executable).with_name("sphinx-intl")), "update",
        "--pot-dir", str(TEMPLATES), "--locale-dir", str(LOCALES),
        "--language", LANGUAGE, "--line-width", "-1", "--no-obsolete",
    ]
    return subprocess.run(command, check=False).returncode


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def _pages(folder: Path, pattern: str) -> dict[str, Path]:
    """The files ``pattern`` under ``folder`` by page name (``book/intro``)."""
    return {path.relative_to(folder).with_suffix("").as_posix(): path
            for path in sorted(folder.rglob(pattern))}


def catalogues() -> dict[str, Path]:
    return _pages(CATALOGUES, "*.po")


# ---------------------------------------------------------------- check
@dataclass
class PageStatus:
    page: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def messages(self) -> int:
        return self.translated + self.fuzzy + self.untranslated


def status(templates: dict[str, Catalog]) -> tuple[list[PageStatus], list[str]]:
    """Compare the current templates with the catalogues; return per-page counts and problems."""
    problems = []
    pages = catalogues()
    result = []
    for page, template in sorted(templates.items()):
        wanted = {message.id for message in template if message.id}
        row = PageStatus(page)
        if page not in pages:
            row.untranslated = len(wanted)
            problems.append(f"{page}: no catalogue {CATALOGUES.relative_to(ROOT)}/{page}.po")
            result.append(row)
            continue
        catalogue = read_catalogue(pages[page])
        for message_id in sorted(wanted):
            message = catalogue.get(message_id)
            if message is None or not message.string:
                row.untranslated += 1
                problems.append(f"{page}: untranslated: {_short(message_id)}")
            elif message.fuzzy:
                row.fuzzy += 1
                problems.append(f"{page}: fuzzy: {_short(message_id)}")
            else:
                row.translated += 1
        result.append(row)
    for page in sorted(set(pages) - set(templates)):
        problems.append(f"{page}: catalogue for a page the book no longer has")
    return result, problems


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_status(rows: Iterable[PageStatus]) -> None:
    rows = list(rows)
    print(f"{'page':52} {'messages':>8} {'translated':>10} {'fuzzy':>6} {'untranslated':>12}")
    total = PageStatus("total", sum(r.translated for r in rows), sum(r.fuzzy for r in rows),
                       sum(r.untranslated for r in rows))
    for row in [*rows, total]:
        print(f"{row.page:52} {row.messages:8} {row.translated:10} {row.fuzzy:6} "
              f"{row.untranslated:12}")


def check() -> int:
    rows, problems = status(extract())
    print_status(rows)
    problems += lint(catalogues().values(), completeness=False)
    if problems:
        print(f"\n{len(problems)} problems (update with `python tools/i18n.py update`, then "
              "translate; see CONTRIBUTING.md, 'The Chinese edition'):", file=sys.stderr)
        for problem in problems[:200]:
            print("  " + problem, file=sys.stderr)
        return 1
    print("every message of every page is translated; none is fuzzy")
    return 0


# ---------------------------------------------------------------- lint
ROLE = re.compile(r"\{([a-z:-]+)\}`([^`]*)`")
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
CODE = re.compile(r"``.+?``|`[^`]+`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
URL = re.compile(r"https?://\S+")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
# a reference to an exercise shows "习题 N" (numfig_format), so the word before it is doubled
EXERCISE_WORD_BEFORE_REF = re.compile(r"(习题|练习)\s*\{ref\}`ex-")
SECTION_SIGN = re.compile(r"§\s*\d")  # the Chinese prose writes "第 7.3 节"
# roles whose whole content is a name (a label, a glue key, a citation key, a document)
TARGET_ROLES = {"ref", "numref", "doc", "eq", "cite", "footcite", "cite:p", "cite:t", "download",
                "term", "prf:ref", "math", "py:func", "py:class", "py:mod", "py:obj", "func",
                "class", "mod", "obj", "attr", "py:attr", "meth", "py:meth", "data", "py:data"}


def _role_key(name: str, content: str) -> str:
    """A role's identity: its name and target (``text <target>`` keeps the target only)."""
    target = re.search(r"<([^<>]+)>\s*$", content)
    if target and name not in {"math"}:
        return f"{name}:{target.group(1).strip()}"
    if name in TARGET_ROLES or name.startswith("glue"):  # every glue role names a key
        return f"{name}:{content.strip()}"
    return f"{name}:*"


@dataclass
class Parts:
    roles: Counter
    maths: Counter
    code: Counter
    links: Counter
    numbers: Counter
    prose: str


def parts(text: str) -> Parts:
    """Split a MyST message into what a translation keeps and the prose it translates."""
    roles = Counter(_role_key(n, c) for n, c in ROLE.findall(text))
    rest = ROLE.sub(" ", text)
    maths = Counter(m.strip() for m in DISPLAY_MATH.findall(rest))
    rest = DISPLAY_MATH.sub(" ", rest)
    maths += Counter(m.strip() for m in INLINE_MATH.findall(rest))
    rest = INLINE_MATH.sub(" ", rest)
    code = Counter(CODE.findall(rest))
    rest = CODE.sub(" ", rest)
    links = Counter(LINK.findall(rest))
    rest = LINK.sub("] ", rest)
    rest = URL.sub(" ", rest)
    numbers = Counter(NUMBER.findall(re.sub(r"(?<=\d),(?=\d{3})", "", rest)))
    return Parts(roles, maths, code, links, numbers, rest)


def _term_pattern(english: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[\s-]+", english.strip("*"))]
    # Latin letters only: a Chinese character next to the term is a word boundary too
    return re.compile(r"(?<![A-Za-z0-9_-])" + r"[\s-]+".join(words) + r"(?:e?s)?(?![A-Za-z0-9_-])",
                      re.I)


@functools.cache
def _commonmark() -> Any:
    """One CommonMark parser for every message (building one costs more than parsing)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def glossary_patterns() -> list[tuple[str, re.Pattern]]:
    """Each English glossary term and its pattern, for the terms whose Chinese does not itself
    contain the English word (ReLU, Logistic, ...)."""
    patterns = ((english, _term_pattern(english), chinese)
                for english, chinese in glossary_terms())
    return [(english, pattern) for english, pattern, chinese in patterns
            if not pattern.search(chinese)]


def _emphasis(text: str) -> tuple[int, int]:
    """How many emphasis and strong spans CommonMark finds, maths, code and roles masked.

    CommonMark only closes ``**`` that is followed by a space or punctuation when it is not
    preceded by punctuation, so ``**“术语”**之后`` stays literal asterisks in Chinese text.
    """
    masked = CODE.sub("X", INLINE_MATH.sub("X", DISPLAY_MATH.sub("X", ROLE.sub("X", text))))
    html = _commonmark().renderInline(masked)
    return html.count("<em>"), html.count("<strong>")


def lint_message(message_id: str, translation: str,
                 terms: list[tuple[str, re.Pattern]] | None = None) -> list[str]:
    """What a translation lost or kept in English; an empty list when it is fine."""
    english, chinese = parts(message_id), parts(translation)
    problems = []
    if _emphasis(message_id) != _emphasis(translation):
        problems.append(
            "emphasis differs (*…* and **…** spans; next to full-width punctuation put the "
            "markers outside it or leave a space)")
    for name in ("roles", "maths", "code", "links", "numbers"):
        want, got = getattr(english, name), getattr(chinese, name)
        if want != got:
            missing = list((want - got).elements())
            extra = list((got - want).elements())
            detail = "; ".join(
                part for part in (f"missing {missing}" if missing else "",
                                  f"not in the English {extra}" if extra else "") if part)
            problems.append(f"{name} differ: {detail}")
    if EXERCISE_WORD_BEFORE_REF.search(translation):
        problems.append("习题 before a reference to an exercise, which already reads 习题 N")
    if SECTION_SIGN.search(chinese.prose):
        problems.append("a section written §N: the Chinese edition writes 第 N 节")
    for english_term, pattern in terms or []:
        if pattern.search(chinese.prose):
            problems.append(f"glossary term {english_term!r} left in English")
    return problems


def lint(paths: Iterable[Path], completeness: bool = True) -> list[str]:
    """Every problem of the catalogues at ``paths``; ``completeness`` adds empty and fuzzy ones."""
    terms = glossary_patterns()
    problems = []
    for path in paths:
        page = path.relative_to(CATALOGUES).with_suffix("").as_posix()
        page_terms = [] if page in GLOSSARY_EXEMPT else terms
        for message in read_catalogue(path):
            if not message.id:
                continue
            if not message.string:
                if completeness:
                    problems.append(f"{page}: untranslated: {_short(message.id, 70)}")
                continue
            if message.fuzzy and completeness:
                problems.append(f"{page}: fuzzy: {_short(message.id, 70)}")
            for problem in lint_message(message.id, message.string, page_terms):
                problems.append(f"{page}: {problem}: {_short(message.id, 70)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="extract the messages and merge them into the catalogues")
    sub.add_parser("check", help="fail unless the translation is complete and lint-free")
    lint_parser = sub.add_parser("lint", help="lint translations (every catalogue by default)")
    lint_parser.add_argument("po", nargs="*", type=Path)
    sub.add_parser("stat", help="translated / fuzzy / untranslated per page")
    args = parser.parse_args(argv)
    if args.command == "update":
        return update()
    if args.command == "check":
        return check()
    if args.command == "lint":
        paths = [p.resolve() for p in args.po] or list(catalogues().values())
        problems = lint(paths)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problems in {len(paths)} catalogues")
        return 1 if problems else 0
    rows, _ = status(_templates_on_disk())
    print_status(rows)
    return 0


def _templates_on_disk() -> dict[str, Catalog]:
    if not TEMPLATES.is_dir():
        raise SystemExit("no templates in _build/gettext: run `python tools/i18n.py update` first")
    return {page: read_catalogue(path) for page, path in _pages(TEMPLATES, "*.pot").items()}


if __name__ == "__main__":
    sys.exit(main())
