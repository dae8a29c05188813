"""Red team (staff with push rights): a pushed, held change rides along with the next approved
pull request that touches the same file, although the reviewer never saw it as a change."""

from __future__ import annotations

import pytest

from gatekit import ForgeRepo, item, item_page
from gatestub import Server, gated_build

WITHDRAWN = "withdrawn: {date: 2026-11-20, reason: 补贴标准有误,撤回。}"


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_pushed_undo_of_a_withdrawal_is_not_published_by_a_later_one_line_approval(
    tmp_path, server
):
    repo = ForgeRepo(tmp_path / "repo")
    original = item(2, "通知", body="补贴标准为每人每月五千元。\n\n第二段。")
    pull = repo.open("tester", {"content/tzgg/b.md": original})
    repo.review(pull, "wang")
    repo.merge(pull)
    withdrawn = original.replace("---\n\n", f"{WITHDRAWN}\n---\n\n")
    pull = repo.open("tester", {"content/tzgg/b.md": withdrawn})
    repo.review(pull, "wang")
    repo.merge(pull)
    # a staff member with push rights undoes the approved withdrawal: held, as documented
    repo.push("tester", {"content/tzgg/b.md": original})
    site = tmp_path / "site"
    assert gated_build(repo, server, site).returncode == 3
    assert "撤回原因：补贴标准有误" in item_page(site, 2)
    # then opens a pull request fixing one word of the second paragraph; the diff the reviewer
    # approves is that one word (the withdrawal's removal is in the base, not in the diff)
    pull = repo.open("tester", {"content/tzgg/b.md": original.replace("第二段。", "第二段落。")})
    diff = repo.git("diff", f"main...{pull.head}")
    assert "withdrawn" not in diff and "第二段落" in diff
    repo.review(pull, "wang")
    repo.merge(pull)
    done = gated_build(repo, server, site)
    page = item_page(site, 2)
    # the approved withdrawal must still be online (or the change held): the reviewer never
    # approved undoing it
    assert "撤回原因：补贴标准有误" in page, (done.returncode, done.stderr[-300:])
