"""Red team (staff with push rights): files outside the gated paths are run by the publish
workflow's own steps, so the gate code that judges is not the approved one. Each test runs the
workflow's real step text (.github/workflows/publish.yml) in a real repository whose HEAD holds
one pushed, ungated file; the gate does not even list it as held.

(Fix: the steps now work in $RUNNER_TEMP, which a pushed tree cannot occupy, so the tests give
the step a RUNNER_TEMP as a runner does and look for its output there.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from workflowkit import run_step, step

from gatekit import ForgeRepo, gongkai
from gatestub import Server, gated_build, reset_stub

MARKER = "RAN-PUSHED-CODE"


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
    site = tmp_path / "site"
    done = gated_build(repo, server, site)
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
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "record.json").write_bytes(record)
    done = run_step("取出上次发布时已批准的核验程序", repo.root, runner)
    assert done.returncode == 0, done.stderr
    assert not (repo.root / MARKER).exists(), "the inline script imported the pushed json.py"
    assert not (runner / MARKER).exists(), "the inline script imported the pushed json.py"
    assert (runner / "gate-code/generator/marker.py").read_text() == "APPROVED = 'by review'\n"


def test_a_pushed_venv_py_at_the_root_is_not_run_when_the_gate_venv_is_made(tmp_path, server):
    repo, _ = published(tmp_path, server, {"venv.py": SHADOW})
    command = step("安装核验程序")["run"].splitlines()[0]  # python -I -m venv "$RUNNER_TEMP/gate"
    assert command.startswith("python ") and " -m venv " in command
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
    runner = tmp_path / "runner"
    (runner / "gate-code").mkdir(parents=True)
    (runner / "gate-code/setup.py").write_text(setup)  # left over in the runner's folder
    (runner / "record.json").write_bytes(record)
    done = run_step("取出上次发布时已批准的核验程序", repo.root, runner)
    assert done.returncode == 0, done.stderr
    commit = json.loads(record)["commit"]
    approved = set(
        repo.git(
            "ls-tree", "-r", "--name-only", commit, "--", "generator", "pyproject.toml"
        ).split()
    )
    written = {
        p.relative_to(runner / "gate-code").as_posix()
        for p in (runner / "gate-code").rglob("*")
        if p.is_file()
    }
    # `pip install ./gate-code` (the next step) runs setuptools, which runs a setup.py it finds
    assert written == approved, f"not approved, installed anyway: {sorted(written - approved)}"


def test_a_pushed_folder_named_like_the_workflow_output_does_not_stop_publication(tmp_path, server):
    repo, record = published(tmp_path, server, {"approved/说明.md": "草稿\n"})
    runner = tmp_path / "runner"
    (runner / "gate/bin").mkdir(parents=True)
    (runner / "gate/bin/gongkai").symlink_to(
        Path(sys.executable).parent / "gongkai"
    )  # the installed gate
    (runner / "record.json").write_bytes(record)
    reset_stub(repo)
    env = server.env("github")
    env.pop("GONGKAI_REVIEW_PROVIDER", None)
    done = run_step(
        "核验审核记录，写出已批准的文件",
        repo.root,
        runner,
        {**env, "GONGKAI_REVIEW_PROVIDER": "github"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (runner / "approved/content/tzgg/a.md").is_file()
    assert (
        json.loads((runner / "gate-result.json").read_text(encoding="utf-8"))["commit"]
        == repo.sha()
    )
