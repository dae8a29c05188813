"""Values from catalog.yml and front matter are text on every page: autoescaped templates (the
plugin turns autoescape on for mkdocs' and material's templates too), never markup."""

from __future__ import annotations

import html
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.checks import check
from generator.core.project import load_project
from generator.site.build import build_site_dir

from helpers import Bureau

ROOT = Path(__file__).parents[1]
IMG = "<img src=x onerror=alert(1)>"
SVG = "\"'><svg onload=alert(2)>"
BOTH = IMG + SVG


def q(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


CATALOG = f"""\
site:
  name: {q("测试局" + BOTH)}
  base_url: https://example.gov.cn/
organization:
  name: {q("测试市文化和旅游局" + BOTH)}
  code: "000014349"
index_number:
  template: "{{org}}/{{year}}-{{serial:05d}}"
  scope: year
departments:
  - id: bgs
    name: {q("办公室" + BOTH)}
    reviewers: [wang]
categories:
  - code: tzgg
    name: {q("通知公告" + BOTH)}
    department: bgs
    description: {q("说明" + BOTH)}
    children:
      - code: jd
        name: {q("政策解读" + SVG)}
requests:
  office: {q("办公室" + BOTH)}
  address: {q("人民路1号" + BOTH)}
  hours: {q("工作日" + BOTH)}
  phone: {q("0000-1234501" + SVG)}
  email: {q("xxgk@example.gov.cn" + IMG)}
  online: {q("https://example.gov.cn/" + SVG)}
"""


def item(number: int, category: str, extra: str, body: str = "正文。") -> str:
    return f"""\
---
title: {q("关于开展检查的通知" + str(number) + BOTH)}
category: {category}
index_no: "000014349/2026-{number:05d}"
date: 2026-03-0{number}
written: 2026-03-01
disclosure: 主动公开
doc_no: {q("测文旅发〔2026〕" + str(number) + "号" + SVG)}
publisher: {q("测试局" + IMG)}
summary: {q("概述" + BOTH)}
keywords: [{q("检查" + IMG)}, {q("市场" + SVG)}]
{extra}---

{body}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("escaping")
    bureau = Bureau(root / "b")
    bureau.write("catalog.yml", CATALOG)
    shutil.copy(ROOT / "mkdocs.yml", bureau.root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    bureau.write("content/pages/.keep", "")
    bureau.write("content/tzgg/a.csv", "项目，金额\n预算，100\n")
    attachment = f"attachments:\n  - path: a.csv\n    name: {q('附件' + BOTH)}\n"
    bureau.write("content/tzgg/a.md", item(1, "tzgg", attachment, "## 第一节\n\n正文。"))
    withdrawn = f"withdrawn:\n  date: 2026-05-01\n  reason: {q('撤回原因' + BOTH)}\n"
    bureau.write("content/tzgg/b.md", item(2, "tzgg", withdrawn))
    bureau.write(
        "content/tzgg/jd/c.md",
        item(3, "jd", 'type: interpretation\ninterprets: "000014349/2026-00001"\n'),
    )
    project = load_project(bureau.root)
    errors = [p for p in check(project) if p.is_error]
    assert errors == [], errors
    out = root / "site"
    build_site_dir(
        project, out, date(2026, 11, 23), progress=False, inspect=False
    )  # hostile values link nowhere (GK410)
    return out


class Elements(HTMLParser):
    """Every element and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, attrs))

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_every_page_shows_the_values_as_text(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    shown = 0
    for page in pages:
        parser = Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attributes in parser.found:
            assert not (tag == "img" and ("src", "x") in attributes), (page, attributes)
            for name, value in attributes:
                assert not name.startswith("on"), (page, tag, name, value)
        text = "".join(parser.text)
        shown += text.count(IMG) + text.count(SVG)
    assert shown > 50  # the values are there, as the text they are


def test_item_page_keeps_every_value_in_its_place(site):
    parser = Elements()
    page = site / "item/000014349/2026-00001/index.html"
    parser.feed(page.read_text(encoding="utf-8"))
    text = "".join(parser.text)
    for value in ("测文旅发〔2026〕1号" + SVG, "附件" + BOTH, "测试局" + IMG, "检查" + IMG):
        assert value in text, value
    metas = {dict(a).get("name"): dict(a).get("content") for t, a in parser.found if t == "meta"}
    assert metas["ArticleTitle"] == "关于开展检查的通知1" + BOTH
    titles = [dict(a).get("title") for t, a in parser.found if t == "a"]
    assert "测试局" + BOTH in titles  # the header logo's title attribute


def test_feeds_and_sitemap_stay_well_formed(site):
    for name in ("feed.xml", "sitemap.xml"):
        tree = ET.parse(site / name)
        tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
        assert not tags & {"svg", "img", "script"}, name


def test_feed_descriptions_are_text_to_a_feed_reader(site):
    """Readers render an RSS description as HTML: a summary must stay text there too."""
    descriptions = [e.text or "" for e in ET.parse(site / "feed.xml").iter("description")]
    assert any(IMG in html.unescape(d) for d in descriptions)
    for description in descriptions:
        parser = Elements()
        parser.feed(description)
        assert [t for t, _ in parser.found if t in ("img", "svg")] == [], description
