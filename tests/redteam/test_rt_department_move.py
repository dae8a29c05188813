"""Red team: a pull request that moves a category's folder in catalog.yml and adds an item in the
new folder gets that category's item approved by the office alone (the folder is nobody's under
the approved catalog), although the published page names 市场管理科's category."""

from __future__ import annotations

import pytest

from gatekit import CATALOG, ForgeRepo, item
from gatestub import Server, gated_build


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_item_of_a_category_moved_in_the_same_pull_request_needs_its_department(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    moved = CATALOG.replace(
        "  - code: xzxk\n    name: 行政许可\n    department: scglk\n",
        "  - code: xzxk\n    name: 行政许可\n    department: scglk\n    folder: tzgg/xk\n",
    )
    assert moved != CATALOG
    pull = repo.open(
        "tester",
        {"catalog.yml": moved, "content/tzgg/xk/permit.md": item(20, "许可决定公告", "xzxk")},
    )
    repo.review(pull, "wang")  # the office only: 市场管理科 (wu) never saw it
    repo.merge(pull)
    site = tmp_path / "site"
    done = gated_build(repo, server, site)
    assert done.returncode in (0, 3), done.stderr
    page = site / "item" / "000014349" / "2026-00020" / "index.html"
    assert not page.exists(), "an item of 行政许可 went online without 市场管理科's approval"
