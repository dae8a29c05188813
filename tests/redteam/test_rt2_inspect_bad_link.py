"""Red team round 2: the inspection (run by `gongkai build` before the swap, and by `gongkai
inspect`) splits every link of every page with urllib's urlsplit, which raises ValueError on a
protocol-relative link with an unbalanced "[" (`//[x/`). The sanitiser keeps such a link (it is
relative to nh3) and `gongkai validate` passes, so one approved item stops every build with
"意外的内部错误" (exit 70): nothing is published until a technician reads the log."""

from __future__ import annotations

import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item
from gatestub import Server, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.mark.parametrize("body", ['详见<a href="//[x/">链接</a>。', "详见[链接](<//[x/>)。"])
def test_a_malformed_link_in_an_item_is_a_problem_not_an_internal_error(tmp_path, server, body):
    repo = ForgeRepo(tmp_path / "repo", {"content/tzgg/c.md": item(6, "相关通知", body=body)})
    reset_stub(repo)
    check = gongkai("validate", cwd=repo.root, env=server.env("github"))
    site = tmp_path / "site"
    done = gongkai(
        "build", "--gate", "--provider", "github", "--site-dir", str(site),
        "--today", TODAY, cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert "内部错误" not in done.stderr, (check.returncode, done.returncode)
    assert done.returncode in (0, 1)
    if done.returncode == 1:  # refused: then the author is told which file and line
        assert "content/tzgg/c.md" in done.stdout + done.stderr
