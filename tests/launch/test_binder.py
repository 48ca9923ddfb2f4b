"""Binder: what repo2docker really generates for this repository, then that build, run here.

repo2docker (`--no-build --debug`) prints the Dockerfile it would build, without Docker. The
test checks that Dockerfile (Python version, repository copied before pip runs, the exact
install commands), then executes those commands in a fresh virtual environment of that Python
from the repository root, as the Dockerfile does, runs binder/postBuild with a sandboxed HOME,
starts JupyterLab from that environment and executes every chapter notebook there.

One deliberate difference: PyTorch's CPU index, which binder/requirements.txt names, cannot be
reached from this test machine, so the test drops that line from the copy it installs and torch
resolves from the package registry this machine is configured with (pip's own configuration).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from launchkit import (
    Server,
    as_root_flag,
    copy_checkout,
    env_with,
    free_port,
    http_get,
    lab_viewers,
    make_venv,
    python_for,
    report_chapters,
    run,
    run_notebooks,
    timed,
)

#: repo2docker release the check runs (the newest when this was written).
REPO2DOCKER = "jupyter-repo2docker==2026.4.0"
CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"
PIP_RUN = 'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'


def dockerfile_for(repo: Path, tmp: Path) -> tuple[str, str]:
    """(Dockerfile, log) that repo2docker generates for ``repo``."""
    tool = make_venv(python_for("3.11"), tmp / "repo2docker-venv")
    run([str(tool / "bin" / "pip"), "install", "-q", REPO2DOCKER], cwd=tmp)
    proc = run([str(tool / "bin" / "repo2docker"), "--no-build", "--debug", "."], cwd=repo)
    return proc.stdout, proc.stderr


def test_binder_builds_and_runs_every_chapter(tmp_path: Path) -> None:
    repo = copy_checkout(tmp_path / "repo")
    with timed("binder", "repo2docker --no-build (incl. installing it)"):
        dockerfile, log = dockerfile_for(repo, tmp_path)
    lines = [line.strip() for line in dockerfile.splitlines()]

    # Python: the version of binder/runtime.txt, through repo2docker's conda environment.
    runtime = (repo / "binder" / "runtime.txt").read_text().strip()
    version = re.fullmatch(r"python-(3\.\d+)", runtime).group(1)
    # Build files are copied under escaped names ("-2e" for ".", "-2d" for "-").
    unescaped = re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), dockerfile)
    locks = re.findall(r"environment\.py-(3\.\d+)-linux-64\.lock", unescaped)
    assert locks and set(locks) == {version}, f"Dockerfile's Python {locks}, runtime.txt {runtime}"
    assert f"python={version}" in log

    # The repository is copied before pip runs, pip runs from the repository root, and these are
    # the only install commands; postBuild runs after them.
    copy_repo = lines.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    workdir = lines.index("WORKDIR ${REPO_DIR}")
    installs = [i for i, line in enumerate(lines)
                if line.startswith("RUN") and "pip install" in line]
    assert [lines[i] for i in installs] == [PIP_RUN]
    assert workdir < copy_repo < installs[0]
    post_build = lines.index("RUN ./binder/postBuild")
    assert installs[0] < post_build
    command = PIP_RUN.removeprefix("RUN ")

    # Install as the Dockerfile does, in a fresh environment of that Python (see the docstring
    # for the CPU index line).
    requirements = repo / "binder" / "requirements.txt"
    text = requirements.read_text()
    assert text.count(CPU_INDEX + "\n") == 1, "binder/requirements.txt names PyTorch's CPU index"
    requirements.write_text(text.replace(CPU_INDEX + "\n", ""))
    venv = make_venv(python_for(version), tmp_path / "notebook-env")
    home = tmp_path / "home"
    home.mkdir()
    env = env_with(venv, HOME=str(home), KERNEL_PYTHON_PREFIX=str(venv),
                   NB_PYTHON_PREFIX=str(venv), REPO_DIR=str(repo))
    with timed("binder", "pip install -r binder/requirements.txt"):
        run(command, cwd=repo, env=env, shell=True)
    torch_version = run([str(venv / "bin" / "python"), "-c",
                         "import torch; print(torch.__version__)"], cwd=repo, env=env)
    torch_version = torch_version.stdout.strip()
    assert torch_version.split("+")[0] == "2.13.0"
    with timed("binder", "binder/postBuild"):
        run("chmod +x binder/postBuild && ./binder/postBuild", cwd=repo, env=env, shell=True)

    # JupyterLab as Binder starts it: the start page is the chapters, and a .py chapter opens as
    # a notebook (jupytext's default viewer; its contents manager reads it as a notebook).
    port = free_port()
    server = Server([str(venv / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}",
                     "--ServerApp.port_retries=0", "--IdentityProvider.token=", *as_root_flag()],
                    cwd=repo, env=env, log=tmp_path / "lab.log")
    try:
        base = f"http://127.0.0.1:{port}"
        status, url, _ = server.wait_http(f"{base}/", timeout=120)
        assert status == 200 and url == f"{base}/lab/tree/book/chapters"
        assert lab_viewers(base).get("python") == "Jupytext Notebook"
        status, _, body = http_get(
            f"{base}/api/contents/chapters/01_forward_propagation.py?type=notebook")
        assert status == 200 and '"cell_type": "markdown"' in body.replace('":"', '": "')
    finally:
        server.stop()

    # Every chapter notebook, as a Binder user opens it: no NNDL_BOOK_FRAMES, so live explorers.
    notebooks = sorted(str(p) for p in (repo / "book" / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 9
    with timed("binder", "every chapter notebook"):
        results = run_notebooks(venv / "bin" / "python",
                                {"notebooks": notebooks, "cwd": str(repo / "book" / "chapters")},
                                tmp_path, env=env)
    report_chapters("binder", results)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-s"])
