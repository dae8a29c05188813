"""The publish record: no rollback past an approved withdrawal, refused records, and the exit
statuses of `gongkai build --gate`."""

from __future__ import annotations

import json

import pytest

from generator.publishing.outdir import write_marker

from gatekit import ForgeRepo, item, item_page
from gatestub import Server
from gatestub import gated_build as build

PHONE = "联系电话 0351-7654321"
WITHDRAWN = "withdrawn: {date: 2026-11-20, reason: 含有个人电话,撤回。}"


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def approve(repo: ForgeRepo, files: dict, who: str = "wang") -> str:
    pull = repo.open("tester", files)
    repo.review(pull, who)
    return repo.merge(pull)


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory, server):
    """An item published with a phone number, then withdrawn through an approved pull request;
    each publication keeps its record."""
    base = tmp_path_factory.mktemp("withdrawn")
    repo = ForgeRepo(base / "repo")
    first = approve(repo, {"content/tzgg/b.md": item(2, "通知", body=PHONE)})
    site = base / "site"
    assert build(repo, server, site).returncode == 0
    (base / "r1.json").write_bytes((site / "gongkai-publish.json").read_bytes())
    text = item(2, "通知", body="（已撤回）").replace("---\n\n", f"{WITHDRAWN}\n---\n\n")
    approve(repo, {"content/tzgg/b.md": text})
    done = build(repo, server, site, "--record", str(base / "r1.json"))
    assert done.returncode == 0, done.stderr
    (base / "r2.json").write_bytes((site / "gongkai-publish.json").read_bytes())
    return repo, site, base, first


def test_withdrawal_is_published_from_the_previous_record(withdrawn):
    _, site, _, _ = withdrawn
    page = item_page(site, 2)
    assert "含有个人电话" in page and PHONE not in page


def test_record_is_refused_after_a_force_push_to_before_the_withdrawal(withdrawn, server, tmp_path):
    repo, site, base, first = withdrawn
    clone = tmp_path / "clone"
    repo.git("clone", "-q", str(repo.root), str(clone))
    forced = ForgeRepo.__new__(ForgeRepo)
    forced.root, forced.pulls, forced.moment = clone, repo.pulls, repo.moment
    forced.git("reset", "-q", "--hard", first)
    before = (site / "item/000014349/2026-00002/index.html").read_bytes()
    done = build(forced, server, site, "--record", str(base / "r2.json"))
    assert done.returncode == 2
    assert "不是当前提交" in done.stderr and "强制推送" in done.stderr
    assert (site / "item/000014349/2026-00002/index.html").read_bytes() == before


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", ["不是有效的 JSON"]),
        ('{"version": 3, "commit": "' + "a" * 40 + '"}', ["版本“3”不认识"]),
        ('{"version": 2}', ["没有有效的提交编号"]),
        ('{"version": 2, "commit": "' + "b" * 40 + '"}', ["不在本仓库中"]),
        ("[1, 2]", ["应为键值结构"]),
    ],
)
def test_unusable_record_publishes_nothing(withdrawn, server, tmp_path, content, words):
    repo, _, _, _ = withdrawn
    record = tmp_path / "record.json"
    record.write_text(content, encoding="utf-8")
    site = tmp_path / "site"
    done = build(repo, server, site, "--record", str(record))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr
    assert not site.exists()


def test_first_version_record_guards_ancestry_and_walks_from_the_first_commit(
    withdrawn, server, tmp_path
):
    repo, _, _, first = withdrawn
    record = tmp_path / "record.json"
    record.write_text(json.dumps({"commit": first, "verified": {}}), encoding="utf-8")
    done = build(repo, server, tmp_path / "site", "--record", str(record))
    assert done.returncode == 0, done.stderr


def test_force_push_to_a_draft_commit_of_an_approved_pull_request_is_held(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "通知", body="草稿，未经审核。")})
    draft = pull.head
    repo.add(pull, "tester", {"content/tzgg/b.md": item(2, "通知", body="审核通过的版本。")})
    repo.review(pull, "wang")
    repo.merge(pull)
    repo.git("reset", "-q", "--hard", draft)  # main now points at the draft commit
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 3
    assert "不是合并请求合并进 main 时产生的提交" in done.stderr
    assert not (site / "item/000014349/2026-00002").exists()


def test_exit_status_1_when_the_approved_state_has_errors(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approve(repo, {"content/tzgg/b.md": item(2, "缺少公开属性的通知", disclosure=None)})
    repo.push("tester", {"content/tzgg/c.md": item(3, "推送的通知")})  # built from a copy
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("旧网站", encoding="utf-8")
    write_marker(site)  # a site an earlier build made
    done = build(repo, server, site)
    assert done.returncode == 1
    assert "content/tzgg/b.md:" in done.stdout and "GK110" in done.stdout
    assert "gongkai-approved-" not in done.stdout and "原有网站保持不变" in done.stderr
    assert sorted(p.name for p in site.iterdir()) == [".gongkai-site", "old.html"]


def test_exit_status_0_when_everything_is_approved(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approve(repo, {"content/tzgg/b.md": item(2, "批准的通知")})
    done = build(repo, server, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert "未获批准" not in done.stderr


def test_unapproved_push_of_an_invalid_file_does_not_stop_publishing(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/b.md": "---\ntitle: [坏的\n---\n"})
    approve(repo, {"content/tzgg/c.md": item(3, "批准的通知")})
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "批准的通知" in item_page(site, 3)
