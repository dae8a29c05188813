"""Hostile and broken input: no traceback, no script in a visitor's browser, nothing half-written."""

from __future__ import annotations

import hashlib
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import BuildError, build_site_dir
from generator.loader import load_item, load_project
from generator.rules import check

from helpers import ITEM, Bureau, run

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
        '<span class="gk-note" title="说明">注</span> <img src="a.png" alt="图" width="300">',
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


# --- property-based: 10,000 broken inputs, never a traceback --------------------------------

KEYS = [
    "title",
    "category",
    "index_no",
    "date",
    "written",
    "effective",
    "expires",
    "disclosure",
    "keywords",
    "attachments",
    "withdrawn",
    "repeals",
    "type",
    "concern_at",
    "screening_exempt",
    "标题",
]
ODD = [
    "2026-02-30",
    "2026-13-01",
    "26-3-5",
    "",
    "~",
    "null",
    "[",
    "{a: }",
    "\t",
    "\x00",
    "\x1b[31m",
    "'unterminated",
    '"\\uZZZZ"',
    "&a x",
    "*a",
    "!!python/object:os.system",
    "- - -",
    ": :",
    "\ufeff",
    "〔2026〕",
    "x" * 5000,
    "1e999",
    "0x1F",
    "yes",
    "-1",
    "2026-03-05 25:61",
    "[1, [2, [3]]]",
]

value = st.one_of(st.sampled_from(ODD), st.text(max_size=40), st.integers().map(str))
line = st.tuples(
    st.sampled_from(KEYS), value, st.sampled_from([": ", ":", " : ", ":\n  - ", ": |\n  "])
).map(lambda t: f"{t[0]}{t[2]}{t[1]}")
front = st.lists(line, max_size=12).map("\n".join)
document = st.one_of(
    front.map(lambda f: f"---\n{f}\n---\n正文\n"),
    front.map(lambda f: f"\ufeff---\n{f}\n---\n"),
    front.map(lambda f: f"---\n{f}\n"),
    st.text(max_size=300),
)
raw = st.one_of(
    document.map(lambda d: d.encode("utf-8", "surrogatepass")),
    document.map(lambda d: d.encode("gb18030", "replace")),
    st.binary(max_size=300),
)


@pytest.fixture(scope="module")
def fuzz_bureau(tmp_path_factory):
    bureau = Bureau(tmp_path_factory.mktemp("fuzz"))
    bureau.item()
    return bureau


@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=raw)
def test_ten_thousand_broken_inputs_never_raise(fuzz_bureau, data):
    path = fuzz_bureau.root / "content/tzgg/fuzz.md"
    path.write_bytes(data)
    loaded = load_item(path, fuzz_bureau.root / "content")
    project = load_project(fuzz_bureau.root)
    for problem in check(project):
        assert problem.file and problem.line >= 1 and problem.code.startswith("GK")
    assert loaded is not None


def test_standard_item_still_loads(fuzz_bureau):
    assert ITEM.startswith("---")
