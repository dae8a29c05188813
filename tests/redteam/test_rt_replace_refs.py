"""Red team (staff member with push rights): branch protection guards branches, not
refs/replace/*. A clone that carries replace refs (`git clone --mirror`, `git fetch origin
'+refs/*:refs/*'` on a deploy server) shows every git command the replacement instead of the
commit the forge approved: the gate reads trees and blobs through `git ls-tree`, `git log` and
`git cat-file` without `--no-replace-objects`. Replacing the approved merge and the approved
head (same ids the forge names) publishes another text as approved."""

from __future__ import annotations

import pytest

from gatekit import ForgeRepo, item, item_page
from gatestub import Server, gated_build


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_a_replace_ref_does_not_change_what_the_approved_merge_publishes(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "通知", body="批准的正文。")})
    repo.review(pull, "wang")
    merge = repo.merge(pull)
    # a commit with the same parents and message as the approved merge, but another tree
    repo.git("checkout", "-q", "--detach", merge)
    repo.write({"content/tzgg/b.md": item(2, "通知", body="替换对象中的正文。")})
    repo.git("add", "-A")
    tree = repo.git("write-tree").strip()
    parents = repo.git("log", "-1", "--format=%P", merge).split()
    fake = repo.git(
        "commit-tree",
        tree,
        *sum((["-p", p] for p in parents), []),
        "-m",
        f"Merge pull request #{pull.number}",
        who="wang",
    ).strip()
    # and the approved head, whose sha the forge's approval names
    head_parents = repo.git("log", "-1", "--format=%P", pull.head).split()
    fake_head = repo.git(
        "commit-tree",
        tree,
        *sum((["-p", p] for p in head_parents), []),
        "-m",
        "修改 1",
        who="tester",
    ).strip()
    repo.git("checkout", "-q", "-f", "main")
    # what `git fetch origin '+refs/*:refs/*'` would bring from the forge
    repo.git("replace", merge, fake)
    repo.git("replace", pull.head, fake_head)
    site = tmp_path / "site"
    done = gated_build(repo, server, site)
    assert done.returncode in (0, 3), done.stderr
    page = item_page(site, 2)
    assert "替换对象中的正文。" not in page and "批准的正文。" in page
