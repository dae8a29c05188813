"""Red team round 2 (staff with push rights): the laundering rule (judge.shows_every_change)
compares each path on its own. A pushed, held new item is renamed by a later pull request with a
one-word change: the forge shows the reviewers a rename with that one word (rename detection,
as `git diff -M`), the gate sees a new file whose whole text is "in the diff" and approves it,
so the pushed text the reviewers never saw goes out."""

from __future__ import annotations

import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item, site_text
from gatestub import Server, reset_stub

PUSHED = "补贴标准为每人每月五万元。"


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_a_pushed_item_renamed_by_a_one_word_pull_request_is_not_published(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    text = item(
        2,
        "关于发放补贴的通知",
        body=f"{PUSHED}\n\n" + "其他事项另行通知。\n\n" * 4 + "请相互转告。",
    )
    repo.push("tester", {"content/tzgg/b.md": text})  # held: never reviewed
    pull = repo.open(
        "tester",
        {"content/tzgg/b.md": None, "content/tzgg/c.md": text.replace("相互转告", "互相转告")},
    )
    # what the forge shows the reviewer: a rename and one changed line, not the pushed text
    shown = repo.git("diff", "-M", f"main...{pull.head}")
    assert "rename from content/tzgg/b.md" in shown and PUSHED not in shown
    repo.review(pull, "wang")
    repo.merge(pull)
    reset_stub(repo)
    site = tmp_path / "site"
    done = gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(site),
        "--today", TODAY, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert done.returncode in (0, 3), done.stderr[-400:]
    assert PUSHED not in site_text(site), f"exit {done.returncode}: the pushed text went out"
