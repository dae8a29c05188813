"""Hostile and broken input: no traceback, no script in a visitor's browser, nothing half-written."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import docx
import pytest

from generator.core.project import load_project
from generator.site.build import BuildError, build_site_dir

from helpers import CATALOG, Bureau, run

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize(
    "attack, code",
    [
        ("<script>alert(1)</script>", "GK901"),
        ('<iframe src="https://evil.example"></iframe>', "GK901"),
        ('<object data="x.swf"></object>', "GK901"),
        ("<style>body{display:none}</style>", "GK901"),
        ('<img src="x.png" onerror="alert(1)">', "GK902"),
        ('<span style="position:fixed">x</span>', "GK902"),
        ('<a href="javascript:alert(1)">点我</a>', "GK903"),
        ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "GK903"),
        ("[点我](javascript:alert(1))", "GK903"),
        ("[点我](JaVaScRiPt:alert(1))", "GK903"),
        ("[图](data:text/html,x)", "GK903"),
    ],
)
def test_each_attack_is_an_error_with_its_line(bureau, only, attack, code):
    bureau.item_with_body(f"第一段。\n\n{attack}\n")
    problems = only(code)
    assert problems and problems[0].line == 12, problems


@pytest.mark.parametrize(
    "safe",
    [
        "代码中的 `<script>` 只是文字。",
        "```html\n<script>alert(1)</script>\n```",
        "见 <https://www.example.gov.cn/> 。",
        '<table><tr><td colspan="2" class="c">合计</td></tr></table>',
        '<span class="note" title="说明">注</span> <img src="a.png" alt="图" width="300">',
        "<!-- 编辑备注:<script> 不会出现在页面上 -->",
        "[政策原文](https://www.example.gov.cn/a.html) 和 [附件](attachments/a.pdf)",
    ],
)
def test_safe_markup_is_not_reported(bureau, safe):
    bureau.item_with_body(safe)
    assert [p for p in bureau.problems() if p.code.startswith("GK9")] == []


def site_bureau(tmp_path: Path, **changes: str) -> Bureau:
    bureau = Bureau(tmp_path / "b")
    bureau.item(**changes)
    shutil.copy(ROOT / "mkdocs.yml", bureau.root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    (bureau.root / "content/pages").mkdir(parents=True, exist_ok=True)
    return bureau


ATTACKS = [
    "<script>alert(1)</script>",
    '<iframe src="https://evil.example"></iframe>',
    '<img src="x.png" onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    '<object data="x.swf"></object>',
]


def test_a_page_carrying_every_attack_is_never_built(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.item_with_body("\n\n".join(ATTACKS))
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert done.returncode == 1
    assert {"GK901", "GK902", "GK903"} <= {
        line.split()[1] for line in done.stdout.splitlines() if ": GK" in line
    }
    site = bureau.root / "site"
    built = (
        "".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
        if site.exists()
        else ""
    )
    assert all(attack not in built for attack in ATTACKS)


def test_front_matter_values_are_escaped_on_every_page(tmp_path):
    bureau = site_bureau(
        tmp_path,
        title="\"<script>alert('title')</script>\"",
        summary='"<img src=x onerror=alert(2)>"',
        keywords='["<b onmouseover=alert(3)>词</b>"]',
        doc_no='"测文旅发〔2026〕1号\\"><script>alert(4)</script>"',
    )
    assert [p for p in bureau.problems() if p.is_error] == []
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, date(2026, 11, 23), progress=False)
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".xml")]
    assert len(pages) > 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for needle in ("<script>alert", "<img src=x onerror", "<b onmouseover", '"><script>'):
            assert needle not in text, (page, needle)
    item = (site / "item/000014349/2026-00001/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in item


def test_yaml_alias_bomb_is_refused_quickly(bureau, only):
    bomb = '---\ntitle: x\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for n, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += (
            f"{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        )
    bureau.write("content/tzgg/a.md", bomb + "---\n正文\n")
    started = time.perf_counter()
    [problem] = only("GK103")
    assert time.perf_counter() - started < 5  # a behaviour guard, not a benchmark: no expansion
    assert "锚点和别名" in problem.message and problem.line == 3  # the anchor the aliases repeat


def test_oversized_file_is_refused_before_it_is_read(bureau, only):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text() + "limits:\n  max_item_kb: 4\n")
    bureau.item_with_body("很长的正文。" * 2000)
    [problem] = only("GK108")
    assert "4 KB" in problem.message and problem.line == 1


def test_item_symlinked_from_outside_content_is_refused(bureau, only):
    outside = bureau.write("secret.md", "---\ntitle: 内部\n---\n机密内容\n")
    (bureau.root / "content/tzgg").mkdir(parents=True, exist_ok=True)
    (bureau.root / "content/tzgg/link.md").symlink_to(outside)
    [problem] = only("GK109")
    assert problem.file.endswith("link.md")
    assert all("机密内容" not in p.message for p in bureau.problems())


def test_build_never_writes_into_content(tmp_path):
    bureau = site_bureau(tmp_path)
    before = {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (bureau.root / "content").rglob("*")
        if p.is_file()
    }
    assert run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path).returncode == 0
    after = {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (bureau.root / "content").rglob("*")
        if p.is_file()
    }
    assert before == after


def test_failed_build_leaves_the_previous_site_untouched(tmp_path):
    bureau = site_bureau(tmp_path)
    site = tmp_path / "site"
    project = load_project(bureau.root)
    build_site_dir(project, site, date(2026, 11, 23), progress=False)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (bureau.root / "theme/item.html").write_text("{% if %}broken template", encoding="utf-8")
    with pytest.raises(BuildError, match="原有网站保持不变"):
        build_site_dir(load_project(bureau.root), site, date(2026, 11, 23), progress=False)
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert before == after
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


# --- failures that were tracebacks: each is now a Chinese message with its file and line ------

TRACEBACK_WORDS = re.compile(r"Traceback|\b[A-Z][A-Za-z]*(Error|Exception|Interrupt)\b")


def no_traceback(done: subprocess.CompletedProcess[str]) -> str:
    """Everything the command said; fails on a traceback or an English exception name."""
    said = done.stdout + done.stderr
    assert not TRACEBACK_WORDS.search(said), said
    assert done.returncode in (0, 1, 2), said
    return said


def problem_at(said: str, path: str, code: str) -> int:
    """The line a problem of `code` in `path` is reported at (the first)."""
    found = re.search(rf"^(\S*{re.escape(path)}):(\d+): {code} \[错误\]", said, re.MULTILINE)
    assert found, said
    return int(found.group(2))


def test_unknown_category_of_the_newest_item_is_reported_not_a_feed_crash(tmp_path):
    bureau = site_bureau(tmp_path, category="nosuch")
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    said = no_traceback(done)
    assert done.returncode == 1 and problem_at(said, "tzgg/a.md", "GK120") == 3
    assert not (bureau.root / "site").exists()


def test_dates_in_year_9999_are_refused_with_their_lines(tmp_path):
    bureau = site_bureau(tmp_path, date="9999-12-31", written="9999-12-20")
    done = run("validate", str(bureau.root), cwd=tmp_path)
    said = no_traceback(done)
    assert problem_at(said, "tzgg/a.md", "GK111") == 5 and "9999" in said
    assert done.returncode == 1
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 1


def test_deadlines_as_of_the_last_day_of_the_calendar(tmp_path):
    bureau = site_bureau(tmp_path, type="consultation", opens="2026-03-01", closes="2026-03-05")
    for command in ("validate", "report"):
        args = ["report", "deadlines"] if command == "report" else ["validate"]
        done = run(*args, str(bureau.root), "--as-of", "9999-12-31", cwd=tmp_path)
        no_traceback(done)


@pytest.mark.parametrize(
    "rule, value",
    [
        ("publish_within_workdays", "100000000000000000000"),
        ("due_soon_workdays", "1000000"),
        ("response_major_hours", "99999999"),
        ("consultation_min_days", "10000000"),
    ],
)
def test_huge_numbers_in_rules_are_refused(tmp_path, rule, value):
    bureau = site_bureau(tmp_path)
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text() + f"rules:\n  {rule}: {value}\n", encoding="utf-8")
    done = run("validate", str(bureau.root), cwd=tmp_path)
    said = no_traceback(done)
    assert problem_at(said, "catalog.yml", "GK014") == len(catalog.read_text().splitlines())
    assert rule in said


def nested_categories(depth: int) -> str:
    """Categories each the only child of the one before, as catalog.yml lines."""
    lines = []
    for n in range(depth):
        pad = "  " + "    " * n
        lines += [f"{pad}- code: n{n}", f"{pad}  name: 第{n}层", f"{pad}  department: bgs"]
        lines += [f"{pad}  children:"] if n < depth - 1 else []
    return "\n".join(lines) + "\n"


def test_four_hundred_nested_categories_are_refused(tmp_path):
    bureau = site_bureau(tmp_path)
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text() + nested_categories(400), encoding="utf-8")
    done = run("validate", str(bureau.root), cwd=tmp_path)
    said = no_traceback(done)
    assert done.returncode == 1 and "“第8层”是第 9 层" in said
    assert problem_at(said, "catalog.yml", "GK022") == len(CATALOG.splitlines()) + 1 + 4 * 8
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 1


def test_full_width_digits_in_an_index_number_are_refused_with_the_fix(tmp_path):
    bureau = site_bureau(tmp_path, index_no='"000014349/2026-０００１２"')
    done = run("validate", str(bureau.root), cwd=tmp_path)
    said = no_traceback(done)
    assert problem_at(said, "tzgg/a.md", "GK140") == 4
    assert "请改为“000014349/2026-00012”" in said
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 1


def test_catalog_without_site_name_is_reported_by_build_and_mkdocs(tmp_path):
    bureau = site_bureau(tmp_path)
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text().replace("  name: 测试局政府信息公开\n", ""))
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    said = no_traceback(done)
    assert done.returncode == 1 and problem_at(said, "catalog.yml", "GK002") == 1
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    done = subprocess.run(mkdocs, cwd=bureau.root, capture_output=True, text=True)
    assert done.returncode != 0 and "GK002" in done.stderr and "Traceback" not in done.stderr


ANNUAL = """\
year: 2025
part2:
  行政许可: 12
  行政事业性收费: 1234567
part3:
  本年新收: [3, 1, 0, 0, 0, 0, 4]
  予以公开: [3, 1, 0, 0, 0, 0, 4]
  总计: [3, 1, 0, 0, 0, 0, 4]
"""


@pytest.mark.parametrize(
    "name, data, line, code",
    [
        ("2025.yml", ANNUAL.encode("gbk"), 3, "GK100"),
        ("2025.md", "# 一、总体情况\n\n本年度共公开信息十二条。\n".encode("gbk"), 1, "GK100"),
        ("2025.yml", ANNUAL.replace("行政许可: 12", "行政许可: 约三十").encode(), 3, "GK601"),
        ("2025.yml", ANNUAL.replace("  行政许可: 12\n", "  行政许可: .inf\n").encode(), 3, "GK601"),
        ("2025.yml", b"year: 2025\npart3: [1, 2]\n", 2, "GK601"),
        ("2025.yml", b"year: 2025\npart2: 12\n", 2, "GK601"),
        ("2025.yml", b"year: 2025\npart4:\n  \xe8\xa1\x8c: [\n", 4, "GK601"),
    ],
    ids=["gbk-data", "gbk-text", "words", "infinite", "list", "number", "syntax"],
)
def test_broken_annual_report_data_is_reported_at_its_line(tmp_path, name, data, line, code):
    bureau = site_bureau(tmp_path)
    if name.endswith(".md"):
        bureau.write("content/annual/2025.yml", ANNUAL)
    bureau.write(f"content/annual/{name}", data)
    done = run("validate", str(bureau.root), cwd=tmp_path)
    said = no_traceback(done)
    assert done.returncode == 1
    assert problem_at(said, f"annual/{name}", code) == line
    done = run("report", "annual", "2025", str(bureau.root), cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 1
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 1


def test_control_characters_in_the_narrative_do_not_stop_the_report(tmp_path):
    # found by the 10,000-example property test: a NUL cannot go into a Word document
    bureau = site_bureau(tmp_path)
    bureau.write("content/annual/2025.yml", ANNUAL)
    bureau.write("content/annual/2025.md", "# 一、总体情况\n\n本年度\x00共公开\x1b信息。\n")
    done = run("report", "annual", "2025", str(bureau.root), cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 0, done.stderr
    report = docx.Document(str(bureau.root / "report/annual-2025.docx"))
    assert "本年度共公开信息。" in [p.text for p in report.paragraphs]
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert no_traceback(done) and done.returncode == 0, done.stderr


def test_annual_amounts_print_as_written(tmp_path):
    bureau = site_bureau(tmp_path)
    figures = ANNUAL.replace("行政许可: 12", "行政许可: 1234567")  # counts are whole numbers
    figures = figures.replace("行政事业性收费: 1234567", "行政事业性收费: 12.5")  # 万元
    bureau.write("content/annual/2025.yml", figures)
    done = run("report", "annual", "2025", str(bureau.root), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (bureau.root / "report/annual-2025.html").read_text(encoding="utf-8")
    assert "<td>1234567</td>" in page and "<td>12.5</td>" in page and "e+06" not in page


def read_only(path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """`command` run where `path` is mounted read-only (a private mount namespace)."""
    ns = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*ns, "sh", "-c", script, "sh", str(path), *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=path.parent,
    )


@pytest.mark.parametrize(
    "args, says",
    [
        (["build", "{root}", "--today", "2026-11-23"], "只读"),
        (["new", "--root", "{root}", "--category", "tzgg", "--title", "新的通知"], "只读"),
        (["report", "annual", "2025", "{root}"], "只读"),
        (["codeowners", "{root}"], "只读"),
    ],
)
def test_read_only_repository_is_a_message_not_a_traceback(tmp_path, args, says):
    bureau = site_bureau(tmp_path)
    bureau.write("content/annual/2025.yml", ANNUAL)
    before = {p: p.read_bytes() for p in bureau.root.rglob("*") if p.is_file()}
    command = [
        sys.executable,
        "-m",
        "generator.cli.main",
        *(a.format(root=bureau.root) for a in args),
    ]
    done = read_only(bureau.root, *command)
    said = no_traceback(done)
    assert done.returncode in (1, 2) and says in said and "gongkai：" in said
    assert {p: p.read_bytes() for p in bureau.root.rglob("*") if p.is_file()} == before


def test_unwritable_site_folder_is_a_message(tmp_path):
    bureau = site_bureau(tmp_path)
    public = tmp_path / "public"
    public.mkdir()
    command = [sys.executable, "-m", "generator.cli.main", "build", str(bureau.root)]
    done = read_only(public, *command, "--today", "2026-11-23", "--site-dir", str(public / "site"))
    said = no_traceback(done)
    assert done.returncode == 1 and "只读" in said and str(public) in said


CRASHING_HOOK = """\
def on_page_markdown(markdown, **kwargs):
    raise RuntimeError("a bug in a hook")
"""


def test_an_unexpected_error_says_where_the_details_are(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.write("hooks/crash.py", CRASHING_HOOK)
    config = bureau.root / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks/crash.py\n", encoding="utf-8")
    done = run("build", str(bureau.root), "--today", "2026-11-23", cwd=tmp_path)
    assert done.returncode == 70
    assert "Traceback" not in done.stderr and "RuntimeError" not in done.stderr
    log = Path(re.search(r"详细信息已写入 (\S+?\.log)", done.stderr).group(1))
    details = log.read_text(encoding="utf-8")
    assert "RuntimeError: a bug in a hook" in details and "Traceback" in details
    assert not (bureau.root / "site").exists()
    assert list(bureau.root.glob(".gongkai-*")) == []
    log.unlink()
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    done = subprocess.run(mkdocs, cwd=bureau.root, capture_output=True, text=True)
    said = done.stdout + done.stderr  # mkdocs prints its Abort on standard output
    assert done.returncode != 0 and "意外的内部错误" in said and "Traceback" not in said
    Path(re.search(r"详细信息已写入 (\S+?\.log)", said).group(1)).unlink()
