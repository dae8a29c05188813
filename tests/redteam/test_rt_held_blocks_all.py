"""Red team: a held half of a change makes the approved state itself invalid, so the gated build
exits 1 and publishes nothing at all, urgent approved responses included (issue #17: held
changes never stop approved ones from going out)."""

from __future__ import annotations

import pytest

from gatekit import ForgeRepo, gongkai, item
from gatestub import Server, gated_build


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


URGENT = item(40, "紧急回应", "hygq", date="2026-11-29", written="2026-11-29")


def urgent_page(site):
    return site / "item" / "000014349" / "2026-00040" / "index.html"


def test_pushed_deletion_then_reused_number_does_not_stop_an_urgent_response(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo", {"content/tzgg/b.md": item(2, "旧通知")})
    # a staff member with push rights deletes an item (held: it stays online) ...
    repo.push("tester", {"content/tzgg/b.md": None})
    # ... and opens a harmless-looking pull request whose new item takes the freed number; the
    # pull request's checks pass (the number is free on main) and the office approves it
    pull = repo.open("tester", {"content/tzgg/c.md": item(2, "新通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    check = gongkai("validate", cwd=repo.root, env=server.env("github"))
    assert check.returncode == 0, check.stdout
    # an urgent response, approved by the office, must still go out
    pull = repo.open("zhao", {"content/hygq/urgent.md": URGENT})
    repo.review(pull, "wang")
    repo.merge(pull)
    site = tmp_path / "site"
    done = gated_build(repo, server, site)
    assert done.returncode == 3, (done.returncode, done.stdout[-400:], done.stderr[-400:])
    assert urgent_page(site).is_file()


def test_an_item_moved_to_another_department_approved_by_one_side_does_not_stop_everything(
    tmp_path, server
):
    repo = ForgeRepo(tmp_path / "repo", {"content/tzgg/b.md": item(2, "许可事项通知")})
    # the item moves from 通知公告 (办公室) to 行政许可 (市场管理科); only 市场管理科 approves:
    # the addition is approved, the deletion is held
    pull = repo.open(
        "tester",
        {"content/tzgg/b.md": None, "content/xzxk/b.md": item(2, "许可事项通知", "xzxk")},
    )
    repo.review(pull, "wu")
    repo.merge(pull)
    pull = repo.open("zhao", {"content/hygq/urgent.md": URGENT})
    repo.review(pull, "wang")
    repo.merge(pull)
    site = tmp_path / "site"
    done = gated_build(repo, server, site)
    assert done.returncode == 3, (done.returncode, done.stdout[-400:], done.stderr[-400:])
    assert urgent_page(site).is_file()
