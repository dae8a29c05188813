"""A Markdown attachment (e.g. 规划全文) is published as a page of the site, rendered and
sanitised as an item's body is, and checked by the same rule (issue #20)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from test_markup import INTRO, TODAY, build_problems, site_bureau

from generator.core.project import load_project
from generator.inspection.run import inspect_site
from generator.site.build import build_site_dir
from generator.site.plugin import GongkaiPlugin

ITEM_DIR = "item/000014349/2026-00001/"
PLAN = (
    "# 规划全文\n\n## 一、发展目标\n\n"
    "- 年接待游客突破6000万人次；\n- 旅游总收入年均增长百分之八以上。\n\n"
    "见[本条信息](../../)。\n"
)
# Each hostile line is reported at its own line of the attachment (the text starts at line 1).
HOSTILE = (
    INTRO
    + "<script>alert(1)</script>\n\n"
    + '<iframe src="https://evil.example/"></iframe>\n\n'
    + "[点我](javascript:alert(1))\n"
)


def with_attachment(root: Path, text: str):
    bureau = site_bureau(root)
    bureau.write("content/tzgg/attachments/规划全文.md", text)
    item = bureau.item(attachments="[{path: attachments/规划全文.md, name: 规划全文}]")
    return bureau, item


def build(bureau, site: Path, **options) -> None:
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False, options=options)


def test_markdown_attachment_is_a_page_the_item_links_to(tmp_path):
    bureau, _ = with_attachment(tmp_path / "b", PLAN)
    site = tmp_path / "site"
    build(bureau, site)
    folder = site / ITEM_DIR / "attachments/规划全文.md"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert (
        "<h2" in page and "一、发展目标" in page and "<li>年接待游客突破6000万人次；</li>" in page
    )
    assert 'href="../../"' in page  # back to its item, from the page and from its text
    assert "关于开展文化市场检查的通知" in page.split('class="gk-attachment-of"')[1][:300]
    assert not folder.is_file() and [p.name for p in folder.iterdir()] == ["index.html"]
    item = (site / ITEM_DIR / "index.html").read_text(encoding="utf-8")
    href = "./attachments/" + quote("规划全文.md") + "/"
    assert f'<a href="{href}">在线阅读' in item and f'href="{href}" download' not in item
    assert '<th scope="col">查看或下载</th>' in item  # the column is not only for downloads
    record = json.loads((site / ITEM_DIR / "index.json").read_text(encoding="utf-8"))
    [attachment] = record["attachments"]
    assert attachment["url"] == ITEM_DIR + "attachments/规划全文.md/"
    assert attachment["type"] == "网页" and attachment["size"] == len(PLAN.encode())
    assert attachment["sha256"] == hashlib.sha256(PLAN.encode()).hexdigest()  # the approved file
    manifest = json.loads((site / "gongkai-manifest.json").read_text(encoding="utf-8"))
    assert ITEM_DIR + "attachments/规划全文.md/index.html" in json.dumps(
        manifest, ensure_ascii=False
    )
    inspected = inspect_site(load_project(bureau.root), site, TODAY)
    # the attachment's page passes every page check (links, meta tags, h1); the tiny bureau's
    # stale columns are reported against catalog.yml
    pages = [p for p in inspected.problems if p.is_error and not p.file.endswith("catalog.yml")]
    assert pages == []


def test_hostile_markdown_attachment_is_reported_as_a_body_is(tmp_path):
    bureau, item = with_attachment(tmp_path / "b", HOSTILE)
    attachment = (bureau.root / "content/tzgg/attachments/规划全文.md").resolve()
    found = {(Path(p.file).resolve(), p.line, p.code) for p in bureau.problems()}
    expected = {(attachment, 3, "GK901"), (attachment, 5, "GK901"), (attachment, 7, "GK903")}
    assert expected <= found
    # the same text as an item's body gets the same codes and messages: one rule
    as_body = site_bureau(tmp_path / "c")
    as_body.item_with_body(HOSTILE)
    by_body = sorted((p.code, p.message) for p in as_body.problems() if p.code.startswith("GK9"))
    by_file = sorted(
        (p.code, p.message) for p in bureau.problems() if Path(p.file).resolve() == attachment
    )
    assert by_file == by_body and len(by_file) == 3
    # a build without validation refuses it, naming the attachment's lines
    assert build_problems(bureau, tmp_path / "refused") == expected


def test_hostile_markdown_attachment_page_keeps_none_of_it(tmp_path):
    bureau, _ = with_attachment(tmp_path / "b", HOSTILE)
    site = tmp_path / "site"
    build(bureau, site, stop_on_removed_markup=False)
    page = (site / ITEM_DIR / "attachments/规划全文.md/index.html").read_text(encoding="utf-8")
    body = page.split('class="gk-body"', 1)[1].split("</article>", 1)[0]
    assert "第一段。" in body and "点我" in body
    assert "<script" not in body and "<iframe" not in body and "javascript:" not in body
    assert "alert(1)" not in page


FRONT = "---\ntitle: 起草说明仅供内部\nauthor: 综合科\n---\n"


def test_front_matter_of_a_markdown_attachment_is_read_as_mkdocs_reads_a_page(
    tmp_path, monkeypatch
):
    """The page is the text after the front matter, either way the site renders pages; a
    hostile line is reported at its own line of the file, by validate and by the build."""
    bureau, _ = with_attachment(tmp_path / "b", FRONT + PLAN)
    pages = {}
    for fast in (True, False):
        monkeypatch.setattr(GongkaiPlugin, "fast_pages", fast)
        site = tmp_path / f"site-{fast}"
        build(bureau, site)
        pages[fast] = (site / ITEM_DIR / "attachments/规划全文.md/index.html").read_bytes()
    page = pages[True].decode("utf-8")
    assert "一、发展目标" in page and "起草说明仅供内部" not in page and "综合科" not in page
    assert pages[True] == pages[False]

    hostile, _ = with_attachment(tmp_path / "h", FRONT + HOSTILE)
    attachment = (hostile.root / "content/tzgg/attachments/规划全文.md").resolve()
    expected = {(attachment, 7, "GK901"), (attachment, 9, "GK901"), (attachment, 11, "GK903")}
    found = {(Path(p.file).resolve(), p.line, p.code) for p in hostile.problems()}
    assert {f for f in found if f[2].startswith("GK9")} == expected
    assert build_problems(hostile, tmp_path / "refused") == expected
