"""Red team: a Markdown attachment published as a page (generator/core/attachments.py `is_page`)
must be exactly as safe as an item's body: its content gated by the review like any attachment,
the page's problems reported at the attachment's own file and line, and nothing of a hostile
text published."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gatekit import TODAY, ForgeRepo, item, site_text
from gatestub import Server, gated_build

sys.path.insert(0, str(Path(__file__).parents[1]))
from test_markup import site_bureau  # noqa: E402

ATTACHMENT = "content/tzgg/attachments/规划全文.md"
ITEM = item(2, "关于印发规划的通知", body="见附件。", attachments="[attachments/规划全文.md]")


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def page_of(site: Path) -> str:
    [page] = site.glob("item/000014349/2026-00002/attachments/*.md/index.html")
    return page.read_text(encoding="utf-8")


def test_unapproved_change_to_a_markdown_attachment_is_not_published(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open(
        "tester", {"content/tzgg/b.md": ITEM, ATTACHMENT: "# 规划全文\n\n批准的目标。\n"}
    )
    repo.review(pull, "wang")
    repo.merge(pull)
    site = tmp_path / "site"
    first = gated_build(repo, server, site)
    assert first.returncode == 0, first.stdout[-500:] + first.stderr[-500:]
    assert "批准的目标。" in page_of(site)
    # pushed without a review, and merged without one: held, the approved page stays
    repo.push("tester", {ATTACHMENT: "# 规划全文\n\n未经批准的目标。\n"})
    pull = repo.open("zhao", {ATTACHMENT: "# 规划全文\n\n另一个未经批准的目标。\n"})
    repo.merge(pull)
    done = gated_build(repo, server, site)
    assert done.returncode in (0, 3), done.stdout[-500:] + done.stderr[-500:]
    published = site_text(site)
    assert "批准的目标。" in page_of(site)
    assert "未经批准的目标" not in published


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def bureau_with(root: Path, text: str):
    bureau = site_bureau(root)
    bureau.write(ATTACHMENT, text)
    bureau.item(attachments="[attachments/规划全文.md]")
    return bureau


def test_broken_link_in_a_markdown_attachment_is_reported_at_its_line(tmp_path):
    """An item body's broken link is reported at the body's line, as written; the same link in
    a Markdown attachment was reported at the built page's HTML line, with a site address."""
    text = "# 规划全文\n\n第一段。\n\n[上级文件](../../../../2026-09999/)\n"
    bureau = bureau_with(tmp_path / "b", text)
    done = cli("build", "--site-dir", str(tmp_path / "site"), "--today", TODAY, cwd=bureau.root)
    out = done.stdout + done.stderr
    assert "GK410" in out, out[-800:]
    lines = [line for line in out.splitlines() if "GK410" in line]
    assert lines == [
        f"{ATTACHMENT}:5: GK410 [错误] 站内链接指向不存在的页面：../../../../2026-09999/"
    ], lines
    assert "index.html" not in "".join(lines)


def built_attachment_page(tmp_path: Path, **changes: str) -> str:
    from test_markup import TODAY as BUILD_DAY

    from generator.core.project import load_project
    from generator.site.build import build_site_dir

    bureau = site_bureau(tmp_path / "b")
    bureau.write(ATTACHMENT, "# 规划全文\n\n一、发展目标。\n")
    bureau.item(attachments="[attachments/规划全文.md]", **changes)
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, BUILD_DAY, progress=False)
    [page] = site.glob("item/*/*/attachments/*.md/index.html")
    return page.read_text(encoding="utf-8")


def test_page_of_a_withdrawn_items_attachment_says_it_is_withdrawn(tmp_path):
    """The item's page says 本信息已于…撤回; its Markdown attachment's page, reachable on its own
    (it is in sitemap.xml), showed the withdrawn text as if it were still in force."""
    page = built_attachment_page(tmp_path, withdrawn="{date: 2026-03-06, reason: 标准有误，撤回。}")
    notice = page.split('class="gk-notice gk-notice--withdrawn"', 1)
    assert len(notice) == 2, "no withdrawn notice on the attachment's page"
    assert "2026-03-06" in notice[1][:400] and "标准有误，撤回。" in notice[1][:400]
    assert notice[1].index("撤回") < notice[1].index("一、发展目标")


def test_page_of_an_expired_items_attachment_says_it_has_lapsed(tmp_path):
    page = built_attachment_page(tmp_path, expires="2026-06-30")
    notice = page.split('class="gk-notice gk-notice--expired"', 1)
    assert len(notice) == 2, "no expiry notice on the attachment's page"
    assert "2026年6月30日" in notice[1][:400] and "失效" in notice[1][:400]


def test_monitoring_url_of_an_attachment_page_is_its_address(tmp_path):
    """The `Url` meta tag is the page's address: a name with `#`, `?`, `%` or a space was written
    into it as it is, so the address it gives is another one (`#` starts a fragment)."""
    from test_markup import TODAY as BUILD_DAY

    from generator.core.project import load_project
    from generator.site.build import build_site_dir

    name = "a%20b#c?d 空格.md"
    bureau = site_bureau(tmp_path / "b")
    bureau.write(f"content/tzgg/attachments/{name}", "# 全文\n")
    bureau.item(attachments=f"['attachments/{name}']")
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, BUILD_DAY, progress=False)
    page = (site / "item/000014349/2026-00001/attachments" / name / "index.html").read_text(
        encoding="utf-8"
    )
    [url] = re.findall(r'<meta name="Url" content="([^"]*)">', page)
    item_page = (site / "item/000014349/2026-00001/index.html").read_text(encoding="utf-8")
    [href] = re.findall(r'<a href="\./attachments/([^"]*)">在线阅读', item_page)
    assert url == "https://example.gov.cn/item/000014349/2026-00001/attachments/" + href
    assert "#" not in url and " " not in url


def test_markdown_attachment_is_held_to_the_size_limit_of_an_item(tmp_path):
    """An item's file over limits.max_item_kb is refused (GK108: rendering it bounds the build);
    the same text as a Markdown attachment was rendered, checked and published whatever its size
    (8 MB: 50 s of build time, linear, so 100 MB holds the build ten minutes)."""
    bureau = site_bureau(tmp_path / "b")
    paragraph = "第一条　为了规范文化市场经营活动，根据有关法律法规制定本办法。\n\n"
    big = "# 全文\n\n" + paragraph * (1024 * 1024 // len(paragraph.encode()) + 1)
    bureau.write(ATTACHMENT, big)
    bureau.item(attachments="[attachments/规划全文.md]")
    problems = [p for p in bureau.problems() if p.code == "GK108"]
    assert len(problems) == 1 and "规划全文.md" in problems[0].message
    assert "limits.max_item_kb" in problems[0].message
    # as an item body the same size is refused the same way
    as_body = site_bureau(tmp_path / "c")
    as_body.item_with_body(big)
    assert "GK108" in as_body.codes()


def test_item_data_hash_of_a_markdown_attachment_changes_only_with_the_attachment(tmp_path):
    import json

    from test_markup import TODAY as BUILD_DAY

    from generator.core.project import load_project
    from generator.site.build import build_site_dir

    from helpers import item_text

    bureau = site_bureau(tmp_path / "b")
    bureau.write(ATTACHMENT, "# 规划全文\n\n一、发展目标。\n")
    bureau.item(attachments="[attachments/规划全文.md]")

    def record() -> dict:
        site = tmp_path / f"site{len(list(tmp_path.iterdir()))}"
        build_site_dir(load_project(bureau.root), site, BUILD_DAY, progress=False)
        data = json.loads((site / "item/000014349/2026-00001/index.json").read_text("utf-8"))
        [attachment] = data["attachments"]
        return attachment

    before = record()
    # another item is published; this item and its attachment are untouched
    bureau.write("content/tzgg/b.md", item_text(index_no="000014349/2026-00002", title="另一条"))
    after = record()
    assert (after["sha256"], after["size"]) == (before["sha256"], before["size"])
