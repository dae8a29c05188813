"""Red team round 2: the inspection before the swap (broken links, GK410) is not part of the
"held changes never stop approved ones" rule (settle.py checks only the content rules). A staff
member with push rights pushes an item (held), then opens a harmless pull request whose new item
links to the pushed item's page; `gongkai validate` passes (the page exists on main) and the
office approves. From then on every gated build stops before the swap: no approved change, not
even an urgent response, is published until someone finds the link."""

from __future__ import annotations

import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item
from gatestub import Server, reset_stub

URGENT = item(40, "紧急回应", "hygq", date="2026-11-29", written="2026-11-29")


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_a_link_to_a_held_item_does_not_stop_an_urgent_response(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/b.md": item(5, "推送的通知")})  # held
    linking = item(6, "相关通知", body="详见[相关通知](/item/000014349/2026-00005/)。")
    pull = repo.open("tester", {"content/tzgg/c.md": linking})
    repo.review(pull, "wang")
    repo.merge(pull)
    pull = repo.open("zhao", {"content/hygq/urgent.md": URGENT})
    repo.review(pull, "wang")
    repo.merge(pull)
    reset_stub(repo)
    assert gongkai("validate", cwd=repo.root, env=server.env("github")).returncode == 0
    site = tmp_path / "site"
    done = gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(site),
        "--today", TODAY, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert done.returncode == 3, (done.returncode, done.stderr[-300:])
    assert (site / "item" / "000014349" / "2026-00040" / "index.html").is_file()


def test_the_link_to_the_held_item_is_reported_as_a_warning_naming_it(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/b.md": item(5, "推送的通知")})  # held
    linking = item(6, "相关通知", body="详见[相关通知](/item/000014349/2026-00005/)。")
    pull = repo.open("tester", {"content/tzgg/c.md": linking})
    repo.review(pull, "wang")
    repo.merge(pull)
    reset_stub(repo)
    done = gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(tmp_path / "site"),
        "--today", TODAY, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert done.returncode == 3, done.stderr[-300:]
    assert "GK413" in done.stdout and "content/tzgg/b.md" in done.stdout, done.stdout[-600:]
