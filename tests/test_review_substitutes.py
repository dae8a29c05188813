"""Git can show other objects under an approved commit's id: replace refs (refs/replace/*, which
branch protection does not guard), grafts (.git/info/grafts) and a shallow clone's cut-off
history. The gate reads the objects themselves, or refuses (see also
tests/redteam/test_rt_replace_refs.py)."""

from __future__ import annotations

import subprocess

import pytest

from gatekit import ForgeRepo, held_from, item, item_page
from gatestub import Server
from gatestub import gated_build as build


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_a_graft_does_not_widen_what_an_approved_pull_request_changed(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/x.md": item(5, "直接推送的通知")})
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "批准的通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    # the approved head without parents: its whole tree, with the pushed file, looks like its change
    (repo.root / ".git" / "info").mkdir(exist_ok=True)
    (repo.root / ".git" / "info" / "grafts").write_text(pull.head + "\n")
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 3, done.stderr
    assert "批准的通知" in item_page(site, 2)
    assert not (site / "item" / "000014349" / "2026-00005").exists()
    assert "content/tzgg/x.md" in held_from(done.stderr)


def test_a_replaced_blob_is_not_published_for_the_approved_one(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "通知", body="批准的正文。")})
    repo.review(pull, "wang")
    repo.merge(pull)
    approved = repo.git("rev-parse", "HEAD:content/tzgg/b.md").strip()
    (tmp_path / "other.md").write_text(item(2, "通知", body="替换的正文。"), encoding="utf-8")
    other = repo.git("hash-object", "-w", str(tmp_path / "other.md")).strip()
    repo.git("replace", approved, other)
    # a held push elsewhere: the approved files are written from their blobs
    repo.push("tester", {"content/tzgg/a.md": item(1, "未批准的修改")})
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 3, done.stderr
    page = item_page(site, 2)
    assert "批准的正文。" in page and "替换的正文。" not in page


def test_a_shallow_clone_is_refused_with_a_message(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "批准的通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    repo.push("tester", {"content/tzgg/b.md": item(2, "未批准的修改")})
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    site = tmp_path / "site"
    done = build(repo, server, site, cwd=clone)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "浅克隆" in done.stderr and "fetch-depth: 0" in done.stderr
    assert "Traceback" not in done.stderr
    assert not site.exists()


def test_a_checkout_written_through_a_replace_ref_is_not_built_in_place(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "通知", body="批准的正文。")})
    repo.review(pull, "wang")
    repo.merge(pull)
    approved = repo.git("rev-parse", "HEAD:content/tzgg/b.md").strip()
    (tmp_path / "other.md").write_text(item(2, "通知", body="替换的正文。"), encoding="utf-8")
    other = repo.git("hash-object", "-w", str(tmp_path / "other.md")).strip()
    repo.git("replace", approved, other)
    # checked out again while the replace ref exists: the index names the approved blob
    (repo.root / "content/tzgg/b.md").unlink()
    repo.git("checkout", "--", "content/tzgg/b.md")
    assert "替换的正文。" in (repo.root / "content/tzgg/b.md").read_text(encoding="utf-8")
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 0, done.stderr
    page = item_page(site, 2)
    assert "批准的正文。" in page and "替换的正文。" not in page
