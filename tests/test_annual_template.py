"""The annual report against the annex of 国办公开办函〔2021〕30号 (中华人民共和国政府信息公开工作
年度报告格式): table layout, values, counting by effective date, and the link between two years."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from test_annual import BALANCED, line_of, normative_bureau

from generator.core.project import load_project
from generator.core.public_set import public_set
from generator.reports.annual import load_annual

from helpers import run


def html_grid(table) -> list[list[tuple[int, str]]]:  # noqa: ANN001 (a bs4 Tag)
    """Every grid position of an HTML table with (cell number, text), spans expanded."""
    placed: dict[tuple[int, int], tuple[int, str]] = {}
    number = 0
    for r, row in enumerate(table.find_all("tr")):
        c = 0
        for cell in row.find_all(["th", "td"]):
            while (r, c) in placed:
                c += 1
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    placed[(r + dr, c + dc)] = (number, cell.get_text(strip=True))
            number += 1
            c += int(cell.get("colspan", 1))
    rows = max(r for r, _ in placed) + 1
    cols = max(c for _, c in placed) + 1
    return [[placed[(r, c)] for c in range(cols)] for r in range(rows)]


def docx_grid(table) -> list[list[tuple[int, str]]]:  # noqa: ANN001 (a python-docx Table)
    """The same for Word: merged cells are one <w:tc> element, covering several positions."""
    seen: list = []  # the elements themselves, so an identity is never reused

    def number(tc) -> int:  # noqa: ANN001
        found = next((n for n, e in enumerate(seen) if e is tc), None)
        if found is None:
            seen.append(tc)
            return len(seen) - 1
        return found

    return [[(number(cell._tc), cell.text.strip()) for cell in row.cells] for row in table.rows]


def same_partition(a: list[list[tuple[int, str]]], b: list[list[tuple[int, str]]]) -> bool:
    """Two grids have the same texts and the same merged areas (cell numbers may differ)."""
    if [[t for _, t in row] for row in a] != [[t for _, t in row] for row in b]:
        return False
    pairs = {(x[0], y[0]) for ra, rb in zip(a, b, strict=True) for x, y in zip(ra, rb, strict=True)}
    return len({p[0] for p in pairs}) == len(pairs) == len({p[1] for p in pairs})


@pytest.fixture
def report(bureau, tmp_path):
    normative_bureau(bureau)
    done = run("report", "annual", "2025", "--out", str(tmp_path / "out"), cwd=bureau.root)
    assert done.returncode == 0, done.stdout + done.stderr
    html = BeautifulSoup((tmp_path / "out/annual-2025.html").read_text("utf-8"), "html.parser")
    word = docx.Document(str(tmp_path / "out/annual-2025.docx"))
    return html.find_all("table"), word.tables


def test_part_two_has_one_table_per_item_of_article_20_with_its_own_headers(report):
    tables, _ = report
    texts = [[[t for _, t in row] for row in html_grid(t)] for t in tables[:4]]
    assert texts[0][:2] == [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ]
    assert [row[0] for row in texts[0][2:]] == ["规章", "行政规范性文件"]
    assert texts[1] == [
        ["第二十条第（五）项"] * 2,
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "12"],
    ]
    assert texts[2] == [
        ["第二十条第（六）项"] * 2,
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", "0"],
        ["行政强制", "0"],
    ]
    assert texts[3] == [
        ["第二十条第（八）项"] * 2,
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "0"],
    ]


def test_part_three_groups_the_results_under_one_row_header(report):
    tables, _ = report
    grid = html_grid(tables[4])
    assert len(grid) == 3 + 25 and len(grid[0]) == 3 + 7  # 3 header rows, 25 rows of the template
    labels = [row[0] for row in grid[3:]]
    group = {n for n, t in labels if t == "三、本年度办理结果"}
    assert len(group) == 1  # one merged cell ...
    assert sum(1 for n, _ in labels if n in group) == 22  # ... over (一) to (七)
    assert grid[3 + 2][1][1] == "（一）予以公开" and grid[3 + 23][1][1] == "（七）总计"
    assert [t for _, t in grid[3 + 4][1:3]] == ["（三）不予公开", "1.属于国家秘密"]
    assert sum(1 for row in grid[3:] if row[1][1] == "（三）不予公开") == 8
    assert [t for _, t in grid[1][3:]] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert [t for _, t in grid[2][4:9]] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert {t for _, t in grid[0][3:]} == {"申请人情况"}


def test_part_four_headers_follow_the_template(report):
    tables, _ = report
    grid = [[t for _, t in row] for row in html_grid(tables[5])]
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert grid[1] == results + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert grid[2] == results * 3
    assert grid[3] == ["1", "0", "0", "1", "2"] + ["0"] * 10


def test_web_page_and_docx_draw_the_same_tables(report):
    html_tables, word_tables = report
    assert len(html_tables) == len(word_tables) == 6
    for page, word in zip(html_tables, word_tables, strict=True):
        assert same_partition(html_grid(page), docx_grid(word))


def test_amount_prints_as_written_and_counts_must_be_whole(bureau, only):
    for fee, printed in (
        ("0.0001", "0.0001"),
        ("9999999999.9999", "9999999999.9999"),
        ("-0.0", "0"),
    ):
        part2 = f"part2:\n  行政许可: 1234567\n  行政事业性收费: {fee}\n"
        bureau.write("content/annual/2025.yml", BALANCED.replace("part2:\n  行政许可: 12\n", part2))
        annual = load_annual(load_project(bureau.root), 2025)
        assert annual.problems == []
        assert annual.part2_text("行政许可") == "1234567"
        assert annual.part2_text("行政事业性收费") == printed
    for bad in ("行政许可: 12.5", "行政许可: 约三十", "行政许可: -1", "行政事业性收费: 12.34567"):
        bureau.write("content/annual/2025.yml", BALANCED.replace("行政许可: 12", bad))
        [problem] = only("GK601")
        assert problem.line == 3 and "第二部分" in problem.message, bad


def test_validate_reports_words_in_a_figure_without_a_traceback(bureau):
    bureau.write("content/annual/2025.yml", BALANCED.replace("行政许可: 12", "行政处罚: 约三十"))
    done = run("validate", ".", cwd=bureau.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "2025.yml:3: GK601" in done.stdout and "收到“约三十”" in done.stdout


def test_a_misspelt_row_is_named_rather_than_counted_as_zero(bureau, only):
    bureau.write("content/annual/2025.yml", BALANCED + "  复议后起述: [0, 0, 0, 0, 0]\n")
    [problem] = only("GK601")
    assert "没有“复议后起述”这一项" in problem.message


def carried_in_two() -> str:
    """A year balanced in itself: 3 new + 2 carried in = 4 done + 1 carried on."""
    return BALANCED.replace(
        "本年新收: [3, 1, 0, 0, 0, 0, 4]", "本年新收: [2, 1, 0, 0, 0, 0, 3]"
    ).replace("上年结转: [1, 0, 0, 0, 0, 0, 1]", "上年结转: [2, 0, 0, 0, 0, 0, 2]")


def test_carried_over_must_equal_last_years_carried_forward(bureau, only):
    bureau.write("content/annual/2025.yml", BALANCED)  # 结转下年度 [1, 0, 0, 0, 0, 0, 1]
    bureau.write("content/annual/2026.yml", carried_in_two())
    assert [p.code for p in load_annual(load_project(bureau.root), 2026).problems] == ["GK604"]
    [problem] = only("GK604")
    assert problem.file.endswith("2026.yml") and problem.line == line_of("上年结转")
    assert "2025 年报告" in problem.message and "[1, 0, 0, 0, 0, 0, 1]" in problem.message
    bureau.write("content/annual/2026.yml", BALANCED)  # carries in 1 = last year's 1
    assert only("GK604") == []


def test_carried_over_is_not_compared_without_last_years_report(bureau, only):
    bureau.write("content/annual/2026.yml", carried_in_two())
    assert only("GK604") == []


def test_repeal_counts_in_the_year_it_takes_effect(bureau):
    normative_bureau(bureau)
    # published 2025-12-20, in force from 2026-01-01: repeals a (made 2024)
    bureau.item(
        "content/zcwj/gfxwj/f.md",
        category="gfxwj",
        doc_no="测文旅规〔2025〕9号",
        index_no="000014349/2025-00009",
        date="2025-12-20",
        written="2025-12-20",
        effective="2026-01-01",
        repeals="000014349/2024-00001",
    )
    project = load_project(bureau.root)
    # 2025, by hand: made b, c, d, f = 4; ended b (repealed by d, in force 2025-09-01) and c
    # (last valid day 2025-10-31) = 2; in force on 2025-12-31: a (its repeal starts 2026) and d
    # = 2 (f only from 2026-01-01)
    assert load_annual(project, 2025).part2_computed["行政规范性文件"] == {
        "本年制发件数": 4,
        "本年废止件数": 2,
        "现行有效件数": 2,
    }
    # 2026, by hand: made e = 1; ended a = 1; in force on 2026-12-31: d, e, f = 3
    bureau.write("content/annual/2026.yml", BALANCED)
    assert load_annual(load_project(bureau.root), 2026).part2_computed["行政规范性文件"] == {
        "本年制发件数": 1,
        "本年废止件数": 1,
        "现行有效件数": 3,
    }


def test_last_valid_day_on_31_december_is_in_force_that_year_and_ended_the_next(bureau):
    normative_bureau(bureau)
    bureau.item(
        "content/zcwj/gfxwj/g.md",
        category="gfxwj",
        doc_no="测文旅规〔2025〕8号",
        index_no="000014349/2025-00008",
        date="2025-01-05",
        written="2025-01-05",
        expires="2025-12-31",
    )
    bureau.write("content/annual/2026.yml", BALANCED)
    project = load_project(bureau.root)
    this, following = (
        load_annual(project, y).part2_computed["行政规范性文件"] for y in (2025, 2026)
    )
    # with normative_bureau's hand count (made 3, ended 2, in force 2) plus g
    assert this == {"本年制发件数": 4, "本年废止件数": 2, "现行有效件数": 3}
    # 2026: made e; ended g; in force a, d, e
    assert following == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 3}


def repeal_pair(bureau) -> None:
    old = dict(category="gfxwj", doc_no="测文旅规〔2024〕1号", written="2024-05-01")
    bureau.item(
        "content/zcwj/gfxwj/old.md", **old, index_no="000014349/2024-00001", date="2024-05-01"
    )
    bureau.item(
        "content/zcwj/gfxwj/new.md",
        category="gfxwj",
        doc_no="测文旅规〔2026〕3号",
        written="2026-11-20",
        index_no="000014349/2026-00003",
        date="2026-11-25",
        effective="2027-01-01",
        repeals="000014349/2024-00001",
    )


def test_repealed_document_is_shown_as_repealed_only_from_the_repeals_effective_date(bureau):
    repeal_pair(bureau)
    project = load_project(bureau.root)
    before = public_set(project, date(2026, 12, 31))
    old, new = (before.by_index[n] for n in ("000014349/2024-00001", "000014349/2026-00003"))
    assert before.validity(old).label == "有效" and before.validity(old).pending == (new,)
    assert before.validity(new).label == "尚未生效"
    after = public_set(project, date(2027, 1, 1))
    assert after.validity(old).label == "已废止" and after.validity(old).by == (new,)
    assert after.validity(new).label == "有效"


def test_amended_document_is_shown_as_amended_only_from_the_amendments_effective_date(bureau):
    repeal_pair(bureau)
    text = (bureau.root / "content/zcwj/gfxwj/new.md").read_text("utf-8")
    bureau.write("content/zcwj/gfxwj/new.md", text.replace("repeals:", "amends:"))
    project = load_project(bureau.root)
    old = "000014349/2024-00001"
    assert (
        public_set(project, date(2026, 12, 31)).validity(project_item(project, old)).label == "有效"
    )
    assert (
        public_set(project, date(2027, 1, 1)).validity(project_item(project, old)).label == "已修改"
    )


def project_item(project, number: str):  # noqa: ANN001, ANN201
    return next(i for i in project.items if i.index_no == number)


def test_demo_bureau_reports_2026(tmp_path):
    demo = Path(__file__).parents[1]
    done = run("report", "annual", "2026", str(demo), "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    cells = [
        [c.text for c in row.cells]
        for t in docx.Document(str(tmp_path / "annual-2026.docx")).tables
        for row in t.rows
    ]
    # by hand from content/zcwj/gfxwj: made lvxingshe2026, mianfei2026 (the amending decision),
    # minsu; ended jingqu2024 (last valid day 2026-05-14) and lvxingshe2024 (repealed from
    # 2026-04-01); in force on 2026-12-31: mianfei2025, lvxingshe2026, mianfei2026, minsu
    assert ["行政规范性文件", "3", "2", "4"] in cells
    assert ["行政许可", "218"] in cells


def test_item_pages_show_a_pending_repeal_as_still_valid(bureau, tmp_path):
    from generator.site.build import build_site_dir

    from gatekit import mkdocs_yml

    repeal_pair(bureau)
    bureau.write("mkdocs.yml", mkdocs_yml())  # the demo's site settings, search left out
    shutil.copytree(Path(__file__).parents[1] / "theme", bureau.root / "theme")
    (bureau.root / "content/pages").mkdir()
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, date(2026, 12, 31), progress=False)
    old = (site / "item/000014349/2024-00001/index.html").read_text("utf-8")
    new = (site / "item/000014349/2026-00003/index.html").read_text("utf-8")
    assert "<strong>有效</strong>" in old and "已废止" not in old.split("gk-header")[1][:2000]
    assert "将于 2027-01-01 起由" in old
    assert "<strong>尚未生效</strong>" in new
