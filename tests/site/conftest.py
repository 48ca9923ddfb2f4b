"""Options of the browser test: the built website to check, one test per page."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--site-dir", action="store", default=None,
                     help="folder of the built website (e.g. _build/html)")


def site_pages(root: Path) -> list[str]:
    """Every page of the website, the largest first (so parallel workers finish together)."""
    pages = [p for p in root.rglob("*.html") if not p.relative_to(root).as_posix().startswith("_")]
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
