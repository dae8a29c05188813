"""The annual report: part 二 computed from items (against a hand count), sums checked per cell."""

from __future__ import annotations

import json

import docx

from generator.core.project import load_project
from generator.reports.annual import load_annual

from helpers import run


def line_of(key: str) -> int:
    return next(
        n for n, line in enumerate(BALANCED.splitlines(), 1) if line.strip().startswith(key + ":")
    )


BALANCED = """\
year: 2025
part2:
  行政许可: 12
part3:
  本年新收: [3, 1, 0, 0, 0, 0, 4]
  上年结转: [1, 0, 0, 0, 0, 0, 1]
  予以公开: [2, 1, 0, 0, 0, 0, 3]
  无法提供.不掌握: [1, 0, 0, 0, 0, 0, 1]
  总计: [3, 1, 0, 0, 0, 0, 4]
  结转下年度: [1, 0, 0, 0, 0, 0, 1]
part4:
  行政复议: [1, 0, 0, 1, 2]
"""


def normative_bureau(bureau):
    """Five 行政规范性文件 (hand count for 2025 below) and one notice."""
    doc = dict(category="gfxwj", doc_no="测文旅规〔2025〕1号")
    bureau.item(
        "content/zcwj/gfxwj/a.md",
        **doc,
        index_no="000014349/2024-00001",
        date="2024-05-01",
        written="2024-05-01",
        effective="2024-06-01",
    )  # 2024, still in force
    bureau.item(
        "content/zcwj/gfxwj/b.md",
        **doc,
        index_no="000014349/2025-00001",
        date="2025-02-01",
        written="2025-02-01",
    )  # 2025, repealed by d in 2025
    bureau.item(
        "content/zcwj/gfxwj/c.md",
        **doc,
        index_no="000014349/2025-00002",
        date="2025-03-01",
        written="2025-03-01",
        effective="2025-03-01",
        expires="2025-10-31",
    )  # 2025, expired in 2025
    bureau.item(
        "content/zcwj/gfxwj/d.md",
        **doc,
        index_no="000014349/2025-00003",
        date="2025-09-01",
        written="2025-09-01",
        repeals="000014349/2025-00001",
    )  # 2025, in force
    bureau.item(
        "content/zcwj/gfxwj/e.md",
        **doc,
        index_no="000014349/2026-00001",
        date="2026-01-10",
        written="2026-01-10",
    )  # next year: not counted
    bureau.item(
        "content/tzgg/n.md",
        index_no="000014349/2025-00004",
        date="2025-04-01",
        written="2025-04-01",
    )
    bureau.write("content/annual/2025.yml", BALANCED)


def test_part_two_matches_a_hand_count(bureau):
    normative_bureau(bureau)
    annual = load_annual(load_project(bureau.root), 2025)
    # made in 2025: b, c, d = 3; ended in 2025: b (repealed), c (expired) = 2; in force on
    # 2025-12-31: a and d = 2. No category is flagged as 规章.
    assert annual.part2_computed["行政规范性文件"] == {
        "本年制发件数": 3,
        "本年废止件数": 2,
        "现行有效件数": 2,
    }
    assert annual.part2_computed["规章"] == {
        "本年制发件数": 0,
        "本年废止件数": 0,
        "现行有效件数": 0,
    }
    assert annual.problems == []
    assert annual.monthly[1] == 1 and sum(annual.monthly) == 4  # Feb, Mar, Apr, Sep


def test_row_total_mismatch_names_the_cell(bureau, only):
    bureau.write(
        "content/annual/2025.yml",
        BALANCED.replace("予以公开: [2, 1, 0, 0, 0, 0, 3]", "予以公开: [2, 1, 0, 0, 0, 0, 4]"),
    )
    messages = [p.message for p in only("GK602")]
    assert any("“予以公开”行“总计”列" in m and "不等于前六列之和 3" in m for m in messages)
    [row_problem] = [p for p in only("GK602") if "“予以公开”行" in p.message]
    assert row_problem.line == line_of("予以公开")


def test_received_plus_carried_must_equal_total_plus_carried_on(bureau, only):
    bureau.write(
        "content/annual/2025.yml",
        BALANCED.replace("结转下年度: [1, 0, 0, 0, 0, 0, 1]", "结转下年度: [0, 0, 0, 0, 0, 0, 0]"),
    )
    messages = [p.message for p in only("GK602")]
    assert any("“结转下年度”行“自然人”列" in m and "本年新收 + 上年结转 = 4" in m for m in messages)


def test_part_four_total(bureau, only):
    bureau.write(
        "content/annual/2025.yml",
        BALANCED.replace("行政复议: [1, 0, 0, 1, 2]", "行政复议: [1, 0, 0, 1, 3]"),
    )
    [problem] = only("GK603")
    assert "行政复议" in problem.message and problem.line == line_of("行政复议")


def test_malformed_row_is_reported(bureau, only):
    bureau.write(
        "content/annual/2025.yml",
        BALANCED.replace("上年结转: [1, 0, 0, 0, 0, 0, 1]", "上年结转: [1, 0]"),
    )
    [problem] = only("GK601")
    assert "7 个非负整数" in problem.message and problem.line == line_of("上年结转")


def test_report_command_writes_page_and_docx(bureau, tmp_path):
    normative_bureau(bureau)
    done = run("report", "annual", "2025", "--out", str(tmp_path / "out"), cwd=bureau.root)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out/annual-2025.html").read_text(encoding="utf-8")
    assert "2025年政府信息公开工作年度报告" in html and "四、结转下年度继续办理" in html
    assert '<img src="chart.svg"' in html and (tmp_path / "out/chart.svg").read_text().startswith(
        "<svg"
    )
    document = docx.Document(str(tmp_path / "out/annual-2025.docx"))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["行政规范性文件", "3", "2", "2"] in cells
    assert any(row[1] == "（七）总计" and row[-1] == "4" for row in cells)
    data = json.loads((tmp_path / "out/annual-2025.json").read_text(encoding="utf-8"))
    assert data["year"] == 2025 and data["records"]
    table = (tmp_path / "out/annual-2025.csv").read_bytes()
    assert (
        table.startswith("\ufeff".encode()) and len(table.splitlines()) == len(data["records"]) + 1
    )


def test_unbalanced_report_is_not_written(bureau, tmp_path):
    bureau.write(
        "content/annual/2025.yml",
        BALANCED.replace("总计: [3, 1, 0, 0, 0, 0, 4]", "总计: [3, 1, 0, 0, 0, 0, 5]"),
    )
    done = run("report", "annual", "2025", "--out", str(tmp_path / "out"), cwd=bureau.root)
    assert done.returncode == 1 and "GK602" in done.stdout
    assert not (tmp_path / "out").exists()
