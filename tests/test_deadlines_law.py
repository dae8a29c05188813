"""Deadlines into a year without a notice, the catalog's statutory limits, consultation periods
by kind, and the day the checks count to. Expected dates are worked out by hand from the
sources each test names (working days: the 2026 notice, 国办发明电〔2025〕7号, and for 2027 the
law, see tests/test_holiday_estimate.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.checks import check
from generator.core.catalog import load_catalog
from generator.core.project import load_project

from helpers import Bureau, run

ROOT = Path(__file__).parents[1]


def gk7(bureau: Bureau, today: date) -> list[tuple[str, str]]:
    project = load_project(bureau.root)
    project.today = today
    return [(p.code, p.message) for p in check(project) if p.code.startswith("GK7")]


def add_catalog(bureau: Bureau, text: str) -> None:
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + text, encoding="utf-8")


def normative_document(bureau: Bureau, day: str) -> None:
    """A 行政规范性文件 whose category requires an interpretation."""
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(
            "normative: true", "normative: true\n        interpretation: required"
        ),
        encoding="utf-8",
    )
    bureau.item(
        "content/zcwj/gfxwj/doc.md",
        category="gfxwj",
        doc_no="测文旅规〔2026〕9号",
        date=day,
        written=day,
        index_no="000014349/2026-00001",
    )


# --- the two 2027 examples -----------------------------------------------------------


def test_interpretation_due_2027_01_08_is_not_overdue_on_the_8th(bureau):
    # 10 working days after Thu 2026-12-24: Dec 25, 28, 29, 30, 31, (Jan 1 元旦), Jan 4-8
    normative_document(bureau, "2026-12-24")
    [(code, message)] = gk7(bureau, date(2027, 1, 8))
    assert code == "GK702" and "尚未发布" in message
    assert "最迟于 2027-01-08 发布" in message and "估算" in message
    [(_, late)] = gk7(bureau, date(2027, 1, 9))
    assert "已逾期" in late


def test_20_working_days_from_2026_12_15_end_on_2027_01_13(bureau):
    # Dec 16-18 (3), 21-25 (8), 28-31 (12), Jan 1 元旦, Jan 4-8 (17), Jan 11, 12, 13 (20)
    bureau.item(written="2026-12-15", date="2027-01-13", index_no="000014349/2027-00001")
    assert gk7(bureau, date(2027, 1, 20)) == []
    bureau.item(written="2026-12-15", date="2027-01-14", index_no="000014349/2027-00001")
    [(code, message)] = gk7(bureau, date(2027, 1, 20))
    assert code == "GK706" and "2027-01-13" in message and "估算" in message


def test_deadline_report_marks_a_2027_due_date_as_estimate(bureau):
    normative_document(bureau, "2026-12-24")
    done = run("report", "deadlines", "--as-of", "2027-01-04", cwd=bureau.root)
    assert "即将到期  2027-01-08（估算）" in done.stdout


# --- official days a bureau enters ------------------------------------------------------------

OFFICIAL_2027 = """\
calendar:
  official:
    2027:
      source: 国办发明电〔2026〕X号（测试用的假设安排）
      holidays: [2027-01-01 至 2027-01-03, 2027-02-05 至 2027-02-13]
      workdays: [2027-01-09]
"""


def test_entered_notice_replaces_the_estimate(bureau):
    add_catalog(bureau, OFFICIAL_2027)
    normative_document(bureau, "2026-12-24")
    # Dec 25, 28, 29, 30, 31, Jan 4-8, so still Jan 8, but now exact
    [(code, message)] = gk7(bureau, date(2027, 1, 8))
    assert "最迟于 2027-01-08 发布" in message and "估算" not in message
    project = load_project(bureau.root)
    from generator.checks.deadlines import calendar_for

    cal = calendar_for(project.catalog)
    assert cal.is_workday(date(2027, 1, 9)) == (True, False)  # the swapped Saturday
    assert cal.is_workday(date(2027, 2, 12)) == (False, False)
    assert cal.is_workday(date(2028, 1, 3)) == (False, True)  # other years: still estimated


@pytest.mark.parametrize(
    "entry, expected, at",
    [
        ("    2027:\n      holidays: [2028-01-01]\n", "不在 2027 年内", "holidays"),
        ("    2027:\n      workdays: [2027-01-09]\n", "全部放假日期", "2027:"),
        (
            "    2027:\n      holidays: [2027-02-05 至 2027-01-01]\n",
            "不是合理的日期范围",
            "holidays",
        ),
        ("    2027:\n      holidays: [2027-02-30]\n", "不是真实存在的日期", "holidays"),
        ("    明年:\n      holidays: [2027-01-01]\n", "不是年份", "明年:"),
    ],
)
def test_mistakes_in_an_entered_notice_are_errors_at_their_line(bureau, entry, expected, at):
    add_catalog(bureau, "calendar:\n  official:\n" + entry)
    catalog = load_catalog(bureau.root / "catalog.yml")
    [problem] = [p for p in catalog.problems if p.is_error]
    lines = (bureau.root / "catalog.yml").read_text(encoding="utf-8").splitlines()
    assert expected in problem.message and at in lines[problem.line - 1]


def test_a_year_with_builtin_data_is_not_overridden(bureau):
    add_catalog(bureau, "calendar:\n  official:\n    2026:\n      holidays: [2026-03-03]\n")
    catalog = load_catalog(bureau.root / "catalog.yml")
    [problem] = catalog.problems
    assert problem.code == "GK024" and not problem.is_error and "已内置" in problem.message
    assert catalog.official_years == {}


# --- statutory limits in catalog.yml ----------------------------------------------------------


@pytest.mark.parametrize(
    "key, value, law",
    [
        ("request_reply_workdays", 30, "第三十三条"),
        ("request_extension_workdays", 40, "第三十三条"),
        ("publish_within_workdays", 60, "第二十六条"),
        ("consultation_min_days", 15, "重大行政决策程序暂行条例"),
        ("consultation_normative_min_workdays", 5, "国办发〔2018〕37号"),
    ],
)
def test_catalog_cannot_go_beyond_the_law(bureau, key, value, law):
    add_catalog(bureau, f"rules:\n  {key}: {value}\n")
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 1
    [line] = [x for x in done.stdout.splitlines() if "GK023" in x]
    assert line.startswith("catalog.yml:") and law in line and str(value) in line
    text = (bureau.root / "catalog.yml").read_text(encoding="utf-8").splitlines()
    number = int(line.split(":")[1])
    assert text[number - 1].strip() == f"{key}: {value}"


@pytest.mark.parametrize(
    "key, value",
    [
        ("request_reply_workdays", 15),
        ("publish_within_workdays", 10),
        ("consultation_min_days", 45),
    ],
)
def test_catalog_may_be_stricter_than_the_law(bureau, key, value):
    add_catalog(bureau, f"rules:\n  {key}: {value}\n")
    catalog = load_catalog(bureau.root / "catalog.yml")
    assert catalog.problems == [] and getattr(catalog.rules, key) == value


# --- consultations by kind --------------------------------------------------------------------


def consultation(bureau: Bureau, opens: str, closes: str, kind: str | None) -> None:
    bureau.item(
        "content/zqyj/a.md",
        category="zqyj",
        type="consultation",
        opens=opens,
        closes=closes,
        date=opens,
        written=None,
        draft_kind=kind,
    )


@pytest.mark.parametrize(
    "kind, closes, short",
    [
        # 30 days after Mon 2026-03-02 (the day it opens not counted): 2026-04-01
        ("规章", "2026-04-01", False),
        ("规章", "2026-03-31", True),
        ("重大行政决策", "2026-03-31", True),
        ("涉企行政规范性文件", "2026-03-31", True),
        # 7 working days after Mon 2026-03-02: Mar 3, 4, 5, 6, 9, 10, 11
        ("行政规范性文件", "2026-03-11", False),
        ("行政规范性文件", "2026-03-10", True),
        (None, "2026-03-11", True),  # kind unknown: the general 30 days, with advice
    ],
)
def test_consultation_minimum_depends_on_the_draft(bureau, kind, closes, short):
    consultation(bureau, "2026-03-02", closes, kind)
    found = [m for c, m in gk7(bureau, date(2026, 3, 2)) if c == "GK704"]
    assert bool(found) == short
    if short and kind is None:
        assert "draft_kind" in found[0] and "7 个工作日" in found[0]


def test_normative_consultation_across_national_day(bureau):
    # 7 working days after Wed 2026-09-30: Oct 8, 9, 10 (worked Saturday), 12, 13, 14, 15
    consultation(bureau, "2026-09-30", "2026-10-14", "行政规范性文件")
    [(code, message)] = gk7(bureau, date(2026, 9, 30))
    assert code == "GK704" and "应不早于 2026-10-15" in message


def test_unknown_draft_kind_is_refused(bureau):
    consultation(bureau, "2026-03-02", "2026-04-01", "规范性文件")
    assert "GK111" in bureau.codes()


# --- the day the checks count to --------------------------------------------------------------


def site_bureau(root: Path) -> Bureau:
    bureau = Bureau(root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", root / "theme")
    (root / "content/pages").mkdir(parents=True, exist_ok=True)
    return bureau


def test_build_today_is_the_day_the_deadline_checks_count_to(tmp_path):
    bureau = site_bureau(tmp_path)
    add_catalog(bureau, "rules:\n  errors: [GK702]\n")
    normative_document(bureau, "2026-09-30")  # interpretation due 2026-10-20
    early = run("build", "--today", "2026-10-20", cwd=bureau.root)
    assert "最迟于 2026-10-20 发布" in early.stdout and "尚未发布" in early.stdout
    assert "已逾期" not in early.stdout
    late = run("build", "--today", "2026-10-21", cwd=bureau.root)
    assert "已逾期" in late.stdout and "尚未发布" not in late.stdout


def test_mkdocs_build_as_of_a_day_counts_deadlines_to_that_day(tmp_path):
    bureau = site_bureau(tmp_path)
    add_catalog(bureau, "rules:\n  errors: [GK702]\n")
    normative_document(bureau, "2026-09-30")  # interpretation due 2026-10-20
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - gongkai:\n", "  - gongkai:\n      today: '2026-10-20'\n"
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "out")]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0  # GK702 is an error in this bureau
    assert "尚未发布" in done.stderr + done.stdout and "已逾期" not in done.stderr + done.stdout


# --- index numbers and the catalog ------------------------------------------------------------


def index_problem(bureau: Bureau, code: str, today: date):
    project = load_project(bureau.root)
    project.today = today
    [problem] = [p for p in check(project) if p.code == code]
    return problem


def test_published_item_moved_to_another_category_keeps_its_number(bureau):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8")
        .replace('"{org}/{year}-{serial:05d}"', '"jz-lfw-{category}-{serial:05d}"')
        .replace("scope: year", "scope: category"),
        encoding="utf-8",
    )
    bureau.item("content/zcjd/a.md", category="zcjd", index_no="jz-lfw-tzgg-00012")
    published = index_problem(bureau, "GK143", date(2026, 11, 30)).message
    assert "永不更改" in published and "移回分类“tzgg”" in published and "撤回" in published
    assert "重新取号" not in published
    draft = index_problem(bureau, "GK143", date(2026, 3, 1)).message  # date 2026-03-05: future
    assert "尚未发布" in draft and "gongkai new" in draft


def test_published_item_whose_date_moved_year_keeps_its_number(bureau):
    bureau.item(index_no="000014349/2025-00001")
    message = index_problem(bureau, "GK142", date(2026, 11, 30)).message
    assert "永不更改" in message and "发布日期改回" in message and "撤回" in message


@pytest.mark.parametrize("missing", ["address", "hours", "phone", "fax"])
def test_missing_office_contact_is_a_warning(bureau, missing):
    contacts = {
        "office": "办公室",
        "address": "人民路1号",
        "hours": "工作日9:00—17:00",
        "phone": "0000-1234567",
        "fax": "0000-1234568",
    }
    del contacts[missing]
    add_catalog(bureau, "requests:\n" + "".join(f"  {k}: {v}\n" for k, v in contacts.items()))
    catalog = load_catalog(bureau.root / "catalog.yml")
    [problem] = catalog.problems
    assert problem.code == "GK025" and not problem.is_error and f"（{missing}）" in problem.message
    lines = (bureau.root / "catalog.yml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == "requests:"
