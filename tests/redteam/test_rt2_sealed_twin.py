"""Red team round 2: a sealed record entry is matched back to every file whose name masks alike.
A staff member with push rights pushes (held) a file whose name masks like an approved,
published item's; the record names the pushed file only by its masked name, and the next
publication, reading that record, withdraws the approved item too: an unreviewed push takes
approved content offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item, item_page
from gatestub import Server, reset_stub

MOBILE = "13800138000"
TWIN = "13811118000"  # masks to 138****8000, like MOBILE
# the bureau's published service number, exempted by the reviewers
EXEMPT = '[{kind: mobile, value: "138****8000", reason: 单位公开的服务电话}]'


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def build(repo: ForgeRepo, server: Server, site: Path, *args: str):
    reset_stub(repo)
    return gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(site),
        "--today", TODAY, *args, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip


def test_a_pushed_twin_name_does_not_withdraw_an_approved_published_item(tmp_path, server):
    approved = f"content/tzgg/通知-{MOBILE}.md"
    repo = ForgeRepo(
        tmp_path / "repo", {approved: item(5, "已批准的通知", screening_exempt=EXEMPT)}
    )
    repo.push("tester", {f"content/tzgg/通知-{TWIN}.md": item(6, "直接推送的通知")})
    first = tmp_path / "first"
    done = build(repo, server, first)
    assert done.returncode == 3, done.stderr
    assert "已批准的通知" in item_page(first, 5)
    record = tmp_path / "record.json"
    record.write_bytes((first / "gongkai-publish.json").read_bytes())
    pull = repo.open("zhao", {"content/tzgg/c.md": item(3, "第二个通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    second = tmp_path / "second"
    done = build(repo, server, second, "--record", str(record))
    assert done.returncode in (0, 3), done.stderr
    assert "第二个通知" in item_page(second, 3)
    # the approved item, unchanged since it was approved, must still be online
    page = second / "item" / "000014349" / "2026-00005" / "index.html"
    assert page.is_file(), done.stderr[-600:]
    assert "已批准的通知" in item_page(second, 5)
