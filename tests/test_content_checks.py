"""Every content check: the standard item passes; one change each makes it fail at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.problems import Severity
from generator.core.project import split_front_matter

from helpers import ITEM


def test_standard_item_has_no_problem(bureau):
    bureau.item()
    assert bureau.problems() == []


# --- reading the file -------------------------------------------------------------------------


def test_yaml_syntax_error_names_the_line_and_the_fix(bureau, only):
    bureau.write(
        "content/tzgg/a.md",
        "---\ntitle: 通知\ncategory: tzgg\nsummary: 时间: 上午\n---\n正文\n",
    )
    [problem] = only("GK103")
    assert problem.line == 4
    assert "引号" in problem.message


def test_tab_indentation_is_explained(bureau, only):
    bureau.write("content/tzgg/a.md", "---\ntitle: 通知\nkeywords:\n\t- 一\n---\n")
    [problem] = only("GK103")
    assert problem.line == 4
    assert "Tab" in problem.message


def test_missing_front_matter(bureau, only):
    bureau.write("content/tzgg/a.md", "# 只有正文\n\n没有元数据。\n")
    [problem] = only("GK102")
    assert problem.line == 1 and "---" in problem.message


def test_unterminated_front_matter(bureau, only):
    bureau.write("content/tzgg/a.md", "---\ntitle: 通知\n正文\n")
    [problem] = only("GK102")
    assert "没有结束" in problem.message


def test_empty_file(bureau, only):
    bureau.write("content/tzgg/a.md", "  \n\n")
    [problem] = only("GK101")
    assert problem.line == 1


def test_front_matter_that_is_not_a_mapping(bureau, only):
    bureau.write("content/tzgg/a.md", "---\n- 一\n- 二\n---\n")
    assert len(only("GK104")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: 通知\n---\n正文\n",
        "---\n\n  \n\ntitle: 通知\n---\n正文\n",  # blank lines after the opening fence
        "-----  \ntitle: 通知\n\n---\t \n\n\n正文\n",  # longer fences, blanks after them
        "---\r\ntitle: 通知\r\n---\r\n正文\r\n",
        "---\ntitle: 通知\n---",
    ],
)
def test_front_matter_lines_are_the_file_lines_whatever_blanks_surround_the_fences(text):
    src, body, body_line = split_front_matter(text, Path("a.md"))
    lines = text.split("\n")
    assert src.data == {"title": "通知"}
    assert src.line("title") == first_line(lines, "title") + 1
    # body_line is the file line of the body's first line (the rest of the closing fence's)
    body_lines = body.split("\n")
    if any(line.startswith("正文") for line in lines):
        assert body_line + first_line(body_lines, "正文") == first_line(lines, "正文") + 1
    else:
        assert body == "" and body_line == len(lines)


def first_line(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(start))


def test_gbk_file_is_named_as_gbk_with_how_to_resave(bureau, only):
    bureau.write("content/tzgg/a.md", ("---\ntitle: 关于开展检查的通知\n---\n").encode("gbk"))
    [problem] = only("GK100")
    assert problem.line == 2
    assert "GBK" in problem.message and "UTF-8" in problem.message and "另存为" in problem.message


def test_utf8_bom_is_accepted(bureau):
    path = bureau.item()
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert bureau.problems() == []


def test_duplicate_key_is_reported(bureau, only):
    bureau.write("content/tzgg/a.md", "---\n" + "title: 一\ntitle: 二\n" + "---\n")
    [problem] = only("GK105")
    assert problem.line == 3


# --- keys and values ------------------------------------------------------------------------


def test_missing_required_key(bureau, only):
    bureau.item(title=None)
    [problem] = only("GK110")
    assert "标题（title）" in problem.message


def test_missing_disclosure_is_an_error_never_a_default(bureau, only):
    bureau.item(disclosure=None)
    [problem] = only("GK110")
    assert problem.severity is Severity.ERROR
    assert "主动公开" in problem.message and "不能省略" in problem.message


def test_category_can_demand_extra_keys(bureau, only):
    bureau.item("content/zcwj/gfxwj/a.md", category="gfxwj")
    [problem] = only("GK110")
    assert "doc_no" in problem.message and "行政规范性文件" in problem.message
    bureau.item("content/zcwj/gfxwj/a.md", category="gfxwj", doc_no="测文旅规〔2026〕1号")
    assert only("GK110") == []


def test_kind_demands_its_own_keys(bureau, only):
    bureau.item("content/zqyj/a.md", category="zqyj", type="consultation")
    messages = " ".join(p.message for p in only("GK110"))
    assert "opens" in messages and "closes" in messages


def test_empty_value_counts_as_missing(bureau, only):
    bureau.write("content/tzgg/a.md", item_with_line("doc_no:"))
    bureau.write(
        "catalog.yml",
        bureau.root.joinpath("catalog.yml")
        .read_text()
        .replace("    department: bgs\n", "    department: bgs\n    required: [doc_no]\n", 1)
        .replace(
            "  - code: tzgg\n    name: 通知公告\n    department: bgs\n",
            "  - code: tzgg\n    name: 通知公告\n    department: bgs\n    required: [doc_no]\n",
        ),
    )
    [problem] = only("GK110")
    assert problem.line == 8  # the empty `doc_no:` line, where the author must write


def item_with_line(line: str) -> str:
    return ITEM.replace("disclosure: 主动公开\n", f"disclosure: 主动公开\n{line}\n")


def test_wrong_type_is_reported_with_line(bureau, only):
    bureau.item(title="[一, 二]")
    [problem] = only("GK111")
    assert problem.line == 2 and "标题" in problem.message


def test_number_where_text_is_expected_suggests_quotes(bureau, only):
    bureau.item(doc_no="2026")
    [problem] = only("GK111")
    assert '"2026"' in problem.message


def test_date_must_be_written_yyyy_mm_dd(bureau, only):
    bureau.item(date="2026-3-5")
    [problem] = only("GK111")
    assert problem.line == 5 and "YYYY-MM-DD" in problem.message


def test_date_must_exist(bureau, only):
    bureau.item(date="2026-02-30")
    [problem] = only("GK111")
    assert "真实存在" in problem.message


def test_datetime_needs_minutes(bureau, only):
    bureau.item(
        "content/tzgg/a.md",
        type="response",
        concern_at="2026-05-03",
        level="major",
        responded_at="2026-05-03 10:00",
    )
    [problem] = only("GK111")
    assert "HH:MM" in problem.message


def test_disclosure_value_must_be_one_of_three(bureau, only):
    bureau.item(disclosure="公开")
    [problem] = only("GK111")
    assert "主动公开、依申请公开、不予公开" in problem.message


def test_not_disclosed_needs_a_legal_basis(bureau, only):
    bureau.item(disclosure="不予公开")
    assert len(only("GK112")) == 1
    bureau.item(
        disclosure="不予公开", disclosure_basis="《中华人民共和国政府信息公开条例》第十四条"
    )
    assert only("GK112") == []


def test_written_after_date_is_reported(bureau, only):
    bureau.item(written="2026-03-06")
    [problem] = only("GK113")
    assert problem.line == 5 and "2026-03-06" in problem.message


def test_effective_after_expires_is_reported(bureau, only):
    bureau.item(effective="2026-05-01", expires="2026-04-30")
    [problem] = only("GK113")
    assert "生效日期" in problem.message
    bureau.item(effective="2026-05-01", expires="2026-05-01")
    assert only("GK113") == []


def test_withdrawn_needs_date_and_reason(bureau, only):
    bureau.item(withdrawn="{date: 2026-04-01}")
    [problem] = only("GK111")
    assert "reason" in problem.message
    bureau.item(withdrawn="{date: 2026-04-01, reason: 内容有误}")
    assert bureau.problems() == []


def test_unknown_key_is_a_warning_with_did_you_mean(bureau, only):
    bureau.item(titel="错别字")
    [problem] = only("GK114")
    assert problem.severity is Severity.WARNING
    assert "title" in problem.message


def test_chinese_label_as_key_suggests_the_canonical_key(bureau, only):
    bureau.item(文号="测文旅发〔2026〕1号")
    [problem] = only("GK114")
    assert "doc_no" in problem.message


def test_key_of_another_kind_is_a_warning(bureau, only):
    bureau.item(opens="2026-03-05")
    [problem] = only("GK115")
    assert problem.severity is Severity.WARNING


# --- catalog placement ------------------------------------------------------------------------


def test_unknown_category(bureau, only):
    bureau.item(category="tzgq")
    [problem] = only("GK120")
    assert problem.line == 3 and "tzgg" in problem.message


def test_category_written_as_its_name_gets_its_code(bureau, only):
    bureau.item(category="通知公告")
    [problem] = only("GK120")
    assert "tzgg" in problem.message


def test_file_must_sit_in_its_category_folder(bureau, only):
    bureau.item("content/zcjd/a.md")
    [problem] = only("GK122")
    assert "content/tzgg/" in problem.message


def test_items_may_use_subfolders_of_their_category(bureau):
    bureau.item("content/tzgg/2026/a.md")
    assert bureau.problems() == []


def test_unknown_department(bureau, only):
    bureau.item(department="bgss")
    [problem] = only("GK121")
    assert "bgs" in problem.message


def test_doc_no_with_half_width_brackets(bureau, only):
    for wrong in (
        "测文旅发[2026]12号",
        "测文旅发(2026)12号",
        "测文旅发(2026)12号",
        "测文旅发【2026】12号",
    ):
        bureau.item(doc_no=wrong)
        [problem] = only("GK130")
        assert "测文旅发〔2026〕12号" in problem.message
    bureau.item(doc_no="测文旅发〔2026〕12号")
    assert only("GK130") == []


# --- index numbers ------------------------------------------------------------------------------


def test_index_number_must_match_template(bureau, only):
    bureau.item(index_no="2026-00001")
    [problem] = only("GK140")
    assert "{org}/{year}-{serial:05d}" in problem.message and problem.line == 4


def test_index_number_serial_width_is_enforced(bureau, only):
    bureau.item(index_no="000014349/2026-1")
    assert len(only("GK140")) == 1


def test_index_number_of_another_organization(bureau, only):
    bureau.item(index_no="000099999/2026-00001")
    [problem] = only("GK141")
    assert "000014349" in problem.message


def test_index_number_year_must_be_year_of_date(bureau, only):
    bureau.item(index_no="000014349/2025-00001")
    [problem] = only("GK142")
    assert "2025" in problem.message and "2026-03-05" in problem.message


def test_local_template_checks_category_code(bureau, only):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(
        catalog.read_text()
        .replace('"{org}/{year}-{serial:05d}"', '"jz-lfw-{category}-{serial:05d}"')
        .replace("scope: year", "scope: category")
    )
    bureau.item(index_no="jz-lfw-tzgg-00012")
    assert bureau.problems() == []
    bureau.item(index_no="jz-lfw-zcjd-00012")
    assert len(only("GK143")) == 1


def test_duplicate_index_numbers_name_both_files(bureau, only):
    bureau.item("content/tzgg/a.md")
    bureau.item("content/tzgg/b.md")
    problems = only("GK144")
    assert {p.file.rsplit("/", 1)[1] for p in problems} == {"a.md", "b.md"}
    assert all(("a.md" in p.message) != p.file.endswith("a.md") for p in problems)


# --- attachments and references -----------------------------------------------------------------


def test_attachment_must_exist(bureau, only):
    bureau.item(attachments="[附件1.pdf]")
    [problem] = only("GK150")
    assert "附件1.pdf" in problem.message and problem.line == 8
    bureau.write("content/tzgg/附件1.pdf", b"%PDF-1.4\n")
    assert only("GK150") == []


def test_attachment_may_not_leave_content(bureau, only):
    bureau.write("secret.txt", "机密")
    bureau.item(attachments="[../../secret.txt]")
    assert len(only("GK151")) == 1
    bureau.item(attachments="[/etc/passwd]")
    assert len(only("GK151")) == 1


def test_attachment_symlink_pointing_outside_is_refused(bureau, only):
    bureau.write("secret.txt", "机密")
    (bureau.root / "content/tzgg").mkdir(parents=True, exist_ok=True)
    (bureau.root / "content/tzgg/link.txt").symlink_to(bureau.root / "secret.txt")
    bureau.item(attachments="[link.txt]")
    assert len(only("GK109")) == 1  # the link itself, wherever it points
    [refused] = only("GK150")
    assert "符号链接" in refused.message


def test_reference_to_unknown_index_number(bureau, only):
    bureau.item(repeals="000014349/2026-00002")
    [problem] = only("GK160")
    assert problem.line == 8 and "000014349/2026-00001" in problem.message  # did you mean


def test_interpretation_points_at_a_document(bureau, only):
    bureau.item()
    bureau.item(
        "content/zcjd/b.md",
        category="zcjd",
        type="interpretation",
        index_no="000014349/2026-00002",
        interprets="000014349/2026-00001",
    )
    assert bureau.problems() == []
    bureau.item(
        "content/zcjd/c.md",
        category="zcjd",
        type="interpretation",
        index_no="000014349/2026-00003",
        interprets="000014349/2026-00002",
    )
    assert len(only("GK161")) == 1


def test_reference_to_itself(bureau, only):
    bureau.item(amends="000014349/2026-00001")
    assert len(only("GK162")) == 1


def test_every_problem_is_reported_in_one_run(bureau):
    bureau.item("content/tzgg/a.md", date="2026-13-01", doc_no="x[2026]1号", titel="x")
    bureau.write("content/tzgg/b.md", "没有元数据\n")
    bureau.item("content/zcjd/c.md", category="nope", index_no="bad")
    codes = set(bureau.codes())
    assert {"GK111", "GK130", "GK114", "GK102", "GK120", "GK140"} <= codes
