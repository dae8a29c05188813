"""A careless operator's wrong paths: the site a publication wrote is never replaced by a
preview, the two-stage build takes only the folder the gate wrote for its result, and the gate
never writes its output or result into the repository it judges."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.failure import read_error_text
from generator.publishing.outdir import (
    GATED,
    MARKER,
    PREVIEW,
    PUBLISH_RECORD,
    refusal,
    write_marker,
    written_by,
)
from generator.publishing.review.handoff import folder_digest
from generator.publishing.review.paths import is_gated
from generator.publishing.review.record import RECORD_FILE

from gatekit import TODAY, ForgeRepo, base_env, gongkai, item

ENGLISH = re.compile(r"Errno|No such file|File exists|Is a directory|Expecting value|Traceback")


def _gated_site(folder: Path) -> None:
    folder.mkdir()
    write_marker(folder, GATED)
    (folder / PUBLISH_RECORD).write_text('{"version": 2}', encoding="utf-8")
    (folder / "index.html").write_text("已发布的网站", encoding="utf-8")


def test_the_marker_and_the_record_name_agree():
    assert PUBLISH_RECORD == RECORD_FILE


def test_marker_says_which_kind_of_build_wrote_the_site(tmp_path):
    for kind in (GATED, PREVIEW):
        (tmp_path / kind).mkdir()
        write_marker(tmp_path / kind, kind)
        assert written_by(tmp_path / kind) == kind
    assert written_by(tmp_path) is None


def test_an_older_marker_with_a_publish_record_counts_as_a_publication(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("gongkai-site\n本文件夹由 gongkai 生成。\n", encoding="utf-8")
    assert written_by(site) == PREVIEW
    (site / PUBLISH_RECORD).write_text("{}", encoding="utf-8")
    assert written_by(site) == GATED
    assert refusal(tmp_path / "repo", site, PREVIEW) is not None


def test_a_publication_may_replace_a_preview_but_not_the_other_way(tmp_path):
    preview, gated = tmp_path / "preview", tmp_path / "www"
    preview.mkdir()
    write_marker(preview, PREVIEW)
    _gated_site(gated)
    root = tmp_path / "repo"
    assert refusal(root, preview, GATED) is None and refusal(root, gated, GATED) is None
    assert refusal(root, preview, PREVIEW) is None
    reason = refusal(root, gated, PREVIEW)
    assert reason is not None and "--site-dir" in reason and PUBLISH_RECORD in reason


@pytest.mark.parametrize("extra", [(), ("--gate", "--provider", "none")])
def test_preview_builds_refuse_a_published_site_and_leave_it_whole(tmp_path, extra):
    repo = ForgeRepo(tmp_path / "repo")
    site = tmp_path / "www"
    _gated_site(site)
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    done = gongkai(
        "build", "--site-dir", str(site), "--today", TODAY, *extra, cwd=repo.root, env=base_env()
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--site-dir" in done.stderr and not ENGLISH.search(done.stderr)
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before


def test_mkdocs_build_refuses_a_published_site(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    site = tmp_path / "www"
    _gated_site(site)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env=base_env(NO_MKDOCS_2_WARNING="1"),
        timeout=300,
    )
    assert done.returncode != 0 and (site / PUBLISH_RECORD).is_file()
    assert "正式发布" in done.stderr


def _gate(repo: ForgeRepo, out: Path, result: Path | str) -> object:
    return gongkai(
        "gate",
        "--provider",
        "none",
        "--out",
        str(out),
        "--result",
        str(result),
        cwd=repo.root,
        env=base_env(),
    )


def _build(folder: Path, result: Path, site: Path, *more: str) -> object:
    return gongkai(
        "build",
        str(folder),
        "--gate-result",
        str(result),
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        *more,
        cwd=folder.parent,
        env=base_env(),
    )


def test_two_stage_build_accepts_the_folder_the_gate_wrote_with_a_site_beside(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    out, result = tmp_path / "approved", tmp_path / "gate-result.json"
    assert _gate(repo, out, result).returncode == 0
    data = json.loads(result.read_text(encoding="utf-8"))
    gated = [p for p in repo.git("ls-files").splitlines() if is_gated(p)]
    assert data["folder"]["digest"].startswith("sha256:") and data["folder"]["files"] == len(gated)
    (out / "build").mkdir()  # what `pip install ./approved` leaves is not an input of the site
    (out / "build/setup.txt").write_text("x")
    done = _build(out, result, out / "site")
    assert done.returncode == 0, done.stderr
    again = _build(out, result, out / "site")  # the site inside the folder does not count
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(
    "change",
    ["edit", "add", "remove", "link"],
)
def test_two_stage_build_refuses_a_folder_changed_after_the_gate(tmp_path, change):
    repo = ForgeRepo(tmp_path / "repo")
    out, result = tmp_path / "approved", tmp_path / "gate-result.json"
    assert _gate(repo, out, result).returncode == 0
    page = out / "content/tzgg/a.md"
    if change == "edit":
        page.write_text(page.read_text(encoding="utf-8") + "未经审核的补充。\n", encoding="utf-8")
    elif change == "add":
        (out / "content/tzgg/b.md").write_text(item(2, "新增的通知"), encoding="utf-8")
    elif change == "remove":
        page.unlink()
    else:  # the same bytes, reached through a link to the checkout
        page.unlink()
        os.symlink(repo.root / "content/tzgg/a.md", page)
    site = tmp_path / "site"
    done = _build(out, result, site)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "gongkai gate" in done.stderr and not ENGLISH.search(done.stderr)
    assert not site.exists()


def test_two_stage_build_refuses_the_folder_of_another_result(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    first, first_result = tmp_path / "first", tmp_path / "first.json"
    assert _gate(repo, first, first_result).returncode == 0
    repo.push("tester", {"content/tzgg/b.md": item(2, "后来推送的通知")})
    second, second_result = tmp_path / "second", tmp_path / "second.json"
    assert _gate(repo, second, second_result).returncode == 0
    assert _build(second, first_result, tmp_path / "site").returncode == 2
    assert _build(first, second_result, tmp_path / "site").returncode == 2


def _old_gate_result(result: Path) -> None:
    """The result as a gate from before the folder digest wrote it."""
    data = json.loads(result.read_text(encoding="utf-8"))
    del data["folder"]
    result.write_text(json.dumps(data), encoding="utf-8")


def test_two_stage_build_refuses_a_result_with_an_empty_folder_digest(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    out, result = tmp_path / "approved", tmp_path / "gate-result.json"
    assert _gate(repo, out, result).returncode == 0
    data = json.loads(result.read_text(encoding="utf-8"))
    data["folder"] = {"digest": "", "files": 0}
    result.write_text(json.dumps(data), encoding="utf-8")
    done = _build(out, result, tmp_path / "site")
    assert done.returncode == 2 and "摘要" in done.stderr


def test_result_of_a_gate_older_than_the_digest_builds_its_folder_once_with_a_warning(tmp_path):
    # the publish workflow runs the last published gate: after an upgrade it writes no digest
    repo = ForgeRepo(tmp_path / "repo")
    out, result = tmp_path / "approved", tmp_path / "gate-result.json"
    assert _gate(repo, out, result).returncode == 0
    _old_gate_result(result)
    assert _build(out, result, tmp_path / "site").returncode == 2  # only when the workflow says
    done = _build(out, result, tmp_path / "site", "--older-gate")
    assert done.returncode == 0, done.stderr
    assert "旧版本" in done.stderr and (tmp_path / "site/gongkai-publish.json").is_file()


def test_result_of_a_gate_older_than_the_digest_never_builds_the_checkout(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/a.md": item(1, "通知", body="未经审核推送的正文。")})
    out, result = tmp_path / "approved", tmp_path / "gate-result.json"
    assert _gate(repo, out, result).returncode == 0
    _old_gate_result(result)
    done = _build(repo.root, result, tmp_path / "site", "--older-gate")
    assert done.returncode == 2 and "摘要" in done.stderr
    assert not (tmp_path / "site").exists()


def test_folder_digest_counts_only_gated_paths(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.md").write_text("正文")
    first = folder_digest(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    assert folder_digest(tmp_path) == first
    (tmp_path / "catalog.yml").write_text("site: {}")
    assert folder_digest(tmp_path).files == 2 and folder_digest(tmp_path) != first
    os.mkfifo(tmp_path / "content/pipe.md")  # counted, never opened (would hang)
    assert folder_digest(tmp_path).files == 3


@pytest.mark.parametrize("target", ["catalog.yml", "content/tzgg/a.md", ".git/config", "README"])
def test_gate_result_never_overwrites_a_file_of_the_repository(tmp_path, target):
    repo = ForgeRepo(tmp_path / "repo")
    if target == "README":  # tracked, though not an input of the site
        repo.push("tester", {"README": "说明\n"})
    before = (repo.root / target).read_bytes()
    done = _gate(repo, tmp_path / "approved", target)
    assert done.returncode == 2 and "--result" in done.stderr
    assert (repo.root / target).read_bytes() == before
    assert not (tmp_path / "approved").exists()


def test_gate_result_replaces_an_earlier_result_but_no_other_file(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    result = repo.root / "gate-result.json"  # as the workflow names it, in the checkout
    assert _gate(repo, tmp_path / "one", result).returncode == 0
    assert _gate(repo, tmp_path / "two", result).returncode == 0
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}', encoding="utf-8")
    done = _gate(repo, tmp_path / "three", notes)
    assert done.returncode == 2 and notes.read_text(encoding="utf-8") == '{"mine": true}'
    linked = tmp_path / "link.json"
    linked.symlink_to(repo.root / "catalog.yml")
    assert _gate(repo, tmp_path / "four", linked).returncode == 2


@pytest.mark.parametrize("out", ["content/approved", "theme", ".git/approved", "."])
def test_gate_out_never_writes_into_the_repository(tmp_path, out):
    repo = ForgeRepo(tmp_path / "repo")
    status = repo.git("status", "--porcelain", "--ignored")
    done = _gate(repo, repo.root / out, tmp_path / "r.json")
    assert done.returncode == 2 and "--out" in done.stderr and not ENGLISH.search(done.stderr)
    assert repo.git("status", "--porcelain", "--ignored") == status
    assert not (tmp_path / "r.json").exists()


def test_unreadable_json_is_told_with_line_and_column():
    try:
        json.loads("<html>")
    except ValueError as exc:
        assert read_error_text(exc) == "不是有效的 JSON（第 1 行第 1 列有误）"
    assert "不存在" in read_error_text(FileNotFoundError(2, "No such file", "r.json"))
