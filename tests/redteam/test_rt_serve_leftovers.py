"""Red team (careless operator): `mkdocs serve` stopped the usual way (Ctrl-C, or SIGTERM from a
service manager) leaves its copy of the search index in the temporary folder, every time."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def _ctrl_c_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stopped_by_a_signal_removes_its_search_index_copy(tmp_path, signum):
    project = tmp_path / "portal"
    project.mkdir()
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, project / name)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=log,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "TMPDIR": str(scratch),
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONFAULTHANDLER": "1",  # a serve that does not stop shows where it is (SIGABRT)
        },
        # Ctrl-C as in a terminal: a test run started in the background by a shell without job
        # control ignores SIGINT, and a child would inherit that and never stop on it
        preexec_fn=_ctrl_c_default,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/search/", timeout=5):
                    break
            except OSError:
                time.sleep(0.5)
        assert list(scratch.glob("gongkai-serve-index-*")), "serve made no index copy"
    finally:
        process.send_signal(signum)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # seen once in CI: say where serve was
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=30)
            log.seek(0)
            pytest.fail(f"serve did not stop on {signum.name}:\n{log.read().decode()[-6000:]}")
        finally:
            log.close()
    left = sorted(p.name for p in scratch.glob("gongkai-serve-index-*"))
    assert not left, f"left behind after {signum.name}: {left}"
