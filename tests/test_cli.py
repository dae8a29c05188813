"""`gongkai validate` and `gongkai new` as staff and CI call them: output formats and exit codes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from generator.cli.main import main

from helpers import run


def test_clean_tree_exits_0(bureau):
    bureau.item()
    done = run("validate", ".", cwd=bureau.root)
    assert done.returncode == 0, done.stdout
    assert "未发现问题" in done.stdout


def test_warnings_alone_exit_0(bureau):
    bureau.item(titel="x")
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 0
    assert "GK114 [警告]" in done.stdout


def test_text_format_looks_like_a_compiler(bureau):
    bureau.item(date="2026-3-5")
    done = run("validate", ".", cwd=bureau.root)
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert first.startswith("content/tzgg/a.md:5: GK111 [错误] 发布日期（date）")
    assert "共发现 1 个错误、0 个警告" in done.stdout


def test_json_format(bureau):
    bureau.item(date="2026-3-5", titel="x")
    done = run("validate", "--format", "json", cwd=bureau.root)
    assert done.returncode == 1
    rows = json.loads(done.stdout)
    assert {tuple(sorted(r)) for r in rows} == {("code", "file", "line", "message", "severity")}
    assert {(r["code"], r["severity"], r["line"], r["file"]) for r in rows} == {
        ("GK111", "error", 5, "content/tzgg/a.md"),
        ("GK114", "warning", 8, "content/tzgg/a.md"),
    }


def test_github_format_is_annotations(bureau):
    bureau.item(date="2026-3-5", titel="x")
    done = run("validate", "--format", "github", cwd=bureau.root)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::error file=content/tzgg/a.md,line=5,title=GK111::GK111 ")
    assert lines[1].startswith("::warning file=content/tzgg/a.md,line=8,title=GK114::")
    assert done.returncode == 1


def test_root_given_as_path_from_elsewhere(bureau, tmp_path):
    bureau.item(date="2026-3-5")
    done = run("validate", str(bureau.root), cwd=Path("/"))
    assert done.returncode == 1 and "a.md:5: GK111" in done.stdout


def test_unreadable_catalog_exits_2(bureau):
    bureau.write("catalog.yml", "site: [\n")
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 2
    assert "catalog.yml:" in done.stdout and "GK001" in done.stdout


def test_missing_root_exits_2(tmp_path):
    done = run("validate", str(tmp_path / "nope"), cwd=tmp_path)
    assert done.returncode == 2 and "找不到文件夹" in done.stderr


def test_bad_invocation_exits_2_in_chinese(tmp_path):
    done = run("validate", "--format", "xml", cwd=tmp_path)
    assert done.returncode == 2 and "无效的取值" in done.stderr


def test_main_returns_status_in_process(bureau, monkeypatch, capsys):
    bureau.item()
    monkeypatch.chdir(bureau.root)
    assert main(["validate"]) == 0
    assert "检查通过" in capsys.readouterr().out


def test_checks_beside_the_build_find_what_check_finds(bureau):
    from generator.checks import check
    from generator.checks.worker import check_beside
    from generator.core.project import load_project

    bureau.item("content/tzgg/a.md", date="2026-3-5")
    project = load_project(bureau.root)
    expected = check(project)
    assert any(p.code == "GK111" for p in expected)
    assert check_beside(project)() == expected  # forked when this process has one thread
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert check_beside(project)() == expected  # checked in place: forking is unsafe now
    finally:
        stop.set()
        other.join()
