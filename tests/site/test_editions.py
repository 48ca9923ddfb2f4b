"""The two editions of the website: English at the root, Chinese under zh/.

Every page exists in both; each page's language switch names the same page in the other edition
(followed here by a reader's click); the Chinese pages are Chinese (language attribute, page
heading and the sidebar's parts) while their code, outputs, launch links and downloadable
notebooks are the English edition's own files; the Chinese search finds Chinese words. (The
quizzes in both languages are answered by the page test, test_browser.py.)
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest
from playwright.sync_api import Browser
from test_browser import PATIENCE_MS, REDIRECT, open_page

CJK = re.compile(r"[\u4e00-\u9fff]")
SWITCH = re.compile(r'<a class="btn nndl-language-switch" href="([^"]+)"')
LANG = re.compile(r'<html lang="([^"]+)"')
H1 = re.compile(r"<h1>(.*?)<", re.S)
CAPTION = re.compile(r'caption-text">([^<]*)<')
LAUNCH = re.compile(r'href="(https://(?:mybinder\.org|colab\.research\.google\.com)/[^"]+)"')
DOWNLOAD = re.compile(r'href="((?:\.\./)*_sources/[^"]+\.ipynb)"')
# Sphinx's generated pages, not in the table of contents
GENERATED = {"genindex.html", "search.html", "py-modindex.html"}


def editions(pages: list[str]) -> tuple[set[str], set[str]]:
    zh = {p.removeprefix("zh/") for p in pages if p.startswith("zh/")}
    en = {p for p in pages if not p.startswith("zh/")}
    return en, zh


def counterpart(rel: str) -> str:
    """The same page in the other edition."""
    return rel.removeprefix("zh/") if rel.startswith("zh/") else f"zh/{rel}"


def test_every_page_has_its_counterpart(pages: list[str]) -> None:
    en, zh = editions(pages)
    assert any(p.startswith("book/chapters/") for p in zh), "no Chinese chapter pages"
    assert en - zh == set(), f"pages with no Chinese edition: {sorted(en - zh)}"
    assert zh - en == set(), f"Chinese pages with no English edition: {sorted(zh - en)}"


def _read(site_dir: Path, rel: str) -> str:
    return (site_dir / rel).read_text(encoding="utf-8")


def test_each_switch_names_the_same_page_in_the_other_edition(site_dir: Path,
                                                              pages: list[str]) -> None:
    problems = []
    for rel in pages:
        html = _read(site_dir, rel)
        if REDIRECT.search(html):
            continue
        found = SWITCH.findall(html)
        target = urljoin(f"http://site/{rel}", found[0]) if found else None
        if target != f"http://site/{counterpart(rel)}":
            problems.append(f"{rel}: switch {found} does not lead to {counterpart(rel)}")
    assert not problems, "\n".join(problems)


def test_chinese_pages_are_in_chinese(site_dir: Path, pages: list[str]) -> None:
    problems = []
    for rel in (p for p in pages if p.startswith("zh/")):
        html = _read(site_dir, rel)
        if REDIRECT.search(html):
            continue
        lang = LANG.search(html)
        if not lang or lang.group(1) != "zh-CN":
            problems.append(f"{rel}: html lang {lang.group(1) if lang else None!r}")
        heading = H1.search(html)
        chinese_heading = heading and CJK.search(heading.group(1))
        if rel.removeprefix("zh/") not in GENERATED and not chinese_heading:
            problems.append(f"{rel}: heading {heading.group(1) if heading else None!r} "
                            "is not Chinese")
        problems += [f"{rel}: sidebar part {caption!r} is not Chinese"
                     for caption in CAPTION.findall(html) if not CJK.search(caption)]
        # a translated block re-parsed as reStructuredText shows its "::" instead of the formula
        if "<p>::</p>" in html or "\\[::\\]" in html:
            problems.append(f"{rel}: a formula shows as a stray '::'")
    assert not problems, "\n".join(problems)


def test_chinese_pages_launch_and_download_the_same_notebooks(site_dir: Path,
                                                              pages: list[str]) -> None:
    chapters = [p for p in pages if p.startswith("book/chapters/")]
    assert chapters
    for rel in chapters:
        en, zh = _read(site_dir, rel), _read(site_dir, f"zh/{rel}")
        assert LAUNCH.findall(zh) == LAUNCH.findall(en) != [], rel
        downloads = DOWNLOAD.findall(zh)
        assert downloads == DOWNLOAD.findall(en) != [], rel
        for href in downloads:
            en_file = (site_dir / rel).parent / href
            zh_file = (site_dir / f"zh/{rel}").parent / href
            assert zh_file.read_bytes() == en_file.read_bytes(), f"{rel}: {href} differs"


@pytest.mark.parametrize("start", ["book/chapters/05_xor_relu.html",
                                   "zh/book/chapters/09_gradient_problems_initialisation.html"])
def test_a_reader_switches_language(browser: Browser, server: str, site_dir: Path,
                                    start: str) -> None:
    page, log = open_page(browser, server, start, _read(site_dir, start))
    try:
        switch = page.locator("a.nndl-language-switch")
        assert switch.count() == 1
        with page.expect_navigation(wait_until="load"):
            switch.click()
        assert page.url == f"{server}/{counterpart(start)}"
        lang = page.evaluate("document.documentElement.lang")
        assert lang == ("en" if start.startswith("zh/") else "zh-CN")
        # and back again
        with page.expect_navigation(wait_until="load"):
            page.locator("a.nndl-language-switch").click()
        assert page.url == f"{server}/{start}"
    finally:
        page.close()
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("query", ["反向传播", "误差项", "净输入"])
def test_a_reader_searches_the_chinese_edition(browser: Browser, server: str, site_dir: Path,
                                               query: str) -> None:
    """The search box finds a glossary term, written as one word, in the chapter that teaches it."""
    page, log = open_page(browser, server, f"zh/search.html?q={quote(query)}",
                          _read(site_dir, "zh/search.html"))
    try:
        page.wait_for_selector("#search-results ul.search li a", timeout=PATIENCE_MS)
        found = page.eval_on_selector_all("#search-results ul.search li a",
                                          "links => links.map(a => a.getAttribute('href'))")
        assert any("book/chapters/02_backpropagation.html" in href for href in found), found
        assert all("/zh/" in urljoin(page.url, href) for href in found)  # the Chinese pages
    finally:
        page.close()
    assert not log.problems(), log.problems()
