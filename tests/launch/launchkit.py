"""Helpers of the launch checks (`make test-launch`): fresh copies, fresh environments, servers.

Each check starts from what a new reader has: a copy of the repository's files (tracked and
new, never ignored ones such as .venv or _build) and a new virtual environment. Times of the
slow steps are collected in ``TIMES`` and printed at the end of the session.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYENV = Path("/root/.pyenv/versions")
RUN_NOTEBOOKS = Path(__file__).with_name("run_notebooks.py")
#: (check, step) -> seconds, printed by pytest_terminal_summary.
TIMES: dict[tuple[str, str], float] = {}


@contextmanager
def timed(check: str, step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    TIMES[(check, step)] = time.perf_counter() - start
    print(f"[{check}] {step}: {TIMES[(check, step)]:.1f} s", flush=True)


def copy_checkout(dest: Path) -> Path:
    """Copy the repository's files as a fresh clone would have them (plus uncommitted edits)."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if not src.is_file():  # deleted in the work tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    return dest


def python_for(version: str) -> Path:
    """A Python interpreter of ``version`` (e.g. "3.11"): the newest pyenv build, else PATH."""
    builds = sorted(PYENV.glob(f"{version}.*"), key=lambda p: [int(x) for x in p.name.split(".")
                                                             if x.isdigit()])
    for build in reversed(builds):
        if (build / "bin" / "python").exists():
            return build / "bin" / "python"
    found = shutil.which(f"python{version}")
    if found is None:
        pytest.fail(f"no Python {version} on this machine (looked in {PYENV} and PATH)")
    return Path(found)


def make_venv(python: Path, dest: Path) -> Path:
    subprocess.run([str(python), "-m", "venv", str(dest)], check=True)
    return dest


def run(cmd: str | Sequence[str], *, cwd: Path, env: dict | None = None, timeout: float = 3600,
        shell: bool = False) -> subprocess.CompletedProcess:
    """Run a command; on failure, fail the test with the end of its output."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, shell=shell, executable="/bin/bash" if shell
                          else None, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"{cmd!r} failed with exit code {proc.returncode}\n--- stdout\n"
                    f"{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


def env_with(venv: Path | None = None, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "NNDL_BOOK"))}
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
        env["VIRTUAL_ENV"] = str(venv)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, *, timeout: float = 10) -> tuple[int, str, str]:
    """(status, final URL, body) of a GET that follows redirects."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.geturl(), resp.read().decode("utf-8", "replace")


class Server:
    """A server process started in its own process group, with its output in a log file."""

    def __init__(self, cmd: str | Sequence[str], *, cwd: Path, env: dict, log: Path,
                 shell: bool = False) -> None:
        self.log = log
        self._out = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, shell=shell, stdout=self._out,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     executable="/bin/bash" if shell else None)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        """Wait until the log matches ``pattern``; fail if the server exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output())
            if match:
                return match
            if self.proc.poll() is not None:
                pytest.fail(f"server exited with {self.proc.returncode}:\n{self.output()[-3000:]}")
            time.sleep(0.5)
        pytest.fail(f"no {pattern!r} in the server's output after {timeout} s:\n"
                    f"{self.output()[-3000:]}")

    def wait_http(self, url: str, timeout: float) -> tuple[int, str, str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return http_get(url)
            except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{url} not reached ({err}):\n{self.output()[-3000:]}")
                time.sleep(0.5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        self._out.close()


def lab_viewers(base: str, query: str = "") -> dict:
    """JupyterLab's default viewers as the running server reports them (settings + overrides)."""
    _, _, body = http_get(
        f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin{query}")
    data = json.loads(body)
    return {**data["schema"]["properties"]["defaultViewers"].get("default", {}),
            **data["settings"].get("defaultViewers", {})}


def run_notebooks(python: Path, spec: dict, tmp: Path, *, env: dict) -> dict:
    """Execute notebooks with ``python``'s nbclient (tests/launch/run_notebooks.py)."""
    spec_file = tmp / "notebooks.json"
    spec_file.write_text(json.dumps(spec))
    proc = run([str(python), str(RUN_NOTEBOOKS), str(spec_file)], cwd=tmp, env=env)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def as_root_flag() -> list[str]:
    """JupyterLab refuses to run as root without --allow-root (CI runs as root)."""
    return ["--allow-root"] if os.geteuid() == 0 else []


def report_chapters(check: str, results: dict) -> None:
    for name, result in results.items():
        TIMES[(check, f"chapter {name}")] = result["seconds"]
        status = "ok" if result["error"] is None else "ERROR"
        print(f"[{check}] {name}: {result['seconds']:.1f} s {status}", flush=True)
    failed = {k: v["error"] for k, v in results.items() if v["error"]}
    assert not failed, "chapters failed:\n" + "\n\n".join(f"{k}:\n{v}" for k, v in failed.items())
