"""The publish workflow: its inline script installs the gate code of the last approved state (not
the pushed one), and the two-stage form (gate, then build with the approved code) publishes the
approved state with its record."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from workflowkit import WORKFLOW, run_step, step

from gatekit import TODAY, ForgeRepo, gongkai, item, item_page
from gatestub import Server, gated_build, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def pushed_gate(tmp_path_factory, server):
    """The gate code changed by an approved pull request, then pushed over without approval; a
    publication in between wrote its record."""
    base = tmp_path_factory.mktemp("gatecode")
    repo = ForgeRepo(base / "repo")
    pull = repo.open("tester", {"generator/marker.py": "APPROVED = 'by review'\n"})
    repo.review(pull, "wang")
    repo.merge(pull)
    repo.push(
        "tester", {"generator/marker.py": "APPROVED = 'pushed'\n", "generator/evil.py": "x = 1\n"}
    )
    site = base / "site"
    done = gated_build(repo, server, site)
    assert done.returncode == 3, done.stderr
    repo.push("tester", {"generator/marker.py": "APPROVED = 'pushed again'\n"})
    return repo, site


def run_script(repo: ForgeRepo, record: bytes | None) -> subprocess.CompletedProcess[str]:
    """The inline step, with the record where the step before put it ($RUNNER_TEMP)."""
    runner = repo.root.parent / "runner"
    runner.mkdir(exist_ok=True)
    if record is None:
        (runner / "record.json").unlink(missing_ok=True)
    else:
        (runner / "record.json").write_bytes(record)
    return run_step("取出上次发布时已批准的核验程序", repo.root, runner)


def test_inline_script_installs_the_approved_not_the_pushed_gate_code(pushed_gate):
    repo, site = pushed_gate
    record = (site / "gongkai-publish.json").read_bytes()
    assert "generator/marker.py" in json.loads(record)["exceptions"]
    done = run_script(repo, record)
    assert done.returncode == 0, done.stderr
    code = repo.root.parent / "runner/gate-code"
    assert (code / "generator/marker.py").read_text() == "APPROVED = 'by review'\n"
    assert not (code / "generator/evil.py").exists()
    assert (code / "pyproject.toml").read_text() == "[project]\nname = 'demo'\n"


def test_inline_script_refuses_a_record_that_is_not_an_ancestor(pushed_gate):
    repo, site = pushed_gate
    data = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
    other = repo.git(
        "commit-tree", "-m", "另一段历史", repo.sha() + "^{tree}", who="tester"
    ).strip()
    data["commit"] = other
    done = run_script(repo, json.dumps(data).encode())
    assert done.returncode != 0 and "不是当前提交的祖先" in done.stdout + done.stderr


def test_inline_script_without_a_record_takes_head_as_the_bootstrap(pushed_gate):
    repo, _ = pushed_gate
    done = run_script(repo, None)
    assert done.returncode == 0, done.stderr
    assert (
        repo.root.parent / "runner/gate-code/generator/marker.py"
    ).read_text() == "APPROVED = 'pushed again'\n"


def test_workflow_fails_rather_than_publishing_without_a_record_it_could_not_fetch():
    script = step("取得上次的发布记录")["run"]
    assert "404)" in script and "exit 1" in script and "--fail" not in script
    gate = step("核验审核记录，写出已批准的文件")["run"]
    assert '"$status" != 3' in gate and '--record "$RUNNER_TEMP/record.json"' in gate
    assert '--output "$record"' in script and 'record="${RUNNER_TEMP:?}/record.json"' in script
    assert WORKFLOW["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_two_stage_gate_then_build_publishes_the_approved_state_with_its_record(
    pushed_gate, server, tmp_path
):
    repo, _ = pushed_gate
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "两步发布的通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    repo.push("tester", {"content/tzgg/a.md": item(1, "通知", body="推送的正文。")})
    reset_stub(repo)
    tree, result = tmp_path / "approved", tmp_path / "gate-result.json"
    gate = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tree),
        "--result",
        str(result),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert gate.returncode == 3, gate.stderr
    site = tmp_path / "site"
    build = gongkai(
        "build",
        str(tree),
        "--gate-result",
        str(result),
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        cwd=tmp_path,
        env=server.env("github"),
    )
    assert build.returncode == 0, build.stderr
    assert "两步发布的通知" in item_page(site, 2)
    assert "推送的正文。" not in item_page(site, 1) and "初始正文。" in item_page(site, 1)
    record = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
    assert record["commit"] == repo.sha("main") and "content/tzgg/a.md" in record["exceptions"]
    register = gongkai(
        "register",
        "--result",
        str(result),
        "--out",
        str(tmp_path / "reg"),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert register.returncode == 0, register.stderr
    assert Path(tmp_path / "reg/register.csv").is_file()


def test_gate_refuses_to_write_into_a_folder_that_is_not_empty(pushed_gate, server, tmp_path):
    repo, _ = pushed_gate
    (tmp_path / "approved").mkdir()
    (tmp_path / "approved/keep.txt").write_text("x")
    reset_stub(repo)
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tmp_path / "approved"),
        "--result",
        str(tmp_path / "r.json"),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 2 and "不是空的" in done.stderr


def test_approved_tree_of_thousands_of_files_is_written_whole(tmp_path, server):
    files = {f"content/tzgg/att/{n:05d}.txt": f"附件 {n}\n" * 40 for n in range(3000)}
    repo = ForgeRepo(tmp_path / "repo", files)
    reset_stub(repo)
    tree = tmp_path / "tree"
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tree),
        "--result",
        str(tmp_path / "r.json"),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 0, done.stderr
    written = sorted((tree / "content/tzgg/att").iterdir())
    assert len(written) == 3000 and written[1234].read_text(encoding="utf-8") == "附件 1234\n" * 40


def test_workflow_publishes_only_the_published_branch_on_every_trigger():
    triggers = WORKFLOW[True] if True in WORKFLOW else WORKFLOW["on"]  # YAML reads `on` as true
    assert triggers["push"]["branches"] == ["main"] and "schedule" in triggers
    build = WORKFLOW["jobs"]["build"]
    assert build["if"] == "github.ref == 'refs/heads/main'" and build["env"]["BRANCH"] == "main"
    assert "github.event.repository" not in json.dumps(WORKFLOW)  # empty on schedule events


def test_inline_script_leaves_out_gate_code_the_record_names_only_masked(tmp_path):
    repo = ForgeRepo(tmp_path / "repo", {"generator/通知_13800138000.py": "HELD = True\n"})
    record = {
        "version": 2,
        "commit": repo.sha(),
        "sealed": [{"shown": "generator/通知_138****8000.py", "value": None}],
    }
    done = run_script(repo, json.dumps(record).encode())
    assert done.returncode == 0, done.stderr
    code = tmp_path / "runner/gate-code/generator"
    assert (code / "marker.py").is_file() and not (code / "通知_13800138000.py").exists()
