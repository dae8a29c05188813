"""Red team round 2: held changes never stop approved ones (settle.py) only looks at files an
error names. An item moved to another department's category, approved by the old department
only, has its deletion approved and its addition held; a published item that points at it
(amends) now points at nothing. The error names the old published item (not newer), not the
approved deletion that caused it, so nothing is withheld and the gated build publishes nothing
at all: an urgent approved response waits behind one half-approved move. Fixed: the approved
deletion is withheld (the moved item stays online at its old address) until the move is approved
in full."""

from __future__ import annotations

import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item
from gatestub import Server, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


URGENT = item(40, "紧急回应", "hygq", date="2026-11-29", written="2026-11-29")


def test_an_approved_deletion_that_orphans_a_reference_does_not_stop_everything(tmp_path, server):
    repo = ForgeRepo(
        tmp_path / "repo",
        {
            "content/tzgg/t.md": item(2, "许可事项规定"),
            "content/tzgg/x.md": item(3, "修改许可事项规定的决定", amends="[000014349/2026-00002]"),
        },
    )
    # 办公室 (wang) approves the move; 市场管理科 never does: deletion approved, addition held
    pull = repo.open(
        "tester",
        {"content/tzgg/t.md": None, "content/xzxk/t.md": item(2, "许可事项规定", "xzxk")},
    )
    repo.review(pull, "wang")
    repo.merge(pull)
    pull = repo.open("zhao", {"content/hygq/urgent.md": URGENT})
    repo.review(pull, "wang")
    repo.merge(pull)
    reset_stub(repo)
    site = tmp_path / "site"
    done = gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(site),
        "--today", TODAY, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert done.returncode == 3, (done.returncode, done.stdout, done.stderr)
    assert (site / "item" / "000014349" / "2026-00040" / "index.html").is_file()
    # and the moved item is still online in one place or the other
    assert "许可事项规定" in (site / "item" / "000014349" / "2026-00002" / "index.html").read_text(
        encoding="utf-8"
    )
    # the deletion waits at its published version, and the record says why
    assert "content/tzgg/t.md  已获批准，但与暂不发布的修改冲突" in done.stderr, done.stderr[-800:]
