"""Build the website in every language, or extract the messages its translations start from.

    python tools/site.py build            # _build/html (English) and _build/html/zh (Chinese)
    python tools/site.py build en         # one edition
    python tools/site.py gettext          # _build/gettext/**/*.pot, one template per page

Both editions are Jupyter Book 1 builds of the same executed notebooks and the same
``_config.yml``; the Chinese one only adds ``language = zh_CN``, so Sphinx replaces each paragraph,
heading, caption and admonition by its translation from ``locales/zh_CN/LC_MESSAGES`` (managed with
sphinx-intl, see ``tools/i18n.py``). Code, outputs, figures and widgets are the same files.
Every build is strict: a warning (a broken reference, a translation whose roles do not match its
English message) fails it, after the whole edition has been read.

``gettext`` reads the pages with Sphinx's message versioning, so it keeps its own doctrees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"

# language code -> (Sphinx language, output directory, doctrees)
EDITIONS = {
    "en": ("en", BUILD / "html", BUILD / ".doctrees"),
    "zh": ("zh_CN", BUILD / "html" / "zh", BUILD / ".doctrees-zh"),
}
GETTEXT = BUILD / "gettext"


def _sphinx(outdir: Path, doctrees: Path, builder: str, overrides: dict) -> int:
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        str(ROOT),
        str(outdir),
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides={
            "external_toc_path": "_toc.yml",
            "latex_individualpages": False,
            "nitpicky": True,
            **overrides,
        },
        doctreedir=str(doctrees),
        builder=builder,
        warningiserror=True,
        keep_going=True,
    )
    if isinstance(result, BaseException):
        raise result
    return int(result)


def build(editions: list[str]) -> int:
    for edition in editions:
        language, outdir, doctrees = EDITIONS[edition]
        print(f"== {edition}: {outdir.relative_to(ROOT)}", flush=True)
        status = _sphinx(outdir, doctrees, "html", {"language": language})
        if status:
            print(f"the {edition} edition failed to build (status {status})", file=sys.stderr)
            return status
    return 0


def gettext(outdir: Path = GETTEXT, **overrides: object) -> int:
    """Write one message template per page into ``outdir``."""
    return _sphinx(outdir, BUILD / ".doctrees-gettext", "gettext", {"language": "en", **overrides})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the website (every edition unless named)")
    b.add_argument("editions", nargs="*", metavar="EDITION", help=f"one of {', '.join(EDITIONS)}")
    sub.add_parser("gettext", help="extract the message templates into _build/gettext")
    args = parser.parse_args(argv)
    if args.command == "build":
        unknown = [name for name in args.editions if name not in EDITIONS]
        if unknown:
            parser.error(f"unknown edition {unknown[0]!r}: expected one of {', '.join(EDITIONS)}")
        return build(args.editions or list(EDITIONS))
    return gettext()


if __name__ == "__main__":
    sys.exit(main())
