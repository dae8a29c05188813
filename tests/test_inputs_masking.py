"""No command prints a resident ID, mobile or bank card number a file holds: CI logs are public.

Known numbers (plain, full-width, with separators) are planted in every place a user can put
text — every front-matter key, unknown keys, file and attachment names, display names, catalog
values, annual data and narrative, fixed pages, a Word document — and every command is run with
every output format. The leak check reads the output the way a person would (NFKC, separators
removed) and is independent of the masking code.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from generator.checks import check
from generator.core import schema
from generator.core.problems import FORMATTERS
from generator.core.project import load_project

from helpers import Bureau, item_text, run

ID = "11010519491231002X"
MOBILE = "13812345678"
CARD = "6222021234567890128"
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
# Every number in three spellings: plain, full-width, with separators as people write them.
SPELLINGS = {
    ID: [ID, ID.translate(FULL), "110105 19491231 002X", "110105-19491231-002x"],
    MOBILE: [MOBILE, MOBILE.translate(FULL), "138 1234 5678", "138-1234-5678", "138.1234.5678"],
    CARD: [CARD, CARD.translate(FULL), "6222 0212 3456 7890 128", "6222-0212-3456-7890-128"],
}
ALL = [s for spellings in SPELLINGS.values() for s in spellings]


def leaks(output: str) -> list[str]:
    """The planted numbers that can be read in `output`, however they were written."""
    plain = unicodedata.normalize("NFKC", output).upper()
    plain = re.sub(r"(?<=[0-9])[\s\-.\u3000]+(?=[0-9X])", "", plain)
    return [number for number in SPELLINGS if number in plain]


def spelling(n: int) -> str:
    return ALL[n % len(ALL)]


CATALOG_PLANTS = {
    "name: 测试局政府信息公开": f"name: 测试局{spelling(0)}",
    "name: 测试市文化和旅游局": f"name: 测试市{spelling(5)}文化和旅游局",
    "name: 办公室": f"name: 办公室{spelling(9)}",
    "name: 通知公告": f"name: 通知公告{spelling(1)}",
    "    department: bgs\n": f"    department: bgs\n    frequency: {spelling(6)}\n",
    "  - code: zqyj\n": f"  - code: zqyj\n    folder: pages/{spelling(2)}\n",
    "index_number:": f'"{spelling(10)}": 1\nindex_number:',
}


def planted_bureau(root: Path) -> Bureau:
    bureau = Bureau(root)
    catalog = (root / "catalog.yml").read_text(encoding="utf-8")
    for old, new in CATALOG_PLANTS.items():
        catalog = catalog.replace(old, new, 1)
    catalog += f"requests:\n  office: 办公室\n  phone: {spelling(3)}\n"
    bureau.write("catalog.yml", catalog)
    # every front-matter key holds a number, one item per key so each error is reached
    for n, key in enumerate(schema.FIELDS):
        changes = {"index_no": f"000014349/2026-{n + 1:05d}", key: f'"{spelling(n)}"'}
        bureau.write(f"content/tzgg/k{n:02d}.md", item_text(**changes))
    bureau.write(
        "content/tzgg/unknown.md",
        item_text(**{f'"{spelling(4)}"': "值", "index_no": "000014349/2026-00100"}),
    )
    # file names, attachment paths and display names, attachment contents
    bureau.write(f"content/tzgg/{spelling(1)}.md", item_text(index_no="000014349/2026-00101"))
    bureau.write(f"content/tzgg/attachments/名单{spelling(5)}.csv", f"姓名，卡号\n张三，{CARD}\n")
    bureau.write(f"content/tzgg/attachments/{spelling(8)}.svg", "<svg/>")
    attachments = (
        f'[{{path: "attachments/名单{spelling(5)}.csv", name: "{spelling(6)}"}}, '
        f'"attachments/{spelling(8)}.svg", "missing-{spelling(11)}.pdf", "../{spelling(12)}.pdf"]'
    )
    bureau.write(
        "content/tzgg/att.md",
        item_text(index_no="000014349/2026-00102", attachments=attachments),
    )
    bureau.write(
        f"content/tzgg/{spelling(3)}.md", f"---\ntitle: [未闭合\nindex_no: {spelling(3)}\n---\n"
    )
    bureau.write(f"content/tzgg/{spelling(7)}-gbk.md", f"标题{spelling(7)}".encode("gb18030"))
    # fixed pages and annual reports
    bureau.write(f"content/pages/{spelling(13)}.md", f"# 关于\n\n电话 {spelling(2)}\n")
    bureau.write("content/annual/2025.md", f"## 一、总体情况\n\n经办人 {spelling(4)}\n")
    bureau.write(
        "content/annual/2025.yml",
        f'part3:\n  本年新收: "{spelling(10)}"\npart4:\n  行政复议: [{MOBILE}, 0, 0, 0, 0]\n',
    )
    return bureau


def test_every_problem_in_every_format_is_masked(tmp_path):
    bureau = planted_bureau(tmp_path / "repo")
    problems = check(load_project(bureau.root))
    codes = {p.code for p in problems}
    # the planting reaches the message kinds that quote values
    assert {"GK111", "GK114", "GK120", "GK121", "GK140", "GK150", "GK160"} <= codes
    assert {"GK801", "GK802", "GK803", "GK004", "GK017", "GK103", "GK152"} <= codes
    raw = "\n".join(f"{p.file} {p.message}" for p in problems)
    assert set(leaks(raw)) == set(SPELLINGS)  # the messages do carry every number, unmasked
    for name, formatter in FORMATTERS.items():
        assert leaks(formatter(problems)) == [], name


def commands(bureau: Bureau, tmp_path: Path) -> list[list[str]]:
    docx_file = tmp_path / f"通知{spelling(0)}.docx"
    import docx

    document = docx.Document()
    document.add_heading(f"关于{spelling(1)}的通知", 0)
    document.add_paragraph(f"联系电话 {spelling(2)}，账户 {spelling(9)}。")
    document.save(str(docx_file))
    return [
        ["validate"],
        ["validate", "--format", "json"],
        ["validate", "--format", "github"],
        ["validate", "--base", "HEAD"],
        ["build", "--today", "2026-11-30"],
        ["build", "--gate", "--today", "2026-11-30"],
        ["new", "--category", spelling(3), "--title", "x"],
        ["new", "--category", "tzgg", "--title", f"关于{spelling(4)}"],
        ["report", "deadlines"],
        ["report", "deadlines", "--format", "json"],
        ["report", "catalog"],
        ["report", "catalog", "--format", "json"],
        ["report", "annual", "2025"],
        ["publish-check"],
        ["register", "--out", str(tmp_path / f"register-{spelling(5)}")],
        ["review-summary", "--base", "HEAD~1"],
        ["codeowners", "--check"],
        ["import", str(docx_file), "--category", "tzgg"],
        ["import", str(tmp_path / f"缺失{spelling(6)}.docx"), "--category", "tzgg"],
    ]


@pytest.mark.parametrize("command", range(19))
def test_no_command_prints_a_number_unmasked(planted, command):
    bureau, tmp_path = planted
    args = commands(bureau, tmp_path)[command]
    done = run(*args, cwd=bureau.root)
    assert "Traceback" not in done.stderr, args
    assert leaks(done.stdout) == [] and leaks(done.stderr) == [], args


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("masking")
    bureau = planted_bureau(tmp_path / "repo")
    root = Path(__file__).parents[1]
    bureau.write("mkdocs.yml", (root / "mkdocs.yml").read_text(encoding="utf-8"))
    bureau.init_git()
    bureau.commit("first")
    bureau.write(f"content/tzgg/{spelling(2)}-new.md", item_text(index_no="000014349/2026-00200"))
    bureau.commit(f"second {spelling(2)}")
    return bureau, tmp_path
