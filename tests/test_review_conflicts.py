"""The gate's rules beside the red team's findings (tests/redteam/test_rt_*): the legitimate cases
keep working, and a change withheld for a conflict with a held one goes out once the conflict
is gone (also through the publish record)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekit import CATALOG, ForgeRepo, item, item_page
from gatestub import Server
from gatestub import gated_build as build

NESTED = CATALOG.replace(
    "  - code: xzxk\n    name: 行政许可\n    department: scglk\n",
    "  - code: xzxk\n    name: 行政许可\n    department: scglk\n    folder: tzgg/xk\n",
)


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def approve(repo: ForgeRepo, files: dict, *who: str) -> str:
    pull = repo.open("tester", files)
    for login in who:
        repo.review(pull, login)
    return repo.merge(pull)


def held(site: Path) -> dict:
    return json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))["held"]


def test_two_approved_pull_requests_in_sequence_on_one_file_both_publish(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approve(repo, {"content/tzgg/b.md": item(2, "通知", body="第一段。\n\n第二段。")}, "wang")
    approve(repo, {"content/tzgg/b.md": item(2, "通知", body="第一段。\n\n第二段落。")}, "wang")
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 0, done.stderr
    assert "第二段落。" in item_page(site, 2)


def test_a_pull_request_whose_diff_undoes_a_held_push_is_approved(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approved = item(2, "通知", body="第一段。\n\n第二段。\n\n第三段。")
    approve(repo, {"content/tzgg/b.md": approved}, "wang")
    repo.push("tester", {"content/tzgg/b.md": approved.replace("第一段。", "推送的第一段。")})
    # the reviewers see the pushed line taken out and the third paragraph changed
    fixed = approved.replace("第三段。", "改过的第三段。")
    approve(repo, {"content/tzgg/b.md": fixed}, "wang")
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 0, done.stderr
    page = item_page(site, 2)
    assert "改过的第三段。" in page and "推送的第一段" not in page


def test_a_one_line_approval_leaves_a_held_edit_of_the_same_file_held(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approved = item(2, "通知", body="第一段。\n\n第二段。\n\n第三段。")
    approve(repo, {"content/tzgg/b.md": approved}, "wang")
    pushed = approved.replace("第一段。", "推送的第一段。")
    repo.push("tester", {"content/tzgg/b.md": pushed})
    approve(repo, {"content/tzgg/b.md": pushed.replace("第三段。", "改过的第三段。")}, "wang")
    site = tmp_path / "site"
    assert build(repo, server, site).returncode == 3
    page = item_page(site, 2)
    assert "推送的第一段" not in page and "第三段。" in page
    assert "审核人看到的差异不包含" in held(site)["content/tzgg/b.md"]


def test_attachment_replacement_approved_by_its_folder_and_its_item_department_publishes(
    tmp_path, server
):
    repo = ForgeRepo(
        tmp_path / "repo",
        {
            "catalog.yml": NESTED,
            "content/tzgg/notice.md": item(2, "通知", body="见附件。", attachments="[xk/名单.txt]"),
            "content/tzgg/xk/名单.txt": "第一版名单\n",
        },
    )
    approve(repo, {"content/tzgg/xk/名单.txt": "第二版名单\n"}, "wu", "wang")
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 0, done.stderr
    assert [p.read_text("utf-8") for p in site.rglob("名单.txt")] == ["第二版名单\n"]


def test_folder_moved_with_an_item_is_approved_by_both_departments(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approve(
        repo,
        {"catalog.yml": NESTED, "content/tzgg/xk/permit.md": item(20, "许可决定公告", "xzxk")},
        "wang",
        "wu",
    )
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 0, done.stderr
    assert "许可决定公告" in item_page(site, 20)


def test_change_withheld_for_a_conflict_publishes_once_the_held_side_is_approved(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo", {"content/tzgg/b.md": item(2, "旧通知")})
    site = tmp_path / "site"
    assert build(repo, server, site).returncode == 0
    record = tmp_path / "r1.json"
    record.write_bytes((site / "gongkai-publish.json").read_bytes())
    before = repo.sha()
    repo.push("tester", {"content/tzgg/b.md": None})  # held: the old item stays online
    approve(repo, {"content/tzgg/c.md": item(2, "新通知")}, "wang")  # takes the old number
    approve(repo, {"content/tzgg/d.md": item(3, "另一条通知")}, "wang")
    done = build(repo, server, site, "--record", str(record))
    assert done.returncode == 3, done.stderr
    assert "旧通知" in item_page(site, 2) and "另一条通知" in item_page(site, 3)
    reason = held(site)["content/tzgg/c.md"]
    assert "冲突" in reason and "索引号" in reason and "content/tzgg/b.md" in held(site)
    (tmp_path / "r2.json").write_bytes((site / "gongkai-publish.json").read_bytes())
    # the office approves the deletion, in a pull request whose diff shows it: the withheld
    # item then goes out without being approved again
    pull = repo.open("tester", {"content/tzgg/b.md": None}, base=before)
    pull.base = "main"
    repo.review(pull, "wang")
    repo.merge(pull)
    done = build(repo, server, site, "--record", str(tmp_path / "r2.json"))
    assert done.returncode == 0, done.stderr
    assert "新通知" in item_page(site, 2)
    assert not held(site)
