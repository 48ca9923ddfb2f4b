"""Options of the browser test: the built website to check."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--site-dir", action="store", default=None,
                     help="folder of the built website (e.g. _build/html)")


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    value = request.config.getoption("--site-dir")
    if value is None:
        pytest.fail("the browser test needs --site-dir=_build/html (run it with `make browser`)")
    path = Path(value).resolve()
    if not (path / "index.html").exists():
        pytest.fail(f"--site-dir {path} holds no index.html: build the site first (`make site`)")
    return path
