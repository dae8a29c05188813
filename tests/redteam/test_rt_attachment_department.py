"""Red team: an attachment is approved by the department of the folder it lies in, not by the
department of the item that publishes it (issue #17: "attachments (the item's department)").
With a child category of another department nested in a category's folder, an item of 办公室
can list an attachment in that child's folder, and 市场管理科 alone then replaces it."""

from __future__ import annotations

import pytest

from gatekit import CATALOG, ForgeRepo, item, site_text
from gatestub import Server, gated_build

NESTED = CATALOG.replace(
    "  - code: xzxk\n    name: 行政许可\n    department: scglk\n",
    "  - code: xzxk\n    name: 行政许可\n    department: scglk\n    folder: tzgg/xk\n",
)


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_attachment_of_an_office_item_needs_the_office_to_approve_its_replacement(tmp_path, server):
    assert NESTED != CATALOG
    repo = ForgeRepo(
        tmp_path / "repo",
        {
            "catalog.yml": NESTED,
            "content/tzgg/notice.md": item(
                2, "办公室的通知", body="见附件。", attachments="[xk/名单.txt]"
            ),
            "content/tzgg/xk/名单.txt": "办公室批准的名单\n",
        },
    )
    pull = repo.open("tester", {"content/tzgg/xk/名单.txt": "市场管理科换上的名单\n"})
    repo.review(pull, "wu")  # 市场管理科 only; the item is 办公室's
    repo.merge(pull)
    site = tmp_path / "site"
    done = gated_build(repo, server, site)
    assert done.returncode in (0, 3), done.stdout[-500:] + done.stderr[-500:]
    published = "\n".join(
        p.read_text("utf-8", "replace") for p in site.rglob("*.txt") if "名单" in p.name
    )
    assert published, "the attachment was not published at all"
    assert "市场管理科换上的名单" not in published + site_text(site)
