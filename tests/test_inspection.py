"""`gongkai inspect` and the inspection step of `gongkai build`: each check tripped by a small
bureau built for real, and the report line it gives."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.project import load_project
from generator.inspection.run import inspect_site
from generator.site.build import build_site_dir

from helpers import CATALOG, ITEM, Bureau, run

ROOT = Path(__file__).parents[1]

SITE = """\
site:
  name: 测试局政府信息公开
  base_url: https://example.gov.cn/
  id_code: "1399000001"
  icp: 测ICP备00000001号
  police: 测公网安备 00000000000001号
  contact:
    phone: 0000-1234567
  mark: images/mark.png
"""


def bureau(tmp_path: Path, inspection: str = "", site: str = SITE) -> Bureau:
    """A bureau with every footer setting, the real theme and mkdocs.yml, one item (2026-03-05)."""
    made = Bureau(tmp_path / "b")
    catalog = CATALOG.replace(CATALOG[: CATALOG.index("organization:")], site)
    made.write("catalog.yml", catalog + inspection)
    made.write("mkdocs.yml", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    made.write(
        "content/pages/images/mark.png", (ROOT / "content/pages/images/dzjg.png").read_bytes()
    )
    shutil.copytree(ROOT / "theme", made.root / "theme")
    made.item()
    return made


def build(made: Bureau, today: str = "2026-03-10") -> tuple[int, str]:
    done = run("build", str(made.root), "--today", today, cwd=made.root)
    return done.returncode, done.stdout + done.stderr


def inspect(made: Bureau, today: str, *extra: str) -> tuple[int, str]:
    done = run("inspect", str(made.root), "--today", today, *extra, cwd=made.root)
    return done.returncode, done.stdout + done.stderr


def test_a_fresh_complete_site_passes_the_inspection(tmp_path):
    made = bureau(tmp_path)
    status, out = build(made)
    assert status == 0, out
    status, out = inspect(made, "2026-03-10")
    assert "GK4" not in out.replace("GK405", ""), out  # only the blank columns are listed
    assert "已检查" in out


def test_every_page_type_carries_every_required_element_and_meta_tag(tmp_path):
    made = bureau(tmp_path)
    assert build(made)[0] == 0
    site = made.root / "site"
    pages = {
        "home": site / "index.html",
        "category": site / "category/tzgg/index.html",
        "item": site / "item/000014349/2026-00001/index.html",
        "sitemap": site / "wzdt/index.html",
        "404": site / "404.html",
    }
    for kind, path in pages.items():
        html = path.read_text(encoding="utf-8")
        for name in ("SiteName", "SiteDomain", "SiteIDCode"):
            assert f'name="{name}"' in html, (kind, name)
        assert 'content="1399000001"' in html
        assert '<html lang="zh' in html and "<h1" in html, kind
        for element in ("sponsor", "sitemap", "id-code", "icp", "police", "contact", "mark"):
            assert f'data-gk-footer="{element}"' in html, (kind, element)
        assert 'href="https://beian.miit.gov.cn/"' in html
        assert "beian.mps.gov.cn" in html and "00000000000001" in html
    category = pages["category"].read_text(encoding="utf-8")
    for name in ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"):
        assert f'name="{name}"' in category, name
    item = pages["item"].read_text(encoding="utf-8")
    assert '<meta name="PubDate" content="2026-03-05 00:00">' in item
    assert '<meta name="Url" content="https://example.gov.cn/item/000014349/2026-00001/">' in item
    for name in ("ArticleTitle", "ContentSource", "Keywords", "Author", "Description"):
        assert re.search(rf'<meta name="{name}" content="[^"]+">', item), name
    assert "您访问的页面不存在" in pages["404"].read_text(encoding="utf-8")
    assert "通知公告" in pages["sitemap"].read_text(encoding="utf-8")


def test_sitemap_lastmod_is_each_pages_own_date(tmp_path):
    made = bureau(tmp_path)
    made.item(
        "content/tzgg/b.md",
        index_no="000014349/2026-00002",
        date="2026-02-01",
        written="2026-02-01",
    )
    assert build(made)[0] == 0
    sitemap = (made.root / "site/sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    assert entries["https://example.gov.cn/item/000014349/2026-00002/"] == "2026-02-01"
    assert entries["https://example.gov.cn/item/000014349/2026-00001/"] == "2026-03-05"
    assert entries["https://example.gov.cn/category/tzgg/"] == "2026-03-05"
    assert "2026-03-10" not in sitemap  # the build date


def test_home_page_not_updated_for_two_weeks_is_a_veto(tmp_path):
    made = bureau(tmp_path)
    assert build(made, "2026-03-25")[0] == 0  # freshness does not hold a build back
    status, out = inspect(made, "2026-03-25")
    assert status == 1
    assert "GK401 [错误] 首页最近一次更新为 2026-03-05，已超过 14 天未更新" in out


def test_notice_column_stale_after_six_months_and_warned_before(tmp_path):
    made = bureau(tmp_path)
    assert build(made)[0] == 0
    _, out = inspect(made, "2026-09-05")
    assert (
        "GK402 [错误] 栏目“通知公告”（tzgg）最近一次更新为 2026-03-05，已超过 180 天未更新" in out
    )
    _, out = inspect(made, "2026-08-25")
    assert (
        "GK403 [警告] 栏目“通知公告”（tzgg）最近一次更新为 2026-03-05，还有 7 天将超过 180 天"
        in out
    )
    assert "GK402" not in out


def test_a_stricter_local_column_age_overrides_the_default(tmp_path):
    made = bureau(tmp_path, "inspection:\n  column_days:\n    tzgg: 60\n")
    assert build(made)[0] == 0
    _, out = inspect(made, "2026-05-15")
    assert "已超过 60 天未更新" in out


def test_stale_columns_block_the_build_when_the_catalog_says_so(tmp_path):
    made = bureau(tmp_path, "inspection:\n  block_stale: true\n")
    status, out = build(made, "2026-04-30")
    assert status == 1 and "GK401" in out and "新网站未替换原有网站" in out
    assert not (made.root / "site").exists()


def test_blank_columns_over_the_threshold_are_a_veto(tmp_path):
    made = bureau(tmp_path, "inspection:\n  blank_columns: 3\n")
    assert build(made)[0] == 0
    status, out = inspect(made, "2026-03-10")
    assert "GK405 [警告] 栏目“政策文件”（zcwj）是空白栏目" in out
    assert "行政规范性文件" not in out.split("GK404")[0]  # a blank parent stands for its child
    assert "GK404 [错误] 共有 3 个空白栏目（政策文件、政策解读、征求意见），达到 3 个" in out
    assert status == 1


def test_broken_internal_link_in_an_item_stops_the_build_at_the_items_line(tmp_path):
    made = bureau(tmp_path)
    assert build(made)[0] == 0
    before = (made.root / "site/index.html").read_bytes()
    made.write(
        "content/tzgg/a.md", ITEM.replace("正文。", "正文。\n\n见[附表](../../category/nowhere/)。")
    )
    status, out = build(made)
    assert status == 1
    assert re.search(
        r"content/tzgg/a\.md:12: GK410 \[错误\] 站内链接指向不存在的页面：../../category/nowhere/",
        out,
    ), out
    assert "新网站未替换原有网站" in out
    assert (made.root / "site/index.html").read_bytes() == before


def test_missing_asset_on_every_page_is_reported_once_with_the_count(tmp_path):
    made = bureau(tmp_path)
    (made.root / "content/pages/images/mark.png").unlink()
    status, out = build(made)
    assert status == 1
    line = next(x for x in out.splitlines() if "GK411" in x)
    assert "附件或资源文件缺失" in line and "mark.png" in line
    assert re.search(r"共 \d+ 个页面有此问题", line)
    assert out.count("GK411") == 1


def test_serious_wording_error_is_reported_with_the_fix(tmp_path):
    wording = (
        "inspection:\n  wording:\n    - wrong: 国家旅游局\n      right: 文化和旅游部\n"
        "      since: 2018-04-08\n"
    )
    made = bureau(tmp_path, wording)
    made.write("content/tzgg/a.md", ITEM.replace("正文。", "根据国家旅游局的要求开展检查。"))
    hidden = ITEM.replace("2026-00001", "2026-00002").replace("正文。", "国家\u200b旅游 局印发。")
    made.write("content/tzgg/c.md", hidden)
    old = ITEM.replace("2026-00001", "2017-00001").replace("2026-03-0", "2017-03-0")
    made.write("content/tzgg/old.md", old.replace("正文。", "国家旅游局印发通知。"))
    status, out = build(made)
    assert status == 1
    assert (
        "content/tzgg/a.md:10: GK430 [错误] 严重表述错误：“国家旅游局”（2018-04-08 起）应为“文化和旅游部”"
        in out
    )
    assert "old.md" not in out  # published before the body was renamed
    assert "GK430" in out.split("content/tzgg/c.md")[1]  # an invisible character hides nothing


def test_item_page_without_a_date_and_a_page_without_h1_are_found(tmp_path):
    made = bureau(tmp_path)
    assert build(made)[0] == 0
    page = made.root / "site/item/000014349/2026-00001/index.html"
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'<meta name="PubDate"[^>]*>', "", html)
    page.write_text(re.sub(r"<h1[^>]*>.*?</h1>", "", html, flags=re.S), encoding="utf-8")
    status, out = inspect(made, "2026-03-10", "--format", "json")
    assert status == 1
    found = {(p["code"], p["message"]) for p in json.loads(out[: out.rindex("]") + 1])}
    assert ("GK421", '页面缺少监测元数据 <meta name="PubDate">') in found
    assert any(code == "GK406" for code, _ in found)
    assert ("GK422", "页面没有一级标题（h1）") in found


def test_github_annotations_name_the_file_and_code(tmp_path):
    made = bureau(tmp_path)
    assert build(made)[0] == 0
    _, out = inspect(made, "2026-03-25", "--format", "github")
    assert out.startswith("::error file=catalog.yml,line=1,title=GK401::GK401 首页最近一次更新")


def test_unconfigured_footer_settings_are_named_once(tmp_path):
    made = bureau(
        tmp_path, site="site:\n  name: 测试局政府信息公开\n  base_url: https://example.gov.cn/\n"
    )
    assert build(made)[0] == 0
    _, out = inspect(made, "2026-03-10")
    assert out.count("GK423") == 1
    assert "网站标识码（site.id_code）、ICP备案号（site.icp）、公安机关备案号（site.police）" in out
    assert "GK420" not in out and "GK421" not in out


def test_badly_written_site_and_inspection_settings_are_reported(tmp_path):
    made = bureau(
        tmp_path,
        "inspection:\n  home_days: -3\n  wording:\n    - right: 只有正确写法\n",
        site=SITE.replace('"1399000001"', "abc"),
    )
    codes = [p.code for p in made.problems()]
    assert "GK026" in codes and codes.count("GK027") == 2


def test_inspecting_a_folder_without_a_site_says_so(tmp_path):
    made = bureau(tmp_path)
    status, out = inspect(made, "2026-03-10")
    assert status == 2 and "没有已生成的网站" in out


@pytest.mark.parametrize("today", ["2026-11-23"])
def test_demo_site_has_no_link_element_or_meta_error(tmp_path, today):
    from datetime import date

    site = tmp_path / "site"
    project = load_project(ROOT)
    build_site_dir(project, site, date.fromisoformat(today), progress=False)
    report = inspect_site(project, site, date.fromisoformat(today))
    codes = {p.code for p in report.problems}
    assert not codes & {"GK406", "GK410", "GK411", "GK420", "GK421", "GK422", "GK423", "GK430"}
    assert report.pages > 60


def test_many_pages_are_read_in_parallel_with_the_same_facts_in_order(tmp_path):
    from generator.inspection.pages import read_page, read_pages

    names = _pages(tmp_path)
    read = list(read_pages(tmp_path, names))
    assert [rel for rel, _ in read] == names
    assert [facts for _, facts in read] == [read_page(tmp_path, name) for name in names]
    assert read[7][1].h1 == "第7页" and read[7][1].refs[0].target == "../p0008/"


def _pages(folder: Path, count: int = 600) -> list[str]:
    """`count` small pages (above the parallel threshold), each linking to the next."""
    names = [f"p{n:04d}/index.html" for n in range(count)]
    for n, name in enumerate(names):
        (folder / name).parent.mkdir()
        (folder / name).write_text(
            f'<html lang="zh-CN"><meta charset="utf-8"><title>页{n}</title><h1>第{n}页</h1>'
            f'<a href="../p{(n + 1) % count:04d}/">下一页</a></html>',
            encoding="utf-8",
        )
    return names


def test_a_script_without_a_main_guard_is_not_run_again_by_the_page_readers(tmp_path):
    """A bureau's own script that builds at its top level (no `if __name__ == "__main__"`):
    the readers are plain processes, so nothing imports the script a second time."""
    import subprocess
    import sys

    (tmp_path / "site").mkdir()
    _pages(tmp_path / "site")
    script = tmp_path / "build_portal.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\n"
        "from generator.inspection.pages import html_pages, read_pages, site_files\n"
        "print('started', flush=True)\n"
        "site = Path(sys.argv[1])\n"
        "print(len(list(read_pages(site, list(html_pages(site_files(site)))))))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["started", "600"]


def test_a_reader_that_fails_is_a_clear_error_not_a_hang(tmp_path):
    from generator.inspection.pages import ReaderError, read_pages

    names = _pages(tmp_path)
    with pytest.raises(ReaderError) as failed:
        list(read_pages(tmp_path, names, judge=int))  # int(facts) raises in the reader
    assert "网站检查的页面读取进程意外结束" in str(failed.value)
    assert "TypeError" in str(failed.value)


_SEGMENT = st.sampled_from(["..", ".", "a", "b", "", "%2e%2e", "x.html", "index.html"])
_FOLDER = st.lists(st.sampled_from(["item", "a", "b", "c"]), max_size=4).map("/".join)
_TARGET = st.tuples(
    st.lists(_SEGMENT, max_size=6).map("/".join),
    st.sampled_from(["", "/", "?q=1", "#part", "/#part"]),
    st.sampled_from(["", "/", "http://example.gov.cn", "https://other.org"]),
).map(lambda t: t[2] + ("/" if t[2] and not t[0].startswith("/") else "") + t[0] + t[1])


@settings(max_examples=600, deadline=None)
@given(folder=_FOLDER, target=_TARGET)
def test_shared_resolution_of_climbing_links_equals_resolving_each_page(folder, target):
    """Links that climb folders are resolved once for the folder they climb to: the answer is
    the one resolving from the page itself gives, for any folder and address."""
    from generator.inspection.links import _target_in, internal_target

    page = folder + "/index.html" if folder else "index.html"
    expected = internal_target(page, target, "example.gov.cn", "/")
    assert _target_in(folder, target, "example.gov.cn", "/") == expected


def test_page_readers_end_when_the_build_handles_sigterm_itself(tmp_path):
    """`gongkai build` handles SIGTERM itself (generator/core/interrupts.py); reading pages
    inside that handling, five times over, must end every reader each time."""
    import subprocess
    import sys

    for n in range(600):  # above the parallel threshold
        (tmp_path / f"p{n}").mkdir()
        (tmp_path / f"p{n}" / "index.html").write_text(
            f'<html lang="zh-CN"><title>页{n}</title><h1>页</h1><a href="../p0/">首</a></html>',
            encoding="utf-8",
        )
    program = (
        "import sys\nfrom pathlib import Path\n"
        "from generator.core.interrupts import raised\n"
        "from generator.inspection.pages import html_pages, read_pages, site_files\n"
        "site = Path(sys.argv[1])\n"
        "for _ in range(5):\n"
        "    with raised():\n"
        "        read = list(read_pages(site, list(html_pages(site_files(site)))))\n"
        "print(len(read))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["600"]
    assert "Traceback" not in done.stderr  # no reader died with Interrupted


# --- the privacy screen over what each built page shows (GK431) ----------------------------


def test_the_shown_lines_of_a_page_are_what_a_browser_shows():
    import lxml.etree

    from generator.inspection.pages import _PARSER, shown_lines

    html = (
        '<html><head><meta charset="utf-8"></head><body><article>\n'
        '<p>手机 138<b>1234</b>5678，<span title="备注">见</span>表</p>\n'
        "<p>a<!-- 138 -->b<script>var n = 13812345678;</script>c<?x y?>d</p>\n"
        "<table><tr><td>138</td><td>12345678</td></tr></table>\n"
        '<p>第一\n行<br>第二行<img alt="图 1" src="a.png"></p>\n'
        "</article></body></html>"
    ).encode()
    root = lxml.etree.fromstring(html, _PARSER)
    assert shown_lines(next(root.iter("article"))) == [
        (2, "手机 13812345678，见表"),  # inline elements join, as on the screen
        (3, "abcd"),  # a comment, a script and a processing instruction show nothing
        (4, "138"),  # cells are apart
        (4, "12345678"),
        (5, "第一 行"),  # a line break in the source is a space
        (6, "第二行"),  # after the <br>, on the source's next line
        (2, "备注"),  # shown attributes come last, never between the words
        (6, "图 1"),
        (6, "a.png"),
    ]


def test_a_meta_value_over_several_lines_and_a_marking_over_two_are_read_as_shown():
    """An item's summary becomes the Description meta tag with its line breaks; 机密 on one line
    and ★ on the next is one marking, even after a page that showed 机密 alone."""
    from generator.inspection.pages import read_page
    from generator.inspection.screen import screen_page

    html = (
        '<html><head><meta charset="utf-8"><title>t</title>'
        '<meta name="Description" content="第一行\n\n联系 13812345678"></head>'
        "<body><p>正文</p></body></html>"
    )
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "index.html").write_text(html, encoding="utf-8")
        facts = read_page(Path(folder), "index.html")
    found = screen_page(facts.shown, (), frozenset())
    assert [(h.kind, h.masked, h.line) for h in found] == [("mobile", "138****5678", 1)]
    assert screen_page([(3, "本件机密")], (), frozenset()) == []
    found = screen_page([(3, "本件机密"), (4, "★ 10年")], (), frozenset())
    assert [(h.kind, h.line) for h in found] == [("secret", 3)]


def test_a_page_that_shows_a_personal_number_fails_the_inspection_at_its_source(tmp_path):
    """Whatever put it there (a renderer's reading the line-by-line screen did not foresee, a
    template): the whole built page is screened as it shows, reported at the item's file; an
    item's exemption counts on its own pages only."""
    made = bureau(tmp_path)
    exempt = '[{kind: mobile, value: "139****0000", reason: 本局公开的监督电话}]'
    made.item_with_body(
        "监督电话：13900000000。",
        "content/tzgg/b.md",
        index_no="000014349/2026-00002",
        screening_exempt=exempt,
    )
    assert build(made)[0] == 0  # b.md's own page shows its exempted number
    site = made.root / "site"
    page = site / "item/000014349/2026-00001/index.html"
    html = page.read_text(encoding="utf-8")
    body = '<div class="gk-body">'
    assert body in html and "<header" in html and "</footer>" in html
    hidden = "<p>联系人：138<b>1234</b>5\u200b678，13900000000</p>"
    html = html.replace(body, body + "\n" + hidden, 1)
    # an empty <article> ahead of the real one, and a number in the footer's template text
    html = html.replace("<header", "<article hidden></article><header", 1)
    html = html.replace("</footer>", "<p>值班 136 0000 1111</p></footer>", 1)
    page.write_text(html, encoding="utf-8")
    line = page.read_text(encoding="utf-8").splitlines().index(hidden) + 1
    category = site / "category/tzgg/index.html"
    listing = category.read_text(encoding="utf-8")
    assert "</article>" in listing
    category.write_text(listing.replace("</article>", "<p>机密★</p></article>", 1), "utf-8")
    status, out = inspect(made, "2026-03-10")
    assert status == 1, out
    page_name = "item/000014349/2026-00001/index.html"
    where = f"content/tzgg/a.md:1: GK431 [错误] 发布的页面（{page_name} 第 {line} 行）"
    assert f"{where}显示了手机号码“138****5678”" in out, out
    assert f"{where}显示了手机号码“139****0000”" in out, out  # b.md's exemption is b.md's
    assert "显示了手机号码“136****1111”" in out, out
    assert "13812345678" not in out and "13900000000" not in out  # masked
    assert "2026-00002" not in out  # b.md's page shows what b.md may show
    assert re.search(
        r"site/category/tzgg/index\.html:\d+: GK431 \[错误\] 发布的页面（category/tzgg/index\.html "
        r"第 \d+ 行）显示了密级或保密标志“机密★”：请检查生成该页面的模板",
        out,
    ), out


def test_the_bureaus_theme_is_screened_at_its_line(tmp_path):
    made = bureau(tmp_path)
    made.write(
        "theme/partials/gk-contact.html", "<p>值班：局办公室</p>\n<p>手机 138 1234 5678</p>\n"
    )
    made.write("theme/contact.json", '{\n  "值班": "13900000000"\n}\n')  # any file but pictures
    made.write("theme/logo.png", (ROOT / "content/pages/images/dzjg.png").read_bytes())
    status, out = build(made)
    assert status == 1
    assert "theme/partials/gk-contact.html:2: GK802 [错误] 发现手机号码“138****5678”" in out, out
    assert "theme/contact.json:2: GK802 [错误] 发现手机号码“139****0000”" in out, out
    assert "logo.png" not in out


def test_direction_marks_are_refused_wherever_the_site_shows_text(tmp_path):
    """They show digit groups in another order than written (5678\u200f1234\u200f138 is shown
    13812345678): refused in items (GK116) and in the catalog's published names alike."""
    made = bureau(tmp_path)
    made.item_with_body(
        "值班电话：5678\u200f1234\u200f138\u200e。",
        "content/tzgg/b.md",
        index_no="000014349/2026-00002",
    )
    catalog = (made.root / "catalog.yml").read_text(encoding="utf-8")
    assert "0000-1234567" in catalog
    made.write("catalog.yml", catalog.replace("0000-1234567", "0000\u200f-1234567", 1))
    status, out = build(made)
    assert status == 1
    assert re.search(r"content/tzgg/b\.md:\d+: GK116 \[错误\] 正文含有不允许的字符 U\+200F", out), (
        out
    )
    assert re.search(
        r"catalog\.yml:\d+: GK116 \[错误\] catalog\.yml 中含有不允许的字符 U\+200F", out
    ), out
