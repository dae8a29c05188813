"""catalog.yml: what a good catalog gives, and how a bad one is reported."""

from __future__ import annotations

import pytest

from generator.core.catalog import CatalogError, Rules, load_catalog


def edit(bureau, old: str, new: str) -> None:
    path = bureau.root / "catalog.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def catalog_codes(bureau) -> list[str]:
    return [p.code for p in load_catalog(bureau.root / "catalog.yml").problems]


def test_good_catalog_gives_tree_departments_and_defaults(bureau):
    catalog = load_catalog(bureau.root / "catalog.yml")
    assert catalog.problems == []
    assert [c.code for c in catalog.roots] == ["zcwj", "zcjd", "zqyj", "tzgg"]
    child = catalog.categories["gfxwj"]
    assert child.parent == "zcwj" and child.folder == "zcwj/gfxwj"
    assert child.department == "zcfgk"  # inherited from its parent
    assert child.normative and child.required == ("doc_no",)
    assert [c.code for c in catalog.ancestry("gfxwj")] == ["zcwj", "gfxwj"]
    sun = catalog.departments["zcfgk"].reviewers[0]
    assert (sun.login, sun.name, sun.email) == ("sun", "孙慧", "sun@example.gov.cn")
    assert catalog.rules == Rules()  # the domain brief's numbers
    assert catalog.rules.interpretation_within_workdays == 10


def test_rules_can_be_overridden(bureau):
    bureau.write(
        "catalog.yml",
        (bureau.root / "catalog.yml").read_text() + "rules:\n  interpretation_within_workdays: 3\n",
    )
    assert load_catalog(bureau.root / "catalog.yml").rules.interpretation_within_workdays == 3


def test_bad_rule_value(bureau):
    bureau.write(
        "catalog.yml",
        (bureau.root / "catalog.yml").read_text() + "rules:\n  consultation_min_days: 零\n",
    )
    problems = load_catalog(bureau.root / "catalog.yml").problems
    lines = (bureau.root / "catalog.yml").read_text().splitlines()
    assert [(p.code, p.line) for p in problems] == [("GK014", len(lines))]


def test_duplicate_category_code(bureau):
    edit(bureau, "code: zqyj", "code: zcjd")
    problems = load_catalog(bureau.root / "catalog.yml").problems
    [problem] = [p for p in problems if p.code == "GK011"]
    lines = (bureau.root / "catalog.yml").read_text().splitlines()
    first, second = [n for n, line in enumerate(lines, 1) if line.endswith("code: zcjd")]
    assert problem.line == second and f"第 {first} 行" in problem.message


def test_unknown_department_of_category(bureau):
    edit(bureau, "department: bgs\n", "department: bangongshi\n")
    problems = load_catalog(bureau.root / "catalog.yml").problems
    [problem] = [p for p in problems if p.code == "GK012"]
    assert "bangongshi" in problem.message


def test_duplicate_department(bureau):
    edit(bureau, "id: zcfgk", "id: bgs")
    assert "GK010" in catalog_codes(bureau)


@pytest.mark.parametrize(
    "template, scope, fragment",
    [
        ("{org}/{year}-{sequence:05d}", "year", "{sequence}"),
        ("{org}/{year}-{serial:5x}", "year", "流水号格式"),
        ("{org}/{year}", "year", "{serial}"),
        ("{org}/{year-{serial}", "year", "花括号"),
        ("jz-lfw-{category}-{serial:05d}", "year", "{year}"),
        ("{org}/{year}-{serial:05d}", "month", "scope"),
    ],
)
def test_bad_index_template_is_reported(bureau, template, scope, fragment):
    edit(bureau, '"{org}/{year}-{serial:05d}"', f'"{template}"')
    edit(bureau, "scope: year", f"scope: {scope}")
    problems = load_catalog(bureau.root / "catalog.yml").problems
    [problem] = problems
    assert problem.code == "GK013" and fragment in problem.message


def test_national_template_is_the_default(bureau):
    edit(bureau, 'index_number:\n  template: "{org}/{year}-{serial:05d}"\n  scope: year\n', "")
    catalog = load_catalog(bureau.root / "catalog.yml")
    assert catalog.index.format(category="x", year=2026, serial=72) == "000014349/2026-00072"


def test_unknown_key_is_a_warning_with_suggestion(bureau):
    edit(bureau, "departments:", "departmets:\n  - {id: x, name: x}\ndepartments:")
    problems = load_catalog(bureau.root / "catalog.yml").problems
    [problem] = [p for p in problems if p.code == "GK004"]
    assert "departments" in problem.message and problem.severity == "warning"


def test_required_key_that_is_not_front_matter(bureau):
    edit(bureau, "required: [doc_no]", "required: [wenhao]")
    assert "GK016" in catalog_codes(bureau)


def test_bad_reviewer_identity(bureau):
    edit(bureau, "identity: 孙慧 <sun@example.gov.cn>", "identity: 孙慧")
    assert "GK015" in catalog_codes(bureau)


def test_unreadable_catalog_is_fatal_with_line(bureau):
    bureau.write("catalog.yml", "site:\n  name: [未闭合\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(bureau.root / "catalog.yml")
    assert caught.value.problem.code == "GK001"


def test_missing_catalog_is_fatal(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "catalog.yml")
    assert "找不到" in caught.value.problem.message


def test_bad_catalog_is_reported_like_content(bureau):
    edit(bureau, "code: zqyj", "code: zcjd")
    bureau.item()
    assert "GK011" in bureau.codes()


def test_unknown_update_frequency_is_reported(bureau):
    edit(bureau, "    name: 通知公告\n", "    name: 通知公告\n    frequency: weekly\n")
    assert "GK003" in catalog_codes(bureau)


def test_every_documented_section_is_known(bureau):
    extra = (
        "calendar:\n  holidays: [2026-03-03]\nscreening:\n  words: [x]\nreview:\n  provider: github\n"
        "limits:\n  max_item_kb: 100\nrequests:\n  office: 办公室\n  address: 人民路1号\n"
        "  hours: 工作日9:00—17:00\n  phone: 0000-1234567\n  fax: 0000-1234568\n"
    )
    bureau.write("catalog.yml", (bureau.root / "catalog.yml").read_text() + extra)
    assert load_catalog(bureau.root / "catalog.yml").problems == []
