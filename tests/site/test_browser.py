"""Open every page of the built website in Debian's chromium, offline, as a reader would.

Each page is served from 127.0.0.1 and must load with no failed request, no request to another
host, no console error; every formula must be typeset by MathJax and every widget rendered. On
every explorer, each control is moved and the picture must change to the frame drawn for the
control's new value.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Debian's chromium by default; CHROMIUM=/path/to/chrome for another build, or CHROMIUM=bundled
# for the browser `playwright install chromium` downloads (e.g. on a hosted CI runner).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def site_pages(root: Path) -> list[str]:
    pages = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("_"):
            continue
        pages.append(rel)
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = None if CHROMIUM == "bundled" else CHROMIUM
    if executable is not None and not Path(executable).exists():
        pytest.fail("chromium is not installed: `make chromium` installs Debian's package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class PageLog:
    """Everything a page did that a reader with no network would notice."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.off_host: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _route(self, route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or url.startswith(self.origin):
            route.continue_()
        else:
            self.off_host.append(url)
            route.abort()

    def _response(self, response) -> None:  # noqa: ANN001
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _console(self, msg) -> None:  # noqa: ANN001
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text}")


def open_page(browser: Browser, server: str, rel: str) -> tuple[Page, PageLog]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = PageLog(page, server)
    page.goto(f"{server}/{rel}", wait_until="load", timeout=90_000)
    page.wait_for_load_state("networkidle", timeout=90_000)
    return page, log


def wait_for_mathjax(page: Page) -> None:
    has_math = page.evaluate("document.querySelectorAll('.math').length > 0")
    if not has_math:
        return
    page.wait_for_function(
        "window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000
    )
    page.evaluate("MathJax.startup.promise")


def wait_for_widgets(page: Page) -> int:
    n_views = page.evaluate(
        "document.querySelectorAll("
        "'script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )
    if n_views:
        page.wait_for_function(
            """(n) => document.querySelectorAll('.widget-subarea > .jupyter-widgets,'
                     + ' .widget-subarea > .lm-Widget').length >= n""",
            arg=n_views, timeout=90_000,
        )
    return n_views


RAW_TEX = re.compile(r"(\$\$|\\\(|\\\[|\$[^$\s][^$]*\\[a-zA-Z]+[^$]*\$)")


def untypeset_math(page: Page) -> list[str]:
    """Formulas MathJax did not typeset and TeX left raw in the prose."""
    return page.evaluate(
        """() => {
            const bad = [];
            for (const el of document.querySelectorAll('.math')) {
                if (!el.querySelector('mjx-container')) bad.push(el.textContent.slice(0, 80));
            }
            const article = document.querySelector('article') || document.body;
            const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const skip = 'pre, code, script, style, mjx-container, .math';
                if (node.parentElement.closest(skip)) continue;
                bad.push('TEXT:' + node.textContent);
            }
            return bad;
        }"""
    )


@pytest.fixture(scope="session")
def pages(site_dir: Path) -> list[str]:
    found = site_pages(site_dir)
    assert "index.html" in found, "the site has no index.html"
    return found


def test_site_has_the_chapters(pages: list[str]) -> None:
    chapters = [p for p in pages if p.startswith("book/chapters/")]
    assert chapters, f"no chapter pages among {pages}"


def test_every_page_offline(browser: Browser, server: str, pages: list[str]) -> None:
    problems: dict[str, list[str]] = {}
    for rel in pages:
        page, log = open_page(browser, server, rel)
        issues: list[str] = []
        try:
            wait_for_mathjax(page)
            wait_for_widgets(page)
            page.wait_for_timeout(300)
            raw = [t for t in untypeset_math(page) if not t.startswith("TEXT:")]
            raw += [t[5:80] for t in untypeset_math(page)
                    if t.startswith("TEXT:") and RAW_TEX.search(t)]
            issues += [f"untypeset math: {t!r}" for t in raw]
            errors = page.evaluate(
                "Array.from(document.querySelectorAll('.widget-subarea')).filter("
                "e => /Error displaying widget/.test(e.textContent)).length"
            )
            if errors:
                issues.append(f"{errors} widget(s) show 'Error displaying widget'")
        finally:
            page.close()
        issues += [f"request to another host: {u}" for u in log.off_host]
        issues += [f"failed request: {u}" for u in log.failed]
        issues += log.errors
        if issues:
            problems[rel] = issues
    assert not problems, "\n".join(
        f"{rel}:\n  " + "\n  ".join(issues) for rel, issues in problems.items()
    )


def visible_caption(explorer) -> str:  # noqa: ANN001
    captions = explorer.locator(".nndl-caption")
    texts = [captions.nth(i).inner_text() for i in range(captions.count())
             if captions.nth(i).is_visible()]
    assert len(texts) == 1, f"expected one visible frame caption, found {texts}"
    return texts[0]


def move_control(control) -> str:  # noqa: ANN001
    """Change a control as a reader would; return the label = value text it then shows."""
    label = control.locator(".widget-label").first.inner_text().strip()
    if control.locator(".noUi-handle").count():
        handle = control.locator(".noUi-handle").first
        before = control.locator(".widget-readout").first.inner_text().strip()
        handle.focus()
        handle.press("ArrowRight")
        after = control.locator(".widget-readout").first.inner_text().strip()
        if after == before:
            handle.press("ArrowLeft")
            handle.press("ArrowLeft")
            after = control.locator(".widget-readout").first.inner_text().strip()
        assert after != before, f"slider {label!r} did not move"
        return f"{label} = {after}"
    buttons = control.locator("button")
    if buttons.count():
        for i in range(buttons.count()):
            if "mod-active" not in (buttons.nth(i).get_attribute("class") or ""):
                buttons.nth(i).click()
                return f"{label} = {buttons.nth(i).inner_text().strip()}"
    select = control.locator("select")
    if select.count():
        options = select.locator("option").all_inner_texts()
        current = select.input_value()
        for i, text in enumerate(options):
            value = select.locator("option").nth(i).get_attribute("value")
            if value != current:
                select.select_option(value=value)
                return f"{label} = {text.strip()}"
    raise AssertionError(f"cannot operate control {label!r}")


def test_explorers_respond_without_a_kernel(browser: Browser, server: str,
                                            pages: list[str]) -> None:
    moved = 0
    for rel in [p for p in pages if p.startswith("book/chapters/")]:
        page, log = open_page(browser, server, rel)
        try:
            wait_for_widgets(page)
            explorers = page.locator(".nndl-explorer")
            for e in range(explorers.count()):
                explorer = explorers.nth(e)
                controls = explorer.locator(
                    ".widget-hslider, .widget-toggle-buttons, .widget-dropdown"
                )
                assert controls.count() >= 1, f"{rel}: explorer {e + 1} has no control"
                for c in range(controls.count()):
                    before_caption = visible_caption(explorer)
                    before_image = explorer.locator("img").evaluate_all(
                        "imgs => imgs.filter(i => i.offsetParent !== null).map(i => i.src)"
                    )
                    shown = move_control(controls.nth(c))
                    page.wait_for_timeout(150)
                    after_caption = visible_caption(explorer)
                    after_image = explorer.locator("img").evaluate_all(
                        "imgs => imgs.filter(i => i.offsetParent !== null).map(i => i.src)"
                    )
                    assert after_caption != before_caption, (
                        f"{rel}: explorer {e + 1}: moving {shown!r} did not change the frame"
                    )
                    assert shown in after_caption, (
                        f"{rel}: explorer {e + 1}: control shows {shown!r} "
                        f"but the frame is {after_caption!r}"
                    )
                    assert after_image != before_image, (
                        f"{rel}: explorer {e + 1}: moving {shown!r} did not change the picture"
                    )
                    moved += 1
        finally:
            page.close()
        assert not log.errors, f"{rel}: {log.errors}"
    assert moved > 0, "no explorer control was found on any chapter page"
