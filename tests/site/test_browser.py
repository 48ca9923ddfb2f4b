"""Open every page of the built website in Debian's chromium, offline, as a reader would.

Each page is served from 127.0.0.1 and must load with no failed request, no request to another
host, no console error; it must name an icon that loads (else browsers ask for /favicon.ico);
every formula must be typeset by MathJax and every widget rendered. On every explorer, each
control is moved and the picture must change to the frame drawn for the control's new value. On
every chapter page with a self-test quiz, each question is answered wrongly, then rightly
(quiz_page.py), and the page must say so.

There is one test per page, so `pytest -n 2` checks two pages at a time. Every wait is for an
event or a condition in the page (load, MathJax's startup promise, widgets rendered, the frame
changed), never a fixed time.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from quiz_page import answer_quiz, in_chinese, quiz_chapter

# A page that sends the reader on to another (the site's index.html).
REDIRECT = re.compile(r'<meta\s+http-equiv="refresh"', re.IGNORECASE)
# How long a page may take to show what it should (generous: the machine may be busy).
PATIENCE_MS = 60_000


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

    def problems(self) -> list[str]:
        return ([f"request to another host: {u}" for u in self.off_host]
                + [f"failed request: {u}" for u in self.failed] + self.errors)


def open_page(browser: Browser, server: str, rel: str, html: str) -> tuple[Page, PageLog]:
    """Open a page and wait for its load event (after its redirect, if it is one)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = PageLog(page, server)
    url = f"{server}/{rel}"
    page.goto(url, wait_until="load", timeout=90_000)
    if REDIRECT.search(html):
        page.wait_for_url(lambda now: now != url, wait_until="load", timeout=PATIENCE_MS)
    return page, log


def wait_for_mathjax(page: Page) -> None:
    has_math = page.evaluate("document.querySelectorAll('.math').length > 0")
    if not has_math:
        return
    page.wait_for_function(
        "window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=PATIENCE_MS
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


# Raw TeX left in the prose: $$, \( or \[, or $...\command...$.
RAW_TEX = r"(\$\$|\\\(|\\\[|\$[^$\s][^$]*\\[a-zA-Z]+[^$]*\$)"

# Formulas MathJax did not typeset and TeX left raw in the prose (widget labels are typeset
# after the widgets render, so the test waits for this list to empty before reading it).
UNTYPESET_MATH = """(rawTex) => {
    const raw = new RegExp(rawTex);
    const bad = [];
    for (const el of document.querySelectorAll('.math')) {
        if (!el.querySelector('mjx-container')) bad.push(el.textContent.slice(0, 80));
    }
    const article = document.querySelector('article') || document.body;
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const skip = 'pre, code, script, style, mjx-container, .math';
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement.closest(skip)) continue;
        if (raw.test(node.textContent)) bad.push(node.textContent.slice(0, 80));
    }
    return bad;
}"""


def untypeset_math(page: Page) -> list[str]:
    """What is still untypeset once MathJax has had its chance (empty when all is well)."""
    try:
        page.wait_for_function(f"(rawTex) => ({UNTYPESET_MATH})(rawTex).length === 0",
                               arg=RAW_TEX, timeout=10_000)
    except PlaywrightTimeout:
        pass
    return page.evaluate(UNTYPESET_MATH, RAW_TEX)


def icon_problems(page: Page) -> list[str]:
    """The page must name an icon that loads: with none, browsers request /favicon.ico."""
    hrefs = page.eval_on_selector_all('link[rel~="icon"]', "links => links.map(l => l.href)")
    if not hrefs:
        return ['no <link rel="icon">: browsers would ask for /favicon.ico']
    problems = []
    for href in hrefs:
        response = page.request.get(href)
        kind = response.headers.get("content-type", "")
        if not response.ok or not kind.startswith("image/"):
            problems.append(f"icon {href}: HTTP {response.status}, {kind!r}")
    return problems


def visible_caption(explorer: Locator) -> str:
    captions = explorer.locator(".nndl-caption")
    texts = [captions.nth(i).inner_text() for i in range(captions.count())
             if captions.nth(i).is_visible()]
    assert len(texts) == 1, f"expected one visible frame caption, found {texts}"
    return texts[0]


def visible_images(explorer: Locator) -> list[str]:
    return explorer.locator("img").evaluate_all(
        "imgs => imgs.filter(i => i.offsetParent !== null).map(i => i.src)"
    )


# True once the explorer shows one caption that differs from `before` and names `shown`, and
# its pictures differ from `images`.
FRAME_CHANGED = """([explorer, before, shown, images]) => {
    const captions = [...explorer.querySelectorAll('.nndl-caption')]
        .filter(c => c.offsetParent !== null);
    const now = [...explorer.querySelectorAll('img')]
        .filter(i => i.offsetParent !== null).map(i => i.src);
    return captions.length === 1 && captions[0].innerText !== before
        && captions[0].innerText.includes(shown) && now.join('\\n') !== images.join('\\n');
}"""


def move_control(control: Locator) -> str:
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


def operate_explorers(page: Page, rel: str) -> int:
    """Move every control of every explorer on the page; return how many were moved."""
    moved = 0
    explorers = page.locator(".nndl-explorer")
    for e in range(explorers.count()):
        explorer = explorers.nth(e)
        controls = explorer.locator(".widget-hslider, .widget-toggle-buttons, .widget-dropdown")
        assert controls.count() >= 1, f"{rel}: explorer {e + 1} has no control"
        for c in range(controls.count()):
            before_caption = visible_caption(explorer)
            before_image = visible_images(explorer)
            shown = move_control(controls.nth(c))
            try:
                page.wait_for_function(
                    FRAME_CHANGED,
                    arg=[explorer.element_handle(), before_caption, shown, before_image],
                    timeout=10_000,
                )
            except PlaywrightTimeout:
                pass  # the assertions below say what did not change
            after_caption = visible_caption(explorer)
            after_image = visible_images(explorer)
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
    return moved


def declares_explorer(html: str) -> bool:
    """Whether a page's saved widget state holds an explorer (its DOM class)."""
    return "nndl-explorer" in html


def test_site_has_the_chapters(pages: list[str]) -> None:
    chapters = [p for p in pages if p.startswith("book/chapters/")]
    assert chapters, f"no chapter pages among {pages}"


def test_some_chapter_has_explorers(site_dir: Path, pages: list[str]) -> None:
    with_explorers = [p for p in pages if p.startswith("book/chapters/")
                      and declares_explorer((site_dir / p).read_text(encoding="utf-8"))]
    assert with_explorers, "no explorer is saved in any chapter page"


def test_site_root_has_a_favicon(site_dir: Path) -> None:
    """Browsers that ignore <link rel="icon"> ask the site root for /favicon.ico."""
    path = site_dir / "favicon.ico"
    assert path.is_file(), f"{path} is missing: browsers would get a 404 for /favicon.ico"
    icon = path.read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00", "favicon.ico is not an ICO file"


def test_page_offline(browser: Browser, server: str, site_dir: Path, page_path: str) -> None:
    rel = page_path
    html = (site_dir / rel).read_text(encoding="utf-8")
    page, log = open_page(browser, server, rel, html)
    issues: list[str] = []
    try:
        wait_for_mathjax(page)
        wait_for_widgets(page)
        # Once MathJax and the widgets are done, nothing more should load.
        page.wait_for_load_state("networkidle", timeout=PATIENCE_MS)
        issues += [f"untypeset math: {t!r}" for t in untypeset_math(page)]
        errors = page.evaluate(
            "Array.from(document.querySelectorAll('.widget-subarea')).filter("
            "e => /Error displaying widget/.test(e.textContent)).length"
        )
        if errors:
            issues.append(f"{errors} widget(s) show 'Error displaying widget'")
        issues += icon_problems(page)
        if declares_explorer(html):
            assert operate_explorers(page, rel) > 0, f"{rel}: its explorers did not render"
        chapter = quiz_chapter(rel)
        if chapter is not None:
            issues += answer_quiz(page, chapter, in_chinese(rel))
    finally:
        page.close()
    issues += log.problems()
    assert not issues, f"{rel}:\n  " + "\n  ".join(issues)
