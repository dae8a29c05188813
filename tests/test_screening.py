"""The privacy and confidentiality screen: both sides pinned with realistic sentences."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.screening import (
    FOLD,
    displayed,
    fold_of,
    luhn,
    mask_personal,
    screen_shown,
    screen_text,
    valid_id18,
)

from helpers import run

ROOT = Path(__file__).parents[1]

# A made-up resident ID with a valid birth date and check digit, and the same with a wrong one.
VALID_ID = "11010519491231002X"
WRONG_CHECK = "110105194912310021"
CARD = "6222021234567890128"  # passes the Luhn check
assert valid_id18(VALID_ID) and not valid_id18(WRONG_CHECK) and luhn(CARD)


def kinds(text: str, **kw) -> list[tuple[str, str]]:
    return [(h.kind, h.masked) for h in screen_text(text, **kw)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (f"申请人张某，公民身份号码{VALID_ID}，于3月5日提交申请。", [("id", "1101**********002X")]),
        (f"身份证号：{VALID_ID.lower()}", [("id", "1101**********002X")]),
        ("旧身份证号码110105491231002。", [("id", "1101********002")]),
        ("联系人王先生，电话13812345678。", [("mobile", "138****5678")]),
        ("手机：138-1234-5678", [("mobile", "138****5678")]),
        ("请拨打 +86 139 1234 5678 咨询", [("mobile", "139****5678")]),
        (f"退款打入账户{CARD}。", [("card", "6222***********0128")]),
        ("秘密★1年", [("secret", "秘密★1年")]),
        ("机密★", [("secret", "机密★")]),
        ("绝密\n关于某事项的请示", [("secret", "绝密")]),
        ("本材料为内部资料，注意保密。", [("secret", "内部资料"), ("secret", "注意保密")]),
        ("复印件不得外传", [("secret", "不得外传")]),
        ("意见请发送至 zhangsan1980@qq.com", [("email", "z***********@qq.com")]),
        ("当事人家庭住址为某区某街道", [("context", "家庭住址")]),
    ],
)
def test_personal_data_and_markings_are_found_and_masked(sentence, expected):
    assert kinds(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "索引号：000099031/2026-00012，文号：示文旅发〔2026〕12号。",
        "发布日期 2026-03-05，成文日期20260301。",
        "部门收入预算合计18652.3万元，其中一般公共预算拨款169305000元。",
        f"登记编号{WRONG_CHECK}（校验位不符）。",
        "统一社会信用代码 11330000MB0000001X。",
        "咨询电话：0000-1234501，传真 0000-1234509。",
        "涉及商业秘密、个人隐私的信息，依法不予公开。",
        "请将意见发送至 zcfgk@wlj.shili.example.gov.cn。",
        "项目编号 SLCG-2026-0417，预算金额 1860000 元。",
        "2025年全市接待游客4860万人次，同比增长百分之十一点二。",
        "订单号 12345678901234567 已支付。",
        "２０２６年３月５日，全市共接待游客１３８６万人次。",
        "咨询电话：0351－1234567；办公时间 8:30—12:00、14:30—17:30。",
        "2026年度预算 1 380 000 元，较上年增长 12.5%。",
        "附件3:2026-2030年文化旅游发展规划（第 1、2、3 期）。",
        "统计表：2021 2022 2023 2024 2025 年接待量分别为 320 355 410 468 486 万人次。",
    ],
)
def test_no_false_alarm_on_ordinary_government_text(sentence):
    assert kinds(sentence) == []


def test_allow_list_keeps_public_hotlines_quiet():
    assert kinds("投诉热线 13800138000", allow=frozenset({"13800138000"})) == []


def test_catalog_words_are_masked():
    assert kinds("这是青龙计划的一部分", words=("青龙计划",)) == [("word", "青***")]


def test_name_next_to_id_context_is_only_a_warning_when_the_number_is_there():
    text = f"张三，身份证号{VALID_ID}"
    assert [k for k, _ in kinds(text)] == ["id"]  # the number itself, not a second warning


# --- as the page shows it: markup, entities and invisible characters hide nothing ---------

HIDDEN = [
    ("手机：&#49;3812345678", ("mobile", "138****5678")),
    ("手机：138**1234**5678", ("mobile", "138****5678")),
    ("手机：138*1234*5678", ("mobile", "138****5678")),
    ("手机：&#x202E;87654321831", ("mobile", "138****5678")),
    ("手机：138&#8203;1234&shy;5678", ("mobile", "138****5678")),
    ("手机：[138](https://www.gov.cn/)12345678", ("mobile", "138****5678")),
    ("身份证：110105[19491231](#)002X", ("id", "1101**********002X")),
    ('手机：138<span title="a>b">1234</span>5678', ("mobile", "138****5678")),
    ("身份证：110105<!-- 备注 --!>19491231<!-- 备注 -->002X", ("id", "1101**********002X")),
    ("手机：138   1234   5678", ("mobile", "138****5678")),
    ("| 138 | 1234 | 5678 |", ("mobile", "138****5678")),
    ("手机：138\u200a1234\u034f5678", ("mobile", "138****5678")),
    ("手机：1\u03323\u03328\ufe0e12345678", ("mobile", "138****5678")),
    ("## 机密 ##", ("secret", "机密")),
    ("### 机密 {#mj}", ("secret", "机密")),
    ("[机密](#mj)", ("secret", "机密")),
    ("机&nbsp;密★10年", ("secret", "机\u00a0密★10年")),
    ("手机：1381234<!-- 注释 -->5678", ("mobile", "138****5678")),
    ("身份证：110105<span>19491231</span>002X", ("id", "1101**********002X")),
    ("手机：138\u200b1234\u200d5678", ("mobile", "138****5678")),
    ("身份证：\u202eX20013219491501011\u202c", ("id", "1101**********002X")),
    ("机&#23494;★10年", ("secret", "机密★10年")),
    ("内部&#36164;料", ("secret", "内部资料")),
    ("**秘密**★5年", ("secret", "秘密★5年")),
    ("机 密★", ("secret", "机 密★")),
    ("- 机密", ("secret", "机密")),
    ("> 绝密", ("secret", "绝密")),
    ("# 秘密", ("secret", "秘密")),
    ("1. 机密", ("secret", "机密")),
    ("| 机密 |", ("secret", "机密")),
    ("**机密**", ("secret", "机密")),
    # a tag cut by the reading's bounds (no --> after it, one inside a quoted value, a < quoted)
    ("1<b>3812345678<!--", ("mobile", "138****5678")),
    ('文字138<a title="-->">12345678</a><!--', ("mobile", "138****5678")),
    ('文字138<a title="x<y">12345678</a>', ("mobile", "138****5678")),
]


@pytest.mark.parametrize(("line", "expected"), HIDDEN)
def test_what_markup_or_invisible_characters_split_is_found_at_its_line(line, expected):
    found = screen_text(f"第一段。\n\n{line}\n\n第三段。")
    assert [(h.kind, h.masked, h.line) for h in found] == [(*expected, 3)]


def test_every_character_shown_as_nothing_hides_nothing():
    """By Unicode category, not a list: every format character and combining mark (musical and
    shorthand format controls were missed by the list before it), between the digits of a
    mobile number, in the text and as an entity."""
    invisible = [
        code
        for low, high in ((0, 0x20000), (0xE0000, 0xE1000))
        for code in range(low, high)
        if unicodedata.category(chr(code)) in ("Cf", "Mn", "Me") and code != 0x202E
    ]
    assert len(invisible) > 2000 and 0x1D173 in invisible and 0x1BCA0 in invisible
    missed = [
        f"U+{code:04X}"
        for code in invisible
        for written in (chr(code), f"&#{code};")
        if not screen_text(f"手机：138{written}1234{written}5678")
    ]
    assert missed == []
    assert [h.kind for h in screen_shown(f"手机 138{chr(0x1D173)}12345678")] == ["mobile"]


@pytest.mark.parametrize(
    "blank", ["\u2065", "\ufff0", "\U000e0fff", "\U000e0200", "\U0001e08f", "\U0001e0ff"]
)
def test_unassigned_characters_a_browser_draws_as_nothing_hide_nothing(blank):
    """Default ignorable code points that Unicode has not assigned yet, and code points this
    Python's Unicode does not know (U+1E08F became a combining mark in Unicode 15)."""
    assert [h.kind for h in screen_text(f"甲138{blank}12345678")] == ["mobile"]


@pytest.mark.parametrize(
    "text",
    [
        "手机\u200f5678\u200f1234\u200f138\u200e。",  # shown 13812345678
        "值班电话：\u061c5678\u061c1234\u061c138",
        "\u20675678\u20691234\u2069138",
    ],
)
def test_direction_marks_that_reorder_digit_groups_hide_nothing(text):
    assert [(h.kind, h.masked) for h in screen_text(text)] == [("mobile", "138****5678")]
    assert [(h.kind, h.masked) for h in screen_shown(text)] == [("mobile", "138****5678")]


def test_what_the_open_data_keeps_of_a_body_is_what_a_page_shows():
    from generator.core.markup import without_comments

    assert without_comments("<?x>note<!--") == "note<!--"  # an unended comment is shown
    assert without_comments("<!-- a --><!x y<z> w") == " w"  # a bogus comment ends at its >
    assert without_comments("a<!-- x -->b<!-- open") == "ab<!-- open"
    assert without_comments("-->x<!--->y") == "-->xy"


def test_a_line_of_many_marks_is_read_in_linear_time():
    """A line of # (a heading's marks) and a 密 elsewhere: the marking pattern once tried every
    way to split the #s (26 took 10 s, 40 would take hours). Run apart, so that a return of
    that would fail here rather than hang the suite."""
    code = (
        "from generator.core.screening import screen_text, displayed\n"
        "assert screen_text('#' * 5000 + '\\n各科室要密切配合。\\n机密' + ' ' * 50000 + 'x') == []\n"
        "assert displayed('<a' * 20000) and displayed('<!--' * 20000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120, capture_output=True)
    assert done.returncode == 0, done.stderr


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("1a机密 -*_|<>!&#;x0A\n\u202e\u200b")), max_size=60))
def test_the_shown_text_keeps_every_line_where_it_is(text):
    assert displayed(text).count("\n") == text.count("\n")
    screen_text(text)  # and screening it never fails


@pytest.mark.parametrize("text", ["联系人手机138\n12345678，工作日可拨打。", "手机138\n1234\n5678"])
def test_a_number_broken_over_lines_is_found_at_the_first(text):
    found = screen_text(text)
    assert [(h.kind, h.masked, h.line) for h in found] == [("mobile", "138****5678", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "| 年份 | 人次 |\n| --- | ---: |\n| 2025 | 4860 |\n| 2026 | 5120 |",
        "1. 2026年3月5日\n2. 2026年4月8日\n\n**预算** 1380000 元",
        "# 一、工作目标\n\n- 到2026年底\n- 接待游客突破6000万人次",
        "注意_保存_文件，编号 2026\n0417 号。",
        "<!-- 统计口径：2025 年 -->\n全市共 138 家景区。",
        "下载：[扫描件](https://www.example.gov.cn/files/1381234_5678.pdf)",
        "文件存放于 D:\\公开\\138\\12345678.pdf",
        "编号 1381234~5678，指标编码：13_81234_5678",
    ],
)
def test_ordinary_markdown_raises_no_false_alarm(text):
    assert screen_text(text) == []


# --- in validate: lines, masking, attachments, exemptions ----------------------------------


def test_finding_in_the_body_names_file_and_line_and_never_prints_the_value(bureau):
    bureau.item_with_body(f"第一段。\n\n申请人身份证号：{VALID_ID}。")
    done = run("validate", "--format", "github", cwd=bureau.root)
    assert done.returncode == 1
    assert "::error file=content/tzgg/a.md,line=12,title=GK801::" in done.stdout
    assert "1101**********002X" in done.stdout
    assert VALID_ID not in done.stdout and VALID_ID not in done.stderr


def test_finding_in_front_matter_points_at_its_key(bureau, only):
    bureau.item(summary="联系人手机13812345678")
    [problem] = only("GK802")
    assert problem.line == 8 and "138****5678" in problem.message


def write_docx(path, paragraphs, table=None):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))


def write_pdf(path, lines):
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for n, line in enumerate(lines):
        pdf.drawString(72, 800 - 20 * n, line)
    pdf.save()


def test_docx_attachment_is_screened_including_tables(bureau, only):
    folder = bureau.root / "content/tzgg"
    folder.mkdir(parents=True, exist_ok=True)
    write_docx(
        folder / "名单.docx", ["拟录用人员名单"], table=[["姓名", "手机"], ["李四", "13912345678"]]
    )
    bureau.item(attachments="[名单.docx]")
    [problem] = only("GK802")
    assert problem.line == 8 and "名单.docx" in problem.message and "139****5678" in problem.message


def test_pdf_attachment_is_screened(bureau, only):
    folder = bureau.root / "content/tzgg"
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(folder / "list.pdf", ["Applicant list", f"ID {VALID_ID}"])
    bureau.item(attachments="[list.pdf]")
    [problem] = only("GK801")
    assert "list.pdf" in problem.message and "第 2 行" in problem.message


def test_text_attachment_is_screened(bureau, only):
    bureau.write("content/tzgg/attachments/附件.md", "# 附件\n\n秘密★5年\n")
    bureau.item(attachments="[attachments/附件.md]")
    assert len(only("GK804")) == 1


def test_unreadable_attachment_is_reported_not_skipped(bureau, only):
    bureau.write("content/tzgg/broken.docx", b"this is not a docx")
    bureau.write("content/tzgg/scan.pdf", b"%PDF-1.4 broken")
    bureau.write("content/tzgg/photo.jpg", b"\xff\xd8\xff\xe0")
    bureau.item(attachments="[broken.docx, scan.pdf, photo.jpg]")
    [broken] = only("GK153")  # not a Word document at all: refused before it is screened
    assert "broken.docx" in broken.message
    assert len(only("GK809")) == 1
    [image] = only("GK808")
    assert image.severity == "warning" and "人工审查" in image.message


def test_exemption_with_reason_silences_one_finding(bureau, only):
    bureau.item_with_body(
        "举报电话 13812345678，咨询电话 13912345678。",
        screening_exempt='[{kind: mobile, value: "138****5678", reason: 本局公开的举报电话}]',
    )
    [left] = only("GK802")
    assert "139****5678" in left.message


def test_exemption_without_reason_is_an_error(bureau, only):
    bureau.item(screening_exempt='[{kind: mobile, value: "138****5678"}]')
    [problem] = only("GK111")
    assert "reason" in problem.message


def test_unused_exemption_is_a_warning(bureau, only):
    bureau.item(screening_exempt='[{kind: mobile, value: "138****5678", reason: 热线}]')
    assert len(only("GK811")) == 1


def test_catalog_screening_words_and_allow_list(bureau, only):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(
        catalog.read_text() + 'screening:\n  words: [青龙计划]\n  allow: ["13800138000"]\n'
    )
    bureau.item_with_body("青龙计划进展顺利，热线13800138000。")
    assert len(only("GK805")) == 1 and only("GK802") == []


# --- as people write numbers: full-width digits, separators ----------------------------------


FULL_WIDTH_ID = VALID_ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (f"身份证号{FULL_WIDTH_ID}", [("id", "1101**********002X")]),
        ("身份证号 110105 19491231 002X", [("id", "1101**********002X")]),
        ("身份证号 1101 0519 4912 3100 2X", [("id", "1101**********002X")]),
        ("身份证号 110105-19491231-002x", [("id", "1101**********002X")]),
        ("旧身份证 110105 491231 002", [("id", "1101********002")]),
        ("手机：１３８１２３４５６７８", [("mobile", "138****5678")]),
        ("手机：１３８\u3000１２３４\u3000５６７８", [("mobile", "138****5678")]),
        ("电话 138 1234 5678", [("mobile", "138****5678")]),
        ("电话 138 - 1234 - 5678", [("mobile", "138****5678")]),
        ("电话 138.1234.5678", [("mobile", "138****5678")]),
        ("电话 138－1234－5678", [("mobile", "138****5678")]),
        ("电话 8613812345678", [("mobile", "138****5678")]),
        ("电话 0086 138 1234 5678", [("mobile", "138****5678")]),
        ("2026-03-05 联系 138-1234-5678", [("mobile", "138****5678")]),
        ("13812345678 13912345678", [("mobile", "138****5678"), ("mobile", "139****5678")]),
        ("卡号 6222 0212 3456 7890 128", [("card", "6222***********0128")]),
        ("卡号 6222-0212-3456-7890-128", [("card", "6222***********0128")]),
        ("卡号 ６２２２０２１２３４５６７８９０１２８", [("card", "6222***********0128")]),
        ("机密★一年", [("secret", "机密★一年")]),
        ("本件为内部资料", [("secret", "内部资料")]),
    ],
)
def test_numbers_written_full_width_or_with_separators_are_found(sentence, expected):
    assert kinds(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "表三 100 150 2000 3000 4000",  # a row of a table, not one phone number
        "第 1 2 3 4 5 6 7 8 9 10 11 条",
        "12 12 12 12 12 12 12 12 12 12",
        "版本 1.3812345678，系数 138.12345678。",
        "服务器地址 192.168.100.123，端口 8080。",
        "会议时间 2026-03-05 14:30 至 2026-03-06 17:00。",
        "金额 1,380,000.00 元，其中 138,123,456 元为专项资金。",
        "咨询电话：0351-1234567、（0351）12345678、0351－12345678。",
        "２０２６年３月５日印发，共印１３８份。",
        "邮政编码 030000，传真 0351-7654321。",
        "登记号 200012 19491231 0021（前两位不是省份代码）。",
        "统一社会信用代码 12140000012345678X。",
        "项目编号 2026 0305 1234 5678（四组数字，不是卡号）。",
    ],
)
def test_separators_do_not_turn_ordinary_numbers_into_findings(sentence):
    assert kinds(sentence) == []


def test_finding_positions_are_those_of_the_original_text():
    text = f"第一行\n编号１２３，身份证{FULL_WIDTH_ID}。"
    [hit] = screen_text(text)
    assert hit.line == 2 and text[hit.start : hit.end] == FULL_WIDTH_ID


def test_fold_table_holds_every_character_unicode_folds():
    """The fold table is built from a list of blocks (fast at import); every character of
    Unicode that folds must lie in them."""
    missing = [
        hex(code)
        for code in range(0x110000)
        if not 0xD800 <= code < 0xE000 and fold_of(chr(code)) is not None and code not in FOLD
    ]
    assert missing == []


@pytest.mark.parametrize(
    "text, masked",
    [
        (f"申请人 {VALID_ID} 的材料", "申请人 1101**********002X 的材料"),
        (f"content/tzgg/{FULL_WIDTH_ID}.pdf", "content/tzgg/1101**********002X.pdf"),
        ("联系 138 1234 5678。", "联系 138****5678。"),
        (f"账户 {CARD}", "账户 6222***********0128"),
        ("索引号 000014349/2026-00001 不变", "索引号 000014349/2026-00001 不变"),
        ("1101**********002X", "1101**********002X"),  # already masked
    ],
)
def test_mask_personal_masks_what_the_screen_finds_and_nothing_else(text, masked):
    assert mask_personal(text) == masked


# --- file names, attachment names, exemptions of every shape ---------------------------------


def test_item_file_name_attachment_path_and_display_name_are_screened(bureau, only):
    folder = bureau.root / "content/tzgg/attachments"
    folder.mkdir(parents=True)
    (folder / "名单13812345678.csv").write_text("姓名\n", encoding="utf-8")
    bureau.item(
        f"content/tzgg/{VALID_ID}.md",
        attachments=f"[{{path: attachments/名单13812345678.csv, name: 卡号{CARD}}}]",
    )
    [in_name] = only("GK801")
    assert in_name.line == 1 and "文件名" in in_name.message
    [in_path] = only("GK802")
    assert in_path.line == 8 and "附件路径" in in_path.message
    [in_display] = only("GK803")
    assert in_display.line == 8 and "附件显示名称" in in_display.message


def test_exemption_with_a_list_as_kind_is_a_message_not_a_crash(bureau, only):
    bureau.item(screening_exempt='[{kind: [mobile], value: "138****5678", reason: 热线}]')
    [problem] = only("GK111")
    assert "kind" in problem.message


def ooxml(path, parts: dict[str, str]) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, xml in parts.items():
            archive.writestr(name, xml)


def test_spreadsheet_and_presentation_attachments_are_screened(bureau, only):
    folder = bureau.root / "content/tzgg/attachments"
    folder.mkdir(parents=True)
    ooxml(
        folder / "名单.xlsx",
        {
            "xl/workbook.xml": "<workbook/>",
            "xl/sharedStrings.xml": f'<sst><si><t xml:space="preserve">{VALID_ID}</t></si></sst>',
            "xl/worksheets/sheet1.xml": "<worksheet><sheetData><row><c><v>13812345678</v></c>"
            "</row></sheetData></worksheet>",
        },
    )
    ooxml(
        folder / "解读.pptx",
        {
            "ppt/presentation.xml": "<p/>",
            "ppt/slides/slide1.xml": "<p:sld><a:t>本页为内部资料</a:t></p:sld>",
        },
    )
    bureau.item(attachments="[attachments/名单.xlsx, attachments/解读.pptx]")
    assert [p.message.split("”")[0] for p in only("GK801") + only("GK802")] == [
        "附件“名单.xlsx",
        "附件“名单.xlsx",
    ]
    [secret] = only("GK804")
    assert "解读.pptx" in secret.message
    assert only("GK808") == []
