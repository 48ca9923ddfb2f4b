"""Build the website in every language; extract the messages its translations start from.

    python tools/site.py build            # _build/html (English) and _build/html/zh (Chinese),
                                          # side by side on two cores
    python tools/site.py build en         # one edition

Both editions are Jupyter Book 1 builds of the same executed notebooks and the same
``_config.yml``; the Chinese one adds ``language = zh_CN`` (and numbers exercises 习题 N), so
Sphinx replaces each paragraph, heading, caption and admonition by its translation from
``locales/zh_CN/LC_MESSAGES`` (managed with sphinx-intl, see ``tools/i18n.py``). Code, outputs,
figures and widgets are the same files. Every build is strict: a warning (a broken reference, a
translation whose roles do not match its English message) fails it, after the whole edition has
been read.

:func:`gettext` (called by ``tools/i18n.py update`` and ``check``, which filter what it extracts)
reads the pages with Sphinx's message versioning, so it keeps its own doctrees, and
reads every page afresh (a change to the extensions can change what is extracted).
Every edition is built in a folder of its own (doctrees, outputs myst-nb extracts), so the two
can be built side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"

# edition -> (Sphinx language, where Sphinx writes it, where the site has it). myst-nb writes a
# notebook's extracted outputs beside Sphinx's output folder, so each edition is built in its own
# folder and the Chinese one is then copied under the English site.
EDITIONS = {
    "en": ("en", BUILD / "html", BUILD / "html"),
    "zh": ("zh_CN", BUILD / "zh" / "html", BUILD / "html" / "zh"),
}
# What else an edition sets: the Chinese one numbers exercises as NNDL does (习题 4-2), where
# sphinx-exercise's own catalogue would say 练习.
SETTINGS = {
    "en": {},
    "zh": {"numfig_format": {"exercise": "习题 %s"}},
}


def _sphinx(outdir: Path, doctrees: Path, builder: str, overrides: dict,
            fresh: bool = False) -> int:
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
        freshenv=fresh,
    )
    if isinstance(result, BaseException):
        raise result
    return int(result)


def build_edition(edition: str) -> int:
    language, outdir, published = EDITIONS[edition]
    status = _sphinx(outdir, outdir.parent / ".doctrees", "html",
                     {"language": language, **SETTINGS[edition]})
    if status == 0 and published != outdir:
        staging = published.with_name(published.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(outdir, staging)
        shutil.rmtree(published, ignore_errors=True)
        staging.rename(published)
    return status


def _build_in_process(edition: str) -> tuple[str, int, float, Path]:
    """Build one edition in a process of its own, its output in a log file."""
    log = BUILD / f"site-{edition}.log"
    print(f"== building the {edition} edition into "
          f"{EDITIONS[edition][2].relative_to(ROOT)} (log: {log.relative_to(ROOT)})", flush=True)
    start = time.perf_counter()
    with log.open("w") as handle:
        status = subprocess.run([sys.executable, __file__, "edition", edition], cwd=ROOT,
                                stdout=handle, stderr=subprocess.STDOUT, check=False).returncode
    return edition, status, time.perf_counter() - start, log


def build(editions: list[str], jobs: int) -> int:
    """Build the editions, ``jobs`` at a time, each in its own process; report each one's log.

    Every edition has its own doctrees and output folders, so two can run side by side.
    """
    BUILD.mkdir(exist_ok=True)
    failed = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in as_completed([pool.submit(_build_in_process, e) for e in editions]):
            edition, status, seconds, log = done.result()
            text = log.read_text(encoding="utf-8", errors="replace")
            warnings = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
            if status:
                failed.append(edition)
                print(f"== the {edition} edition FAILED after {seconds:.1f} s; its log ends:\n"
                      + "\n".join(text.splitlines()[-40:]), file=sys.stderr, flush=True)
            else:
                print(f"== the {edition} edition built in {seconds:.1f} s, "
                      f"{len(warnings)} warnings", flush=True)
            for line in warnings:
                print("   " + line, file=sys.stderr)
    return 1 if failed else 0


def gettext(outdir: Path, **overrides: object) -> int:
    """Write one message template per page into ``outdir``, every page read afresh."""
    return _sphinx(outdir, BUILD / "gettext-doctrees", "gettext", {"language": "en", **overrides},
                   fresh=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the website (every edition unless named)")
    b.add_argument("editions", nargs="*", metavar="EDITION", help=f"one of {', '.join(EDITIONS)}")
    b.add_argument("--jobs", type=int, default=min(len(EDITIONS), os.cpu_count() or 1),
                   help="editions built at the same time (default: one per core)")
    one = sub.add_parser("edition", help="build one edition in this process")
    one.add_argument("edition", choices=list(EDITIONS))
    args = parser.parse_args(argv)
    if args.command == "build":
        unknown = [name for name in args.editions if name not in EDITIONS]
        if unknown:
            parser.error(f"unknown edition {unknown[0]!r}: expected one of {', '.join(EDITIONS)}")
        if args.jobs < 1:
            parser.error(f"--jobs must be at least 1, got {args.jobs}")
        return build(args.editions or list(EDITIONS), args.jobs)
    return build_edition(args.edition)


if __name__ == "__main__":
    sys.exit(main())
