"""Options of the browser test: the built website to check, one test per page."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

# Debian's chromium by default; CHROMIUM=/path/to/chrome for another build, or CHROMIUM=bundled
# for the browser `playwright install chromium` downloads (e.g. on a hosted CI runner).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--site-dir", action="store", default=None,
                     help="folder of the built website (e.g. _build/html)")


def site_pages(root: Path) -> list[str]:
    """Every page of the website, both editions, the largest first (so parallel workers finish
    together); files under folders such as _static are the theme's, not pages."""
    pages = [p for p in root.rglob("*.html")
             if not any(part.startswith("_") for part in p.relative_to(root).parts)]
    pages.sort(key=lambda p: (-p.stat().st_size, p.relative_to(root).as_posix()))
    return [p.relative_to(root).as_posix() for p in pages]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" not in metafunc.fixturenames:
        return
    value = metafunc.config.getoption("--site-dir")
    root = Path(value).resolve() if value else None
    # With no built site there is one test, which fails in the site_dir fixture with the reason.
    pages = site_pages(root) if root and (root / "index.html").exists() else ["index.html"]
    metafunc.parametrize("page_path", pages)


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    value = request.config.getoption("--site-dir")
    if value is None:
        pytest.fail("the browser test needs --site-dir=_build/html (run it with `make browser`)")
    path = Path(value).resolve()
    if not (path / "index.html").exists():
        pytest.fail(f"--site-dir {path} holds no index.html: build the site first (`make site`)")
    return path


@pytest.fixture(scope="session")
def pages(site_dir: Path) -> list[str]:
    found = site_pages(site_dir)
    assert "index.html" in found, "the site has no index.html"
    return found


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[str]:
    """The built site served on a free port of 127.0.0.1, one server per test process."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium per test process (Playwright's sync API allows one at a time)."""
    executable = None if CHROMIUM == "bundled" else CHROMIUM
    if executable is not None and not Path(executable).exists():
        pytest.fail("chromium is not installed: `make chromium` installs Debian's package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
