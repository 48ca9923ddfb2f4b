"""The README's commands, run as written in a fresh copy of the repository.

Every ``$ command`` line of the README's ``console`` blocks is run from the top of a copy of the
repository's files (no .venv, no _build: what a fresh clone holds), in the order the README
gives them. Servers (``make serve``, ``make lab``) are started, reached over HTTP and stopped.
``make test`` is not run again here: it is CI's own first step, in a fresh clone (.ci/run), and
this check runs after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from launchkit import ROOT, Server, copy_checkout, env_with, http_get, lab_viewers, run, timed


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```console\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [line[2:].strip() for block in blocks for line in block.splitlines()
            if line.startswith("$ ")]


def test_readme_commands_are_the_ones_checked() -> None:
    """A new README command needs a way to be checked here (see HOW below)."""
    commands = readme_commands()
    assert commands and set(commands) <= set(HOW), f"unchecked README commands: {commands}"


def check_book(repo: Path, env: dict, tmp: Path) -> None:
    proc = run("make book", cwd=repo, env=env, shell=True, timeout=1800)
    html = repo / "_build" / "html"
    assert f"The website is at {html}/index.html, the Chinese edition at {html}/zh/index.html" \
        in proc.stdout
    assert (html / "index.html").is_file() and (html / "zh" / "index.html").is_file()


def check_test(repo: Path, env: dict, tmp: Path) -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.MULTILINE), ".ci/run runs `make test`"


def check_serve(repo: Path, env: dict, tmp: Path) -> None:
    server = Server("make serve", cwd=repo, env=env, log=tmp / "serve.log", shell=True)
    try:
        status, _, body = server.wait_http("http://127.0.0.1:8000/", timeout=120)
        assert status == 200 and "url=book/intro.html" in body  # the start page redirects
        status, _, body = http_get("http://127.0.0.1:8000/book/intro.html")
        assert status == 200 and "Forward propagation" in body
        status, _, body = http_get("http://127.0.0.1:8000/book/chapters/01_forward_propagation.html")
        assert status == 200 and "<h1>" in body
        status, _, body = http_get(
            "http://127.0.0.1:8000/zh/book/chapters/01_forward_propagation.html")
        assert status == 200 and 'lang="zh-CN"' in body and "前向传播" in body
    finally:
        server.stop()


def check_lab(repo: Path, env: dict, tmp: Path) -> None:
    server = Server("make lab", cwd=repo, env=env, log=tmp / "lab.log", shell=True)
    try:
        match = server.wait_for(r"http://(?:127\.0\.0\.1|localhost):(\d+)/lab[^?\s]*\?token=(\w+)",
                                timeout=180)
        base, query = f"http://127.0.0.1:{match.group(1)}", f"?token={match.group(2)}"
        status, url, _ = server.wait_http(f"{base}/{query}", timeout=60)
        assert status == 200 and url.startswith(f"{base}/lab/tree/chapters")
        assert lab_viewers(base, query).get("python") == "Jupytext Notebook"
        status, _, body = http_get(
            f"{base}/api/contents/chapters/01_forward_propagation.py{query}&type=notebook")
        assert status == 200 and '"nbformat": 4' in body.replace('":4', '": 4')
    finally:
        server.stop()


def check_student(repo: Path, env: dict, tmp: Path) -> None:
    run("make student", cwd=repo, env=env, shell=True, timeout=600)
    chapters = sorted(p.stem for p in (repo / "book" / "chapters").glob("*.ipynb"))
    written = sorted(p.stem for p in (repo / "book" / "student").glob("*.ipynb"))
    assert chapters and written == chapters, (chapters, written)
    for stem in written:
        text = (repo / "book" / "student" / f"{stem}.ipynb").read_text(encoding="utf-8")
        assert "solution-start" not in text, f"{stem}: a solution survived in the student edition"


def _catalogues(repo: Path) -> dict[str, bytes]:
    return {str(p.relative_to(repo)): p.read_bytes()
            for p in sorted((repo / "locales").rglob("*.po"))}


def check_po(repo: Path, env: dict, tmp: Path) -> None:
    """On a consistent checkout, updating the catalogues changes nothing."""
    before = _catalogues(repo)
    run("make po", cwd=repo, env=env, shell=True, timeout=600)
    after = _catalogues(repo)
    assert before and after.keys() == before.keys()
    changed = [name for name in before if after[name] != before[name]]
    assert not changed, f"make po changed catalogues of an up-to-date checkout: {changed}"


def check_translations(repo: Path, env: dict, tmp: Path) -> None:
    proc = run("make translations", cwd=repo, env=env, shell=True, timeout=600)
    assert "every message of every page is translated; none is fuzzy" in proc.stdout


#: How each README command is checked.
HOW = {"make book": check_book, "make test": check_test, "make serve": check_serve,
       "make lab": check_lab, "make student": check_student, "make po": check_po,
       "make translations": check_translations}


def test_every_readme_command_runs_in_a_fresh_copy(tmp_path: Path) -> None:
    commands = readme_commands()
    unchecked = [c for c in commands if c not in HOW]
    if unchecked:
        pytest.fail(f"README commands with no check here: {unchecked}")
    repo = copy_checkout(tmp_path / "repo")
    env = env_with(None)
    for command in commands:
        with timed("readme", command):
            HOW[command](repo, env, tmp_path)
