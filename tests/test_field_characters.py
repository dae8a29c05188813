"""Characters published text may not hold (GK116), and fixed pages that name a theme template
(GK159): both reported by validate at their line, and neither crashes the build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_inputs import site_bureau

from generator.core.project import load_project
from generator.core.public_set import public_set
from generator.pages.harvest import harvest_files
from generator.site.build import build_site_dir

from helpers import Bureau, run

TODAY = date(2026, 3, 10)
FIXED = "content/pages/about.md"


def item_with(front: str, body: str = "正文。\n") -> str:
    return (
        "---\n"
        "title: 关于开展文化市场检查的通知\n"
        "category: tzgg\n"
        "index_no: 000014349/2026-00001\n"
        "date: 2026-03-05\n"
        "written: 2026-03-01\n"
        "disclosure: 主动公开\n" + front + "---\n\n" + body
    )


def gk116(bureau: Bureau) -> list[tuple[str, int, str]]:
    return [
        (Path(p.file).relative_to(bureau.root).as_posix(), p.line, p.message)
        for p in bureau.problems()
        if p.code == "GK116"
    ]


def no_crash(done) -> None:
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "内部错误" not in output, output
    assert done.returncode not in (0, 70), output


@pytest.mark.parametrize(
    ("escape", "shown"),
    [
        ("\\x01", "U+0001（控制字符）"),
        ("\\0", "U+0000（控制字符）"),
        ("\\x7f", "U+007F（控制字符）"),
        ("\\x9f", "U+009F（控制字符）"),
        ("\\ufdd0", "U+FDD0（Unicode 非字符）"),
        ("\\uffff", "U+FFFF（Unicode 非字符）"),
        ("\\U0010FFFF", "U+10FFFF（Unicode 非字符）"),
        ("\\u202e", "U+202E（双向文字控制符"),
        ("\\u2066", "U+2066（双向文字控制符"),
    ],
)
def test_title_with_a_character_that_cannot_be_published(tmp_path, escape, shown):
    bureau = Bureau(tmp_path)
    bureau.item(title=f'"关于{escape}通知"')
    [(file, line, message)] = gk116(bureau)
    assert (file, line) == ("content/tzgg/a.md", 2)
    assert message.startswith(f"标题（title）含有不允许的字符 {shown}")
    assert "请删除该字符" in message


def test_tab_newline_and_ordinary_text_are_fine(tmp_path):
    bureau = Bureau(tmp_path)
    front = 'summary: "第一行\\n第二行\\t（续）\\r"\nkeywords: [文化, "市场‮"]\n'.replace("‮", "")
    bureau.write("content/tzgg/a.md", item_with(front, "正文\t一。\r\n\n第二段 13812345678。\n"))
    assert gk116(bureau) == []


def test_every_value_and_the_body_at_their_own_lines(tmp_path):
    bureau = Bureau(tmp_path)
    front = (
        'keywords: [文化, "市\\u202e场"]\n'  # 8
        "withdrawn:\n"
        "  date: 2026-04-01\n"
        '  reason: "原因\\x7f"\n'  # 11
        "attachments:\n"
        '  - {path: a.pdf, name: "名称\\x02"}\n'  # 13
        'doc_no: "示文旅〔2026〕\\x003号"\n'  # 14
        'publisher: "测试\\u2067局"\n'  # 15
        'extra_key: {nested: ["\\x05"]}\n'  # 16
    )
    body = "第一段。\n\n第二段\u202e18321654378。\n\n\x0c\n"  # body lines 19, 21, 23
    bureau.write("content/tzgg/a.md", item_with(front, body))
    found = gk116(bureau)
    assert [(line, message.split("含有")[0]) for _, line, message in found] == [
        (8, "主题词（keywords）第 2 项"),
        (11, "撤回（withdrawn）的“reason”"),
        (13, "附件（attachments）第 1 项的“name”"),
        (14, "文号（doc_no）"),
        (15, "发布机构（publisher）"),
        (16, "元数据“extra_key”的“nested”第 1 项"),
        (21, "正文"),
        (23, "正文"),
    ]
    assert "U+202E" in found[-2][2] and "U+000C" in found[-1][2]


def test_file_name_with_a_bidirectional_control_is_refused(tmp_path):
    bureau = Bureau(tmp_path)
    bureau.item(rel="content/tzgg/a\u202efdp.md")
    refused = [p for p in bureau.problems() if p.code == "GK156"]
    assert refused and "U+202E" in refused[0].message


def test_validate_and_build_refuse_a_control_character_in_the_title(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.item(title='"a\\x01b"')
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 1
    assert "content/tzgg/a.md:2: GK116 [错误] 标题（title）含有不允许的字符 U+0001" in done.stdout
    built = run("build", cwd=bureau.root)
    no_crash(built)
    assert "GK116" in built.stdout
    assert not (bureau.root / "site").exists()


def test_atom_feed_survives_a_control_character_even_unchecked(tmp_path):
    """The Atom feeds leave out what XML cannot hold rather than stop the build (validate
    refuses such an item first: GK116)."""
    bureau = Bureau(tmp_path)
    bureau.item(title='"a\\x01b\\0c"', summary='"s\\x02"')
    files = dict(harvest_files(public_set(load_project(bureau.root), TODAY), "https://x.cn/"))
    feed = files["category/tzgg/atom.xml"]
    assert "<title>abc</title>" in feed and "s</summary>" in feed


@pytest.mark.parametrize("template", ["item.html", "base.html", "main.html"])
def test_fixed_page_naming_a_template(tmp_path, template):
    bureau = site_bureau(tmp_path)
    bureau.item(date="2026-03-09")
    bureau.write(FIXED, f"---\ntitle: 关于本站\ntemplate: {template}\n---\n\n# 关于本站\n")
    [problem] = [p for p in bureau.problems() if p.code == "GK159"]
    assert (Path(problem.file), problem.line) == (bureau.root / FIXED, 3)
    assert problem.is_error
    assert problem.message.startswith("固定页面不能指定模板（template）")
    assert problem.message.endswith("请删除这一行")
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 1
    assert f"{FIXED}:3: GK159 [错误] 固定页面不能指定模板（template）" in done.stdout
    built = run("build", cwd=bureau.root)
    no_crash(built)
    assert f"{FIXED}:3: GK159" in built.stdout


def test_fixed_page_template_in_multimarkdown_metadata(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.write(FIXED, "Title: 关于\nTemplate: item.html\n\n# 关于本站\n")
    assert [(p.code, p.line) for p in bureau.problems() if p.code == "GK159"] == [("GK159", 2)]


def test_fixed_page_without_template_is_fine_and_build_ignores_one(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.item(date="2026-03-09")
    bureau.write(FIXED, "---\ntitle: 关于本站\n---\n\n# 关于本站\n\ntemplate: x\n")
    assert "GK159" not in bureau.codes()
    bureau.write("content/pages/other.md", "---\ntemplate: item.html\n---\n\n# 其他\n")
    site = tmp_path / "site"  # unchecked: the template is not used
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False, inspect=False)
    assert "其他" in (site / "other/index.html").read_text(encoding="utf-8")
