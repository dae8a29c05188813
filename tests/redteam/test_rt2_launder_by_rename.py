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


def _build(repo: ForgeRepo, site, server) -> str:
    reset_stub(repo)
    done = gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(site),
        "--today", TODAY, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert done.returncode in (0, 3), done.stderr[-400:]
    return site_text(site)


def test_an_approved_item_renamed_by_an_approved_pull_request_is_published(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    text = item(
        2, "关于发放补贴的通知", body="补贴标准另行公布。\n\n" + "其他事项另行通知。\n\n" * 4
    )
    first = repo.open("tester", {"content/tzgg/b.md": text})
    repo.review(first, "wang")
    repo.merge(first)
    pull = repo.open(
        "tester",
        {"content/tzgg/b.md": None, "content/tzgg/c.md": text + "\n请相互转告。\n"},
    )
    assert "rename from content/tzgg/b.md" in repo.git("diff", "-M", f"main...{pull.head}")
    repo.review(pull, "wang")
    repo.merge(pull)
    assert "请相互转告" in _build(repo, tmp_path / "site", server)


def test_a_held_item_copied_whole_by_a_pull_request_is_published_as_the_reviewers_saw_it(
    tmp_path, server
):
    repo = ForgeRepo(tmp_path / "repo")
    text = item(2, "关于发放补贴的通知", body=f"{PUSHED}\n\n" + "其他事项另行通知。\n\n" * 4)
    repo.push("tester", {"content/tzgg/b.md": text})  # held: never reviewed
    copy = text.replace("2026-00002", "2026-00003").replace("发放补贴", "发放补贴（二）")
    pull = repo.open("tester", {"content/tzgg/c.md": copy})
    # the forge shows the copy as a new file, whole: the reviewers read the pushed sentence
    assert PUSHED in repo.git("diff", "-M", f"main...{pull.head}")
    repo.review(pull, "wang")
    repo.merge(pull)
    site = tmp_path / "site"
    assert PUSHED in _build(repo, site, server)
    assert "发放补贴（二）" in site_text(site) and "2026-00002" not in site_text(site)
