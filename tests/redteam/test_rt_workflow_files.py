"""Red team (staff with push rights): files outside the gated paths are run by the publish
workflow's own steps, so the gate code that judges is not the approved one. Each test runs the
workflow's real step text (.github/workflows/publish.yml) in a real repository whose HEAD holds
one pushed, ungated file; the gate does not even list it as held."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from gatekit import ROOT, TODAY, ForgeRepo, gongkai
from gatestub import Server, reset_stub

WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
STEPS = WORKFLOW["jobs"]["build"]["steps"]
MARKER = "RAN-PUSHED-CODE"


def step(name: str) -> str:
    return next(s for s in STEPS if s.get("name") == name)["run"]


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def published(tmp_path, server, pushed: dict) -> tuple[ForgeRepo, bytes]:
    """An approved generator change, published with a record, then a push of ungated files."""
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"generator/marker.py": "APPROVED = 'by review'\n"})
    repo.review(pull, "wang")
    repo.merge(pull)
    reset_stub(repo)
    site = tmp_path / "site"
    done = gongkai(
        "build",
        "--gate",
        "--provider",
        "github",
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 0, done.stderr
    repo.push("tester", pushed, "更新说明文档")
    reset_stub(repo)
    check = gongkai(
        "publish-check",
        str(repo.root),
        "--provider",
        "github",
        cwd=tmp_path,
        env=server.env("github"),
    )
    assert check.returncode == 0 and "全部已批准" in check.stdout  # the gate sees nothing held
    return repo, (site / "gongkai-publish.json").read_bytes()


SHADOW = f"""\
import importlib, pathlib, sys
pathlib.Path("{MARKER}").write_text("pushed code ran")
here = pathlib.Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != here]
del sys.modules[__name__]
real = importlib.import_module(__name__)
sys.modules[__name__] = real
globals().update(real.__dict__)
"""


def test_a_pushed_json_py_at_the_root_is_not_run_by_the_inline_install_script(tmp_path, server):
    repo, record = published(tmp_path, server, {"json.py": SHADOW})
    (repo.root / "record.json").write_bytes(record)
    done = subprocess.run(
        ["bash", "-e", "-c", step("取出上次发布时已批准的核验程序")],
        cwd=repo.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert not (repo.root / MARKER).exists(), "the inline script imported the pushed json.py"


def test_a_pushed_venv_py_at_the_root_is_not_run_when_the_gate_venv_is_made(tmp_path, server):
    repo, _ = published(tmp_path, server, {"venv.py": SHADOW})
    command = step("安装核验程序").splitlines()[0]  # python -m venv "$RUNNER_TEMP/gate"
    assert command.startswith("python -m venv")
    subprocess.run(
        ["bash", "-c", command.replace("python ", f"{sys.executable} ", 1)],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "RUNNER_TEMP": str(tmp_path / "runner")},
    )
    assert not (repo.root / MARKER).exists(), "python -m venv ran the pushed venv.py"


def test_the_gate_code_folder_holds_only_the_approved_generator_and_pyproject(tmp_path, server):
    setup = f"import pathlib; pathlib.Path('{MARKER}').write_text('x')\nfrom setuptools import setup; setup()\n"
    repo, record = published(tmp_path, server, {"gate-code/setup.py": setup})
    (repo.root / "record.json").write_bytes(record)
    done = subprocess.run(
        ["bash", "-e", "-c", step("取出上次发布时已批准的核验程序")],
        cwd=repo.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    commit = json.loads(record)["commit"]
    approved = set(
        repo.git(
            "ls-tree", "-r", "--name-only", commit, "--", "generator", "pyproject.toml"
        ).split()
    )
    written = {
        p.relative_to(repo.root / "gate-code").as_posix()
        for p in (repo.root / "gate-code").rglob("*")
        if p.is_file()
    }
    # `pip install ./gate-code` (the next step) runs setuptools, which runs a setup.py it finds
    assert written == approved, f"not approved, installed anyway: {sorted(written - approved)}"


def test_a_pushed_folder_named_like_the_workflow_output_does_not_stop_publication(tmp_path, server):
    repo, _ = published(tmp_path, server, {"approved/说明.md": "草稿\n"})
    gate = step("核验审核记录,写出已批准的文件")
    assert "--out approved" in gate  # the workflow writes into the checkout's ./approved
    reset_stub(repo)
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--branch",
        "main",
        "--out",
        "approved",
        "--result",
        "gate-result.json",
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode in (0, 3), done.stderr
