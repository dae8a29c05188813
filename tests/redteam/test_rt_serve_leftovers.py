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
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "TMPDIR": str(scratch),
            "NO_MKDOCS_2_WARNING": "1",
        },
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
        process.wait(timeout=60)
    left = sorted(p.name for p in scratch.glob("gongkai-serve-index-*"))
    assert not left, f"left behind after {signum.name}: {left}"
