"""catalog.yml and the annual data read by their declared shapes: each problem once, at the
line of the key it is about, unknown keys named with a suggestion, every declared key documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_annual import BALANCED  # the same balanced annual data

from generator.checks import check
from generator.core.catalog import load_catalog
from generator.core.catalog_schema import CATALOG
from generator.core.project import load_project
from generator.core.yamlshape import ListOf, MapOf, Mapping, Tree
from generator.reports.annual import load_annual

ROOT = Path(__file__).resolve().parents[1]


def add(bureau, text: str) -> None:
    path = bureau.root / "catalog.yml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(bureau, old: str, new: str) -> None:
    path = bureau.root / "catalog.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(bureau, fragment: str, rel: str = "catalog.yml") -> int:
    lines = (bureau.root / rel).read_text(encoding="utf-8").splitlines()
    [number] = [n for n, line in enumerate(lines, 1) if fragment in line]
    return number


def problems(bureau):
    return load_catalog(bureau.root / "catalog.yml").problems


@pytest.mark.parametrize(
    "section",
    [
        "rules: [20]\n",  # read for the deadline rules and for rules.errors
        "screening: 秘密\n",  # read for the words and for the allowed numbers
    ],
)
def test_a_section_of_the_wrong_type_is_reported_once(bureau, section):
    add(bureau, section)
    found = problems(bureau)
    assert [(p.code, p.line) for p in found] == [("GK003", line_of(bureau, section.strip()))]
    assert "应为键值结构" in found[0].message


def test_an_unknown_key_in_a_section_read_twice_is_warned_about_once(bureau):
    add(bureau, "screening:\n  word: [内部资料]\n")
    [problem] = problems(bureau)
    assert problem.code == "GK004" and problem.line == line_of(bureau, "word:")


def test_a_site_name_of_the_wrong_type_is_reported_once(bureau):
    replace(bureau, "  name: 测试局政府信息公开\n", "  name: [测试局]\n")
    [problem] = problems(bureau)
    assert problem.code == "GK003" and "site.name（网站名称）应为文字" in problem.message


def test_a_wrong_department_is_reported_where_it_is_written_not_in_each_child(bureau):
    replace(bureau, "    department: zcfgk\n    children:", "    department: zcfgkk\n    children:")
    replace(
        bureau,
        "        required: [doc_no]\n",
        "        required: [doc_no]\n      - code: qtwj\n        name: 其他文件\n",
    )
    found = [p for p in problems(bureau) if p.code == "GK012"]
    assert [p.line for p in found] == [line_of(bureau, "department: zcfgkk")]
    assert "是不是想写“zcfgk”" in found[0].message


def test_a_nested_key_is_reported_with_file_line_and_its_place(bureau):
    replace(
        bureau,
        "        normative: true\n",
        "        normative: true\n        interpretation: must\n",
    )
    add(
        bureau,
        "inspection:\n  wording:\n    - wrong: 示范区\n      right: 示范区域\n"
        "    - wrong: 老年人\n      right: 老年朋友\n      since: 2026-13-01\n",
    )
    found = {p.code: p for p in problems(bureau)}
    interpretation, since = found["GK003"], found["GK027"]
    assert interpretation.file == str(bureau.root / "catalog.yml")
    assert interpretation.line == line_of(bureau, "interpretation: must")
    assert "categories 第 1 项的 children 第 1 项的 interpretation（是否必须解读）" in (
        interpretation.message
    )
    assert since.line == line_of(bureau, "since: 2026-13-01")
    assert "inspection.wording 第 2 项的 since" in since.message


def test_a_reviewers_identity_is_reported_at_its_own_line(bureau):
    replace(bureau, "identity: 孙慧 <sun@example.gov.cn>", "identity: 孙慧")
    [problem] = problems(bureau)
    assert problem.code == "GK015" and problem.line == line_of(bureau, "identity: 孙慧")


def test_an_unknown_nested_key_names_its_section_and_the_likely_key(bureau):
    add(bureau, "review:\n  provder: github\n")
    [problem] = problems(bureau)
    assert problem.code == "GK004" and problem.severity == "warning"
    assert problem.line == line_of(bureau, "provder:")
    assert "review 下的键“provder”" in problem.message
    assert "是不是想写“provider”？" in problem.message


def test_a_bad_value_falls_back_to_the_default_and_a_good_one_is_kept(bureau):
    add(bureau, "rules:\n  due_soon_workdays: 很快\n  interpretation_within_workdays: 3\n")
    catalog = load_catalog(bureau.root / "catalog.yml")
    assert [p.code for p in catalog.problems] == ["GK014"]
    assert (
        catalog.rules.due_soon_workdays == 5 and catalog.rules.interpretation_within_workdays == 3
    )


def declared_keys(shape, path=()):
    if isinstance(shape, Mapping):
        for key in shape.keys:
            yield (*path, key.name)
            yield from declared_keys(key.shape, (*path, key.name))
    elif isinstance(shape, ListOf | MapOf):
        yield from declared_keys(shape.entry if isinstance(shape, ListOf) else shape.value, path)
    elif isinstance(shape, Tree):
        yield from declared_keys(shape.entry, path)


def test_every_declared_key_is_documented_for_staff():
    doc = (ROOT / "docs/catalog.md").read_text(encoding="utf-8")
    missing = [".".join(p) for p in declared_keys(CATALOG) if f"{p[-1]}" not in doc]
    assert missing == []


def test_a_misspelt_part_of_the_annual_data_is_an_error_with_a_suggestion(bureau, only):
    bureau.write("content/annual/2025.yml", BALANCED.replace("part3:", "prat3:"))
    [problem] = only("GK601")
    assert problem.line == line_of(bureau, "prat3:", "content/annual/2025.yml")
    assert "是不是想写“part3”？" in problem.message and problem.is_error


def test_annual_data_that_is_not_a_mapping_is_an_error(bureau, only):
    bureau.write("content/annual/2025.yml", "- 行政许可\n- 12\n")
    [problem] = only("GK601")
    assert problem.line == 1 and "应为键值结构" in problem.message


def test_a_duplicate_part_of_the_annual_data_is_an_error(bureau, only):
    bureau.write("content/annual/2025.yml", BALANCED + "part4:\n  行政复议: [0, 0, 0, 0, 0]\n")
    [problem] = only("GK601")
    assert "重复" in problem.message and problem.line == BALANCED.count("\n") + 1


def test_an_annual_row_problem_names_the_row_of_the_template(bureau, only):
    bureau.write(
        "content/annual/2025.yml",
        BALANCED.replace("[1, 0, 0, 0, 0, 0, 1]\n  予以", "[1, 0]\n  予以"),
    )
    [problem] = only("GK601")
    assert problem.line == line_of(bureau, "上年结转", "content/annual/2025.yml")
    assert "二、上年结转政府信息公开申请数量" in problem.message


def test_annual_data_is_read_once_with_the_project(bureau):
    """The checks and the report pages use what the project read; neither reads the file again
    (a build used to read it once for the checks and once for the pages)."""
    bureau.write("content/annual/2025.yml", BALANCED)
    bureau.write("content/annual/2026.yml", BALANCED.replace("行政许可: 12", "行政许可: 7"))
    project = load_project(bureau.root)
    for year in (2025, 2026):
        (bureau.root / f"content/annual/{year}.yml").write_text("part2: [坏]\n", encoding="utf-8")
    assert [p for p in check(project) if p.code.startswith("GK60")] == []
    report = load_annual(project, 2026)
    assert report is not None and report.part2_text("行政许可") == "7"
    assert report.problems == []  # 2026 carries in 1, as 2025 (read before) carried on
