"""The built site, read as files: what is public, what never is, and what an item page says."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.core.project import load_project
from generator.core.public_set import item_path, public_set
from generator.reports.annual_export import CSV_COLUMNS
from generator.site.build import build_site_dir

from helpers import ITEM, Bureau, run

ROOT = Path(__file__).parents[1]
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("demo") / "site"
    build_site_dir(load_project(ROOT), site, TODAY, progress=False)
    return site


@pytest.fixture(scope="module")
def gaps(tmp_path_factory) -> Path:
    """The demo bureau without its newest 机构职能 and its only 行政强制 item: one stale and one
    empty category, as a bureau has before it catches up."""
    root = tmp_path_factory.mktemp("gaps") / "bureau"
    shutil.copytree(
        ROOT, root, ignore=shutil.ignore_patterns(".git", ".venv", "site", "2026-0004[01]-*")
    )
    assert len(list(ROOT.rglob("2026-0004[01]-*"))) == 2 and not list(root.rglob("2026-0004[01]-*"))
    return root


def page(site: Path, index_no: str) -> str:
    return (site / "item" / index_no / "index.html").read_text(encoding="utf-8")


def all_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js", ".csv", ".md", ".txt")
    )


def demo_item(key: str):
    [item] = [i for i in load_project(ROOT).items if i.path.stem.split("-", 2)[-1] == key]
    return item


def test_pages_are_chinese_government_pages(demo):
    home = (demo / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in home
    assert "示例市文化和旅游局政府信息公开" in home
    for guide in ("gkzn/", "ysqgk/", "ndbg/"):
        assert f'href="{guide}"' in home
        assert (demo / guide / "index.html").is_file()


def test_item_page_header_table_and_meta(demo):
    item = demo_item("lvxingshe2026")
    html = page(demo, item.index_no)
    for label, value in [
        ("索引号", item.index_no),
        ("文号", "示文旅规〔2026〕1号"),
        ("成文日期", "2026-03-02"),
        ("发布日期", "2026-03-06"),
        ("生效日期", "2026-04-01"),
        ("主题分类", "政策文件 &gt; 行政规范性文件"),
    ]:
        assert re.search(rf"<th scope=\"row\">{label}</th><td>{re.escape(value)}</td>", html), label
    assert '<th scope="row">废止日期</th>' not in html  # empty rows are left out
    assert '<meta name="ArticleTitle" content="示例市旅行社服务质量评价办法（修订）">' in html
    assert '<meta name="PubDate" content="2026-03-06 00:00">' in html  # YYYY-MM-DD HH:MM
    assert '<meta name="ColumnName" content="行政规范性文件">' in html
    assert "【字体：" in html and "data-gk-print" in html


def test_expired_item_is_marked_invalid(demo):
    html = page(demo, demo_item("jingqu2024").index_no)
    assert "<strong>已失效</strong>" in html


def test_repealed_item_links_to_its_repealer(demo):
    old, new = demo_item("lvxingshe2024"), demo_item("lvxingshe2026")
    html = page(demo, old.index_no)
    assert "<strong>已废止</strong>" in html
    serial = new.index_no.split("/")[1]
    assert re.search(rf'<strong>已废止</strong>\s*（<a href="(\.\./)+{serial}/">', html)
    assert "本文件废止的文件" in page(demo, new.index_no)


def test_amended_item_is_marked_with_link(demo):
    html = page(demo, demo_item("mianfei2025").index_no)
    assert "<strong>已修改</strong>" in html and "关于修改" in html


def test_document_and_interpretation_link_both_ways(demo):
    doc, jd = demo_item("lvxingshe2026"), demo_item("jd-lvxingshe2026")
    assert "政策解读" in page(demo, doc.index_no) and jd.title in page(demo, doc.index_no)
    assert "解读的文件" in page(demo, jd.index_no) and doc.title in page(demo, jd.index_no)


def test_feed_lists_newest_items_but_not_withdrawn(demo):
    feed = (demo / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 20
    assert demo_item("dongji-anquan").title in feed
    assert demo_item("huimin-tiaozheng").index_no.split("/")[1] not in feed
    newest = re.search(r"<pubDate>(.*?)</pubDate>", feed.split("<item>")[1])[1]
    assert f"<lastBuildDate>{newest}</lastBuildDate>" in feed  # not the time of the build


def test_attachments_are_listed_and_copied(demo):
    item = demo_item("yusuan2026")
    html = page(demo, item.index_no)
    assert "2026年部门预算表" in html and "CSV" in html and "下载" in html
    assert (demo / "item" / item.index_no / "attachments/yusuan-2026.csv").is_file()


def test_withdrawn_item_keeps_page_but_leaves_lists_and_sitemap(demo):
    item = demo_item("huimin-tiaozheng")
    html = page(demo, item.index_no)
    assert "本信息已于 2026-05-12 撤回" in html and "检修提前完成" in html
    lists = [demo / "index.html", *demo.glob("category/**/index.html")]
    assert not any(item.index_no in p.read_text(encoding="utf-8") for p in lists)
    assert item.index_no not in (demo / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["neibu-fangan", "buyu", "feiyi-gouwujie"])
def test_non_public_and_scheduled_items_appear_nowhere(demo, key):
    item = demo_item(key)
    text = all_text(demo)
    assert item.index_no not in text and item.title not in text
    assert not (demo / "item" / item.index_no).exists()


def test_scheduled_item_is_published_by_a_later_build(tmp_path):
    site = tmp_path / "site"
    build_site_dir(load_project(ROOT), site, date(2026, 12, 1), progress=False)
    assert (site / "item" / demo_item("feiyi-gouwujie").index_no / "index.html").is_file()


def test_category_list_is_paginated_newest_first(tmp_path):
    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 45)
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False)
    first = (site / "category/tzgg/index.html").read_text(encoding="utf-8")
    last = (site / "category/tzgg/5/index.html").read_text(encoding="utf-8")
    assert "第 1 / 5 页" in first and "第 5 / 5 页" in last  # mkdocs.yml: page_size 10
    dates = re.findall(r'gk-list__date">([\d-]+)<', first)
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    assert "000014349/2026-00045" in first and "000014349/2026-00001" in last


def synthetic(bureau: Bureau, count: int) -> None:
    for n in range(1, count + 1):
        day = date.fromordinal(date(2026, 1, 1).toordinal() + n % 300)
        text = (
            ITEM.replace("000014349/2026-00001", f"000014349/2026-{n:05d}")
            .replace("2026-03-05", day.isoformat())
            .replace("written: 2026-03-01", f"written: {day}")
        )
        bureau.write(f"content/tzgg/{n:05d}.md", text.replace("正文。", "正文内容。" * 40))
    bureau.write("mkdocs.yml", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    (bureau.root / "content/pages").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "theme", bureau.root / "theme")


def test_item_page_size_does_not_grow_with_the_number_of_items(tmp_path):
    sizes = []
    for count in (50, 2000):
        bureau = Bureau(tmp_path / str(count))
        synthetic(bureau, count)
        site = tmp_path / f"site{count}"
        build_site_dir(load_project(bureau.root), site, TODAY, progress=False)
        sizes.append((site / "item/000014349/2026-00007/index.html").stat().st_size)
    assert abs(sizes[1] - sizes[0]) / sizes[0] < 0.10, sizes


def test_build_with_errors_fails_and_keeps_the_previous_site(tmp_path):
    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 3)
    assert run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path).returncode == 0
    before = sorted(p.relative_to(bureau.root) for p in (bureau.root / "site").rglob("*"))
    bureau.item("content/tzgg/00002.md", date="2026-3-5")
    done = run("build", str(bureau.root), cwd=tmp_path)
    assert done.returncode == 1
    assert "00002.md:5: GK111" in done.stdout and "原有网站保持不变" in done.stderr
    assert sorted(p.relative_to(bureau.root) for p in (bureau.root / "site").rglob("*")) == before


def test_demo_builds_with_mkdocs_strict(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "s/index.html").is_file() and (tmp_path / "s/feed.xml").is_file()
    # the checks' warnings are shown, not dropped (and do not fail --strict)
    assert "GK808 [警告]" in done.stderr, done.stderr[-800:]


@pytest.mark.parametrize("written", ['"2026-1x-01"', "tomorrow"])
def test_a_bad_today_in_mkdocs_yml_is_named_in_chinese(tmp_path, written):
    import subprocess
    import sys

    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 1)
    config = bureau.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - gongkai" in text
    text = re.sub(r"  - gongkai:?\n", f"  - gongkai:\n      today: {written}\n", text, count=1)
    config.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=bureau.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "today 应为 YYYY-MM-DD 格式的日期" in done.stderr, done.stderr[-800:]
    assert "Traceback" not in done.stderr


def test_one_process_builds_two_bureaus_without_mixing_them(tmp_path):
    """mkdocs keeps one plugin object for the whole process (it defines on_startup): a build
    prepared by `gongkai build` must leave nothing to the next, unprepared one."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    first, second = Bureau(tmp_path / "a"), Bureau(tmp_path / "b")
    synthetic(first, 3)
    synthetic(second, 1)
    build_site_dir(load_project(first.root), tmp_path / "a-site", today=date(2026, 11, 30))
    config = load_config(str(second.root / "mkdocs.yml"), site_dir=str(tmp_path / "b-site"))
    plugin = config.plugins["gongkai"]
    mkdocs_build(config)
    assert len(plugin.site.pages) == 1
    assert (tmp_path / "b-site" / ".gongkai-site").is_file()  # marked as a plain mkdocs build
    assert len(list((tmp_path / "a-site" / "item").rglob("index.html"))) == 3


def test_mkdocs_build_strict_reports_the_same_problems(tmp_path):
    import subprocess
    import sys

    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 2)
    bureau.item("content/tzgg/00002.md", doc_no="x[2026]1号", index_no="000014349/2026-00002")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=bureau.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "GK130" in done.stderr + done.stdout and "x〔2026〕1号" in done.stderr + done.stdout


def test_navigation_is_the_catalog_tree_with_counts(demo):
    html = (demo / "category/zcwj/index.html").read_text(encoding="utf-8")
    nav = html.split("md-sidebar--primary")[1].split("md-sidebar--secondary")[0]
    assert "政策文件（12）" in nav and "行政规范性文件（6）" in nav and "其他文件（6）" in nav
    assert "item/" not in nav  # items never enter the navigation


def test_navigation_follows_the_column_structure_of_61hao(demo):
    html = (demo / "category/zcwj/index.html").read_text(encoding="utf-8")
    nav = html.split("md-sidebar--primary")[1].split("md-sidebar--secondary")[0]
    labels = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', nav)
    top = ["首页", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容"]
    assert labels[:4] == top, labels
    assert labels[-3:] == ["政府信息公开年报", "依申请公开", "全文检索"], labels
    content = labels[4:-3]  # the catalog tree, 政府信息公开制度 not again among it
    assert "政策文件（12）" in content and not any("信息公开制度" in label for label in content)
    assert len(labels) == len(set(labels))  # mkdocs.yml's entries are not repeated


def test_renaming_a_file_keeps_the_address(tmp_path):
    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 3)
    (bureau.root / "content/tzgg/00002.md").rename(bureau.root / "content/tzgg/renamed.md")
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False)
    assert (site / "item/000014349/2026-00002/index.html").is_file()


def test_consultation_shows_its_state_to_the_public(demo):
    open_now = page(demo, demo_item("zq-xiaofeiquan").index_no)
    assert (
        "<td>2026-11-16 至 2026-12-16</td>" in open_now and "征求意见中（还剩 23 天）" in open_now
    )
    closed = page(demo, demo_item("zq-lvxingshe").index_no)
    assert "已结束，已公布结果反馈" in closed and demo_item("fk-lvxingshe").title in closed


def test_response_shows_when_the_concern_arose_and_was_answered(demo):
    html = page(demo, demo_item("huiying-zhiliu").index_no)
    for label, value in [
        ("关切出现时间", "2026-10-03 14:20"),
        ("关切级别", "重大"),
        ("权威信息发布时间", "2026-10-03 18:05"),
        ("新闻发布会时间", "2026-10-04 10:00"),
    ]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in html


def test_interpretation_shows_its_forms(demo):
    assert '<th scope="row">解读形式</th><td>文字、问答</td>' in page(
        demo, demo_item("jd-jingqu").index_no
    )


def test_catalog_page_matches_what_is_published(gaps, tmp_path):
    build_site_dir(load_project(gaps), tmp_path / "site", TODAY, progress=False)
    html = (tmp_path / "site/catalog/index.html").read_text(encoding="utf-8")
    assert "目录与实际发布内容互为一致" in html
    rows = re.findall(r'<tr class="gk-catalog-row[^>]*>(.*?)</tr>', html, re.DOTALL)
    assert len(rows) == len(load_project(gaps).catalog.categories)
    empty = next(r for r in rows if "行政强制" in r)
    assert "<td>0</td>" in empty and "暂无信息" in empty
    yearly = next(r for r in rows if ">机构职能<" in r)
    assert "2024-03-01" in yearly and "每年" in yearly and "未按期更新" in yearly
    policy = next(r for r in rows if ">政策文件<" in r)
    assert "<td>12</td>" in policy and "2026-11-20" in policy


def test_report_catalog_lists_empty_and_stale_categories(gaps):
    done = run("report", "catalog", str(gaps), "--as-of", "2026-11-23", cwd=gaps)
    assert done.returncode == 0
    assert "空分类 1 个：行政强制" in done.stdout and "未按期更新 1 个：机构职能" in done.stdout
    rows = json.loads(
        run(
            "report", "catalog", str(gaps), "--as-of", "2026-11-23", "--format", "json", cwd=gaps
        ).stdout
    )
    assert {r["code"]: r["state"] for r in rows}["xzqz"] == "暂无信息"


def test_request_pages_come_from_the_catalog(demo):
    guide = (demo / "gkzn/index.html").read_text(encoding="utf-8")
    steps = (demo / "ysqgk/index.html").read_text(encoding="utf-8")
    form = (demo / "ysqgk/form/index.html").read_text(encoding="utf-8")
    for html in (guide, steps, form):
        assert (
            "示例市文化和旅游局办公室" in html
            and "0000-1234501" in html
            and "xxgk@wlj.shili.example.gov.cn" in html
        )
    assert (
        "20 个工作日</strong>内予以答复" in steps
        and "最长不超过 <strong>20 个工作日</strong>" in steps
    )
    for field in (
        "姓名",
        "所需政府信息的名称、文号或者便于查询的其他特征性描述",
        "所需信息的用途",
        "获取信息的方式",
        "申请人签名或者盖章",
        "申请时间",
    ):
        assert field in form


def test_request_form_downloads_as_a_word_document(demo):
    import docx

    document = docx.Document(str(demo / "ysqgk/shenqingbiao.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "示例市文化和旅游局政府信息公开申请表" in text and "示例市文化和旅游局办公室" in text
    assert {"姓名", "申请人签名或者盖章", "申请时间", "获取信息的方式"} <= cells


def test_annual_report_page_with_chart_and_word_version(demo):
    index = (demo / "ndbg/index.html").read_text(encoding="utf-8")
    assert "示例市文化和旅游局2025年政府信息公开工作年度报告" in index
    html = (demo / "ndbg/2025/index.html").read_text(encoding="utf-8")
    # 行政规范性文件 in 2025: 1 made (mianfei2025); in force at year end: jingqu2024, lvxingshe2024, mianfei2025
    assert re.search(r"行政规范性文件</th><td>1</td><td>0</td><td>3</td>", html)
    assert (
        "（七）总计" in html and '<img src="chart.svg"' in html and "download>下载 Word 版" in html
    )
    assert (demo / "ndbg/2025/chart.svg").read_text().startswith("<svg")
    assert (demo / "ndbg/2025/report.docx").read_bytes().startswith(b"PK")


def test_item_pages_carry_the_full_navigation_with_working_links(demo):
    for key in ("lvxingshe2026", "jingqu2024"):
        item_dir = demo / "item" / demo_item(key).index_no
        html = (item_dir / "index.html").read_text(encoding="utf-8")
        nav = html.split("md-sidebar--primary")[1].split("md-sidebar--secondary")[0]
        assert "政策文件（12）" in nav and "行政规范性文件（6）" in nav
        links = re.findall(r'href="([^"#]+)"', nav)
        assert len(links) > 20
        for link in links:
            target = (item_dir / link).resolve()
            assert (target / "index.html").is_file() or target.is_file(), link


def test_a_bureau_with_nothing_published_builds_and_its_search_page_says_so(tmp_path):
    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 0)
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False)
    search = (site / "search/index.html").read_text(encoding="utf-8")
    assert 'data-gk-shards="0"' in search  # the page tells the browser there is no index
    assert not (site / "pagefind").exists()  # the browser test opens this page (test_search.py)


def test_later_category_pages_share_the_navigation_with_the_same_targets(tmp_path):
    site = tmp_path / "site"
    build_site_dir(load_project(ROOT), site, TODAY, progress=False, options={"page_size": 2})

    def targets(page: Path) -> dict[str, Path]:
        html = page.read_text(encoding="utf-8")
        nav = html.split("md-sidebar--primary")[1].split("md-sidebar--secondary")[0]
        anchors = re.findall(r'<a href="([^"#]+)"[^>]*>\s*(?:<span[^>]*>)?\s*([^<]+?)\s*<', nav)
        # keyed by the text as shown (the shared navigation drops indentation)
        return {" ".join(text.split()): (page.parent / href).resolve() for href, text in anchors}

    later = sorted(site.glob("category/*/2/index.html"))
    assert len(later) >= 2  # pages of two categories share one rendering per folder
    for page in later:
        first = targets(page.parent.parent / "index.html")  # in the nav: rendered by material
        assert len(first) > 20 and targets(page) == first, page


def text_of(html: str) -> str:
    main = html[html.index("<h1") : html.index("</article>")]
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", main))


def test_fee_rule_is_on_the_guide_the_request_page_and_the_form(demo):
    # 条例第四十二条 and 国办函〔2020〕109号 art. 4-5 (scales), waiver for hardship
    import docx

    document = docx.Document(str(demo / "ysqgk/shenqingbiao.docx"))
    pages = [
        text_of((demo / rel / "index.html").read_text(encoding="utf-8"))
        for rel in ("gkzn", "ysqgk", "ysqgk/form")
    ]
    pages.append(re.sub(r"\s+", "", "\n".join(p.text for p in document.paragraphs)))
    for text in pages:
        assert "不收取费用" in text and "明显超过合理范围" in text and "信息处理费" in text
        assert "10件以下（含10件）的，不收费" in text and "每件100元" in text
        assert "30页以下（含30页）的，不收费" in text and "每页40元" in text
        assert "确有经济困难" in text and "减免" in text and "国办函〔2020〕109号" in text


def test_request_page_states_articles_29_30_31_33_and_40(demo):
    text = text_of((demo / "ysqgk/index.html").read_text(encoding="utf-8"))
    assert "可以口头提出，由本机关代为填写" in text  # art. 29
    assert "答复期限自本机关收到补正的申请之日起重新计算" in text  # art. 30
    assert "逾期不补正的，视为放弃申请" in text
    assert "以本机关签收之日为收到申请之日" in text  # art. 31
    assert "通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日" in text
    assert "法定节假日和休息日收到的申请，于其后第一个工作日确认" in text
    assert "征求第三方和其他机关意见所需时间不计算在前述期限内" in text  # art. 33
    assert "公开成本过高的，可以通过电子数据以及其他适当形式提供" in text  # art. 40
    assert "安排申请人查阅、抄录" in text


def test_guide_headings_are_numbered_consecutively(demo):
    html = (demo / "gkzn/index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    numbers = [h.split("、")[0] for h in headings if "、" in h]
    assert numbers == ["一", "二", "三", "四", "五"] and len(numbers) == len(headings)
    assert "四、受理机构和联系方式" in headings and "三、收费" in headings


def test_category_list_shows_the_catalog_columns_of_article_12(demo):
    item = demo_item("lvxingshe2026")
    html = (demo / "category/gfxwj/index.html").read_text(encoding="utf-8")
    headers = re.findall(r'<th scope="col">(.*?)</th>', html)
    # 有效性 too: the category holds 规范性文件 with validity facts
    assert headers == ["索引号", "名称", "内容概述", "文号", "生成日期", "发布日期", "有效性"]
    row = html[html.index(item.index_no) : html.index("</tr>", html.index(item.index_no))]
    assert item.summary and item.summary in row
    assert f'<td class="gk-list__written">{item.written}</td>' in row
    assert f'<td class="gk-list__date">{item.date}</td>' in row
    assert '<td class="gk-list__validity">有效</td>' in row


class _Values(HTMLParser):
    """The value cells (td) of the page's report tables, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []
        self._in_table = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "gk-annual__table" in (dict(attrs).get("class") or ""):
            self._in_table += 1
        elif tag == "td" and self._in_table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.values.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._in_table:
            self._in_table -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_the_annual_report_data_has_every_number_of_the_page(demo):
    folder = demo / "ndbg" / "2025"
    parser = _Values()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert data["year"] == 2025 and data["organization"] == "示例市文化和旅游局"
    assert [r["value"] for r in data["records"]] == parser.values
    assert len(parser.values) > 150  # parts 二, 三 and 四 of the national template
    raw = (folder / "report.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel opens UTF-8 only with a BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row[3] for row in rows[1:]] == parser.values
    assert ["二（五）", "行政许可", "第二十条第（五）项 / 本年处理决定数量"] in [
        r[:3] for r in rows
    ]


def test_sitemap_index_validates_and_lists_one_sitemap_per_category(demo):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "siteindex.xsd")))
    index = etree.parse(str(demo / "sitemaps" / "index.xml"))
    schema.assertValid(index)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = index.xpath("//s:loc/text()", namespaces=ns)
    project = load_project(ROOT)
    site = public_set(project, TODAY)
    base = project.catalog.base_url.rstrip("/") + "/"
    for category in site.catalog.categories.values():
        own = [i for i in site.listed if i.category == category.code]
        if not own:
            assert f"{base}sitemaps/{category.code}.xml" not in locs
            continue
        assert f"{base}sitemaps/{category.code}.xml" in locs
        sitemap = etree.parse(str(demo / "sitemaps" / f"{category.code}.xml"))
        listed = sitemap.xpath("//s:loc/text()", namespaces=ns)
        assert sorted(listed) == sorted(f"{base}{item_path(i.index_no)}" for i in own)
        dates = sitemap.xpath("//s:lastmod/text()", namespaces=ns)
        assert sorted(dates) == sorted(str(i.date) for i in own)


def test_every_category_has_an_atom_feed_of_its_newest_items(demo):
    from lxml import etree

    project = load_project(ROOT)
    site = public_set(project, TODAY)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    for code in ("zcwj", "zcjd"):  # 政策文件 (with its subcategories) and 政策解读
        feed = etree.parse(str(demo / "category" / code / "atom.xml"))
        titles = feed.xpath("//a:entry/a:title/text()", namespaces=atom)
        newest = site.items_under(site.catalog.categories[code])[:20]
        assert titles == [i.title for i in newest] and titles
    withdrawn = [i for i in project.items if i.withdrawn]
    assert withdrawn
    everything = "".join(p.read_text(encoding="utf-8") for p in demo.glob("category/*/atom.xml"))
    assert not any(i.title in everything for i in withdrawn if i.title)


def test_an_older_mkdocs_nav_is_not_repeated_and_fixed_pages_follow():
    from generator.pages.plan import NavEntry
    from generator.site.plugin import _navigation

    planned = [NavEntry("首页", "index.md"), NavEntry("内容", "catalog/index.md")]
    own = [{"首页": "index.md"}, {"目录": "catalog/index.md"}, {"关于本站": "about.md"}, "x.md"]
    assert _navigation(planned, own) == [
        {"首页": "index.md"},
        {"内容": "catalog/index.md"},
        {"关于本站": "about.md"},
        "x.md",
    ]
