"""Property tests: whatever staff put into catalog.yml, an item's front matter, content/annual/,
content/pages/ or an attachment's name, the command line answers with well-formed problem lines
and an exit status, never a traceback; and a failed build leaves the previous site as it was.

Each property validates 1,000 examples and builds 10 in a plain `pytest`; the `fuzz` marker runs
10,000 and 100 (`make test` runs both: `pytest -q` and `pytest -q -m fuzz`). The real command (`generator.cli.main.main`) runs in this
process, as a subprocess per example would spend its time importing mkdocs.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.cli.main import main

from helpers import CATALOG, ITEM, Bureau

ROOT = Path(__file__).parents[1]
DEFAULT = 1_000  # examples per property in a plain `pytest`
FUZZ = 10_000  # with `pytest -m fuzz`
BUILDS = 10  # builds are slower (mkdocs, Pagefind: about 0.7 s each): fewer examples
FUZZ_BUILDS = 100


def quick(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))


# --- what a well-formed answer looks like -----------------------------------------------------

PROBLEM_LINE = re.compile(r"^.+:\d+: GK\d{3} \[(错误|警告)\] \S.*$")
SUMMARY = re.compile(
    r"^(检查通过：未发现问题。|共发现 \d+ 个错误、\d+ 个警告。(存在错误，不能发布。|没有错误，可以发布。))$"
)
BUILT = re.compile(r"^网站已生成：.+$")
REPORTED = re.compile(r"^年度报告已生成：.+$")
ENGLISH_FAILURE = re.compile(r"Traceback|\b[A-Z][A-Za-z]*(Error|Exception|Interrupt|Exit)\b")


def cli(*args: str) -> tuple[int, str, str]:
    """The real `gongkai` command, in this process: exit status, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def assert_well_formed(
    status: int, out: str, err: str, building: bool = False, done: re.Pattern | None = None
) -> None:
    """Exit status 0, 1 or 2; no traceback, no English exception name; standard output only
    problem lines and the summary (or `done`, the line that says what was written), standard
    error only gongkai's own messages and progress; a check (no `done`) that finishes with
    status 0 or 1 ends with its summary, and says 1 exactly when it lists an error."""
    said = out + err
    assert status in (0, 1, 2), said
    # the input's own words, quoted back “…” (a generated file named `AError`), are not a failure
    assert not ENGLISH_FAILURE.search(re.sub(r"“[^”]*”", "“”", said)), said
    lines = out.splitlines()
    done = BUILT if building else done
    for line in lines:
        ok = PROBLEM_LINE.match(line) or SUMMARY.match(line) or (done and done.match(line))
        assert ok, f"not a problem line: {line!r}\n{said}"
    for line in err.splitlines():
        assert line.startswith(("gongkai：", "生成页面", "以下 ", "  ")) or not line, said
    if done is None and status in (0, 1):
        assert lines and SUMMARY.match(lines[-1]), said
        assert (status == 1) == any(" [错误] " in line for line in lines), said


def validate(root: Path) -> None:
    assert_well_formed(*cli("validate", str(root)))


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


class Fuzzed:
    """A small bureau whose files an example replaces, put back after each example."""

    def __init__(self, root: Path) -> None:
        self.bureau = Bureau(root)
        self.root = root
        self.bureau.item()
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(ROOT / "theme", root / "theme")
        (root / "content/pages").mkdir(parents=True, exist_ok=True)
        self.site = root.parent / f"{root.name}-site"
        self.baseline = {p for p in root.rglob("*")}
        self.previous: dict[str, bytes] | None = None

    @contextlib.contextmanager
    def trying(self):
        catalog = (self.root / "catalog.yml").read_bytes()
        item = (self.root / "content/tzgg/a.md").read_bytes()
        try:
            yield self
        finally:
            for path in sorted(set(self.root.rglob("*")) - self.baseline, reverse=True):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            (self.root / "catalog.yml").write_bytes(catalog)
            (self.root / "content/tzgg/a.md").write_bytes(item)

    def build(self) -> None:
        """Build into the site folder; a failed build must leave it byte for byte."""
        if self.previous is None:
            self.previous = site_files(self.site) if self.site.exists() else {}
        status, out, err = cli(
            "build", str(self.root), "--today", "2026-11-23", "--site-dir", str(self.site)
        )
        assert_well_formed(status, out, err, building=True)
        assert list(self.root.parent.glob(".gongkai-*")) == []
        if status == 0:
            assert BUILT.search(out.splitlines()[-1]), out
            self.previous = site_files(self.site)
        else:
            assert "网站已生成" not in out + err
            now = site_files(self.site) if self.site.exists() else {}
            assert now == self.previous, "a failed build changed the previous site"


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory) -> Fuzzed:
    fuzzed = Fuzzed(tmp_path_factory.mktemp("fuzz") / "bureau")
    status, out, err = cli(
        "build", str(fuzzed.root), "--today", "2026-11-23", "--site-dir", str(fuzzed.site)
    )
    assert status == 0, out + err
    return fuzzed


# --- strategies -------------------------------------------------------------------------------

text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
ODD = [
    "2026-02-30",
    "2026-13-01",
    "9999-12-31",
    "0001-01-01",
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
    "1e999",
    "-.inf",
    ".nan",
    "0x1F",
    "yes",
    "-1",
    "100000000000000000000000",
    "２０２６",
    "１１０１０５１９８００１０１００１Ｘ",
    "2026-03-05 25:61",
    "[1, [2, [3]]]",
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "a\nb",
]
long_text = st.integers(min_value=300, max_value=6000).map(lambda n: "x" * n)
odd = st.one_of(st.sampled_from(ODD), text, st.integers().map(str), long_text)
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    text,
    st.sampled_from(ODD),
)
value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def dumped(data: object) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def encoded(document: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(["utf-8", "gb18030", "utf-16"]).map(
        lambda codec: document.encode(codec, "surrogatepass" if codec == "utf-8" else "replace")
    )


def mutated(original: str) -> st.SearchStrategy[str]:
    """`original` with a few of its lines deleted, repeated, re-indented or given odd values."""

    def apply(edits: list[tuple[str, int, str]]) -> str:
        lines = original.splitlines()
        for op, at, new in edits:
            i = at % max(1, len(lines))
            if op == "delete" and lines:
                del lines[i]
            elif op == "repeat" and lines:
                lines.insert(i, lines[i])
            elif op == "indent" and lines:
                lines[i] = new[:3].replace("\n", " ") + lines[i]
            elif op == "value" and lines and ":" in lines[i]:
                lines[i] = lines[i].split(":", 1)[0] + ": " + new
            else:
                lines.insert(i, new)
        return "\n".join(lines) + "\n"

    edit = st.tuples(
        st.sampled_from(["delete", "repeat", "indent", "value", "insert"]),
        st.integers(min_value=0, max_value=200),
        odd,
    )
    return st.lists(edit, min_size=1, max_size=6).map(apply)


# catalog.yml: structure with odd values, line edits of a valid one, raw bytes
BASE_CATALOG = yaml.safe_load(CATALOG)
code = st.one_of(st.sampled_from(["tzgg", "zcwj", "gfxwj", "a", "..", "a/b", "pages", ""]), text)
category = st.recursive(
    st.fixed_dictionaries(
        {
            "code": code,
            "name": st.one_of(text, value),
            "department": st.sampled_from(["bgs", "x", None]),
        },
        optional={
            "folder": st.one_of(code, value),
            "required": value,
            "normative": value,
            "interpretation": value,
            "frequency": value,
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {"code": code, "name": text, "children": st.lists(inner, max_size=3)}
    ),
    max_leaves=15,
)
SECTIONS = [
    "site",
    "organization",
    "index_number",
    "rules",
    "calendar",
    "screening",
    "limits",
    "requests",
    "review",
    "departments",
    "categories",
]
RULE_KEYS = [
    "publish_within_workdays",
    "due_soon_workdays",
    "response_major_hours",
    "consultation_min_days",
    "errors",
    "max_item_kb",
    "template",
    "scope",
    "name",
    "code",
    "holidays",
    "workdays",
    "words",
    "allow",
    "provider",
]


def catalog_from(changes: list[tuple[str, str, object]], categories: list) -> bytes:
    data = json.loads(json.dumps(BASE_CATALOG))
    for section, key, new in changes:
        target = data.get(section)
        if isinstance(target, dict):
            target[key] = new
        else:
            data[section] = {key: new} if key else new
    if isinstance(data.get("categories"), list):
        data["categories"] += categories
    return dumped(data)


catalogs = st.one_of(
    st.builds(
        catalog_from,
        st.lists(
            st.tuples(st.sampled_from(SECTIONS), st.sampled_from(RULE_KEYS), value), max_size=5
        ),
        st.lists(category, max_size=3),
    ),
    mutated(CATALOG).flatmap(encoded),
    st.binary(max_size=400),
)

# an item's front matter (the former test_ten_thousand_broken_inputs_never_raise)
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
front_line = st.tuples(
    st.sampled_from(KEYS), odd, st.sampled_from([": ", ":", " : ", ":\n  - ", ": |\n  "])
).map(lambda t: f"{t[0]}{t[2]}{t[1]}")
front = st.lists(front_line, max_size=12).map("\n".join)
items = st.one_of(
    front.map(lambda f: f"---\n{f}\n---\n正文\n").flatmap(encoded),
    front.map(lambda f: f"\ufeff---\n{f}\n---\n").flatmap(encoded),
    front.map(lambda f: f"---\n{f}\n").flatmap(encoded),
    mutated(ITEM).flatmap(encoded),
    st.binary(max_size=300),
)

# content/annual/: the statistics (YAML) and the narrative (Markdown), under odd names
ANNUAL = """\
year: 2025
part2:
  行政许可: 12
  行政事业性收费: 3.5
part3:
  本年新收: [3, 1, 0, 0, 0, 0, 4]
  予以公开: [3, 1, 0, 0, 0, 0, 4]
  总计: [3, 1, 0, 0, 0, 0, 4]
part4:
  行政复议: [1, 0, 0, 0, 1]
"""
PART_KEYS = ["本年新收", "总计", "结转下年度", "行政许可", "行政事业性收费", "行政复议", "x"]
annual_data = st.one_of(
    st.builds(
        lambda parts: dumped({"year": 2025, **parts}),
        st.dictionaries(
            st.sampled_from(["part2", "part3", "part4", "year"]),
            st.one_of(value, st.dictionaries(st.sampled_from(PART_KEYS), value, max_size=4)),
            max_size=4,
        ),
    ),
    mutated(ANNUAL).flatmap(encoded),
    st.binary(max_size=300),
)
annual_names = st.one_of(
    st.sampled_from(["2025", "2024", "0000", "9999", "1899", "２０２５", "20250", "²⁰²⁵", "abc"]),
    text.filter(lambda n: n and "/" not in n and "\x00" not in n and n not in (".", "..")),
)
annual_text = st.one_of(
    text.flatmap(encoded),
    st.binary(max_size=200),
    mutated("# 一、总体情况\n\n内容\n").flatmap(encoded),
)

# content/pages/: fixed pages published as they are (markdown, front matter, bytes)
pages = st.one_of(
    front.map(lambda f: f"---\n{f}\n---\n# 标题\n正文\n").flatmap(encoded),
    st.lists(
        st.one_of(odd, st.sampled_from(["# 标题", "[链接](x.md)", "![图](a.png)", "<div>", "```"])),
        max_size=8,
    )
    .map("\n".join)
    .flatmap(encoded),
    st.binary(max_size=300),
)
file_names = st.one_of(
    st.sampled_from(
        [
            "index.md",
            "about.md",
            "a b.md",
            "#x?.md",
            "%41.md",
            "sub/page.md",
            "..md",
            "附件.md",
            "x" * 250 + ".md",
            ".hidden.md",
            "README.md",
        ]
    ),
    text.map(lambda t: t + ".md"),
)

# attachment names, written into an item and, where the system allows, onto the disk
attachment_names = st.one_of(
    st.sampled_from(
        [
            "a.pdf",
            "附件 1.pdf",
            "#1?.pdf",
            "100%.pdf",
            "../a.pdf",
            "../../catalog.yml",
            "/etc/passwd",
            "javascript:alert(1)",
            "a.html",
            "a.svg",
            "x" * 260,
            "attachments/",
            "",
            " ",
            "a\x00b.pdf",
            "C:\\a.pdf",
            "~/a.pdf",
        ]
    ),
    text,
)
attachment_bytes = st.sampled_from(
    [b"", b"%PDF-1.4\n%%EOF\n", b"<script>alert(1)</script>", b"PK\x03\x04", b"\xff\xd8\xff\xe0"]
)


def item_with_attachments(names: list[str], named: bool) -> str:
    if named:
        entries = "\n".join(f"  - {{path: {json.dumps(n)}, name: {json.dumps(n)}}}" for n in names)
    else:
        entries = "\n".join(f"  - {json.dumps(n)}" for n in names)
    return ITEM.replace(
        "disclosure: 主动公开\n", f"disclosure: 主动公开\nattachments:\n{entries}\n"
    )


def put(folder: Path, name: str, data: bytes, bureau: Path) -> bool:
    """Write the file `name` (relative to `folder`) where the system allows that name; False where
    it does not, and where the name leads out of the `bureau`: an absolute name ("/etc/passwd", or a
    path Hypothesis takes from this repository's own strings, such as "/usr/bin/chromium") or one
    that climbs out. The command is still asked about such a name; the test only never writes
    outside its bureau (it runs as root in CI, where it once overwrote both of those files)."""
    try:
        path = folder / name
        if not path.resolve().is_relative_to(bureau.resolve()):
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except (OSError, ValueError):
        return False
    return True


# --- the properties ---------------------------------------------------------------------------


def broken_catalog(fuzzed: Fuzzed, data: bytes, building: bool) -> None:
    with fuzzed.trying():
        (fuzzed.root / "catalog.yml").write_bytes(data)
        fuzzed.build() if building else validate(fuzzed.root)


def broken_item(fuzzed: Fuzzed, data: bytes, building: bool) -> None:
    with fuzzed.trying():
        (fuzzed.root / "content/tzgg/fuzz.md").write_bytes(data)
        fuzzed.build() if building else validate(fuzzed.root)


def broken_annual(fuzzed: Fuzzed, name: str, data: bytes, narrative: bytes, building: bool) -> None:
    with fuzzed.trying():
        assume(put(fuzzed.root, f"content/annual/{name}.yml", data, fuzzed.root))
        put(fuzzed.root, f"content/annual/{name}.md", narrative, fuzzed.root)
        fuzzed.build() if building else validate(fuzzed.root)
        if re.fullmatch(r"[0-9]+", name) and len(name) < 8:
            status, out, err = cli(
                "report",
                "annual",
                name,
                str(fuzzed.root),
                "--out",
                str(fuzzed.root.parent / "report"),
            )
            assert_well_formed(status, out, err, done=REPORTED)


def broken_page(fuzzed: Fuzzed, name: str, data: bytes, building: bool) -> None:
    with fuzzed.trying():
        assume(put(fuzzed.root / "content/pages", name, data, fuzzed.root))
        fuzzed.build() if building else validate(fuzzed.root)


def odd_attachments(
    fuzzed: Fuzzed, names: list[str], named: bool, data: bytes, building: bool
) -> None:
    with fuzzed.trying():
        (fuzzed.root / "content/tzgg/a.md").write_text(
            item_with_attachments(names, named), encoding="utf-8"
        )
        for name in names:
            if name.strip() and "\x00" not in name:
                put(fuzzed.root / "content/tzgg", name, data, fuzzed.root)
        fuzzed.build() if building else validate(fuzzed.root)


PROPERTIES: dict[str, tuple[Callable, tuple]] = {
    "catalog": (broken_catalog, (catalogs,)),
    "item": (broken_item, (items,)),
    "annual": (broken_annual, (annual_names, annual_data, annual_text)),
    "page": (broken_page, (file_names, pages)),
    "attachments": (
        odd_attachments,
        (st.lists(attachment_names, min_size=1, max_size=3), st.booleans(), attachment_bytes),
    ),
}


def property_test(name: str, examples: int, building: bool) -> Callable:
    """The property `name` over `examples` examples, validating or building."""
    check, strategies = PROPERTIES[name]

    @quick(examples)
    @given(drawn=st.tuples(*strategies))
    def test(fuzzed, drawn):
        check(fuzzed, *drawn, building)

    return test


test_broken_catalog_never_raises = property_test("catalog", DEFAULT, False)
test_broken_item_never_raises = property_test("item", DEFAULT, False)
test_broken_annual_data_never_raises = property_test("annual", DEFAULT, False)
test_broken_page_never_raises = property_test("page", DEFAULT, False)
test_odd_attachment_names_never_raise = property_test("attachments", DEFAULT, False)

test_build_of_broken_catalog_keeps_the_previous_site = property_test("catalog", BUILDS, True)
test_build_of_broken_item_keeps_the_previous_site = property_test("item", BUILDS, True)
test_build_of_broken_annual_data_keeps_the_previous_site = property_test("annual", BUILDS, True)
test_build_of_broken_page_keeps_the_previous_site = property_test("page", BUILDS, True)
test_build_with_odd_attachments_keeps_the_previous_site = property_test("attachments", BUILDS, True)

fuzz = pytest.mark.fuzz
test_fuzz_catalog = fuzz(property_test("catalog", FUZZ, False))
test_fuzz_item = fuzz(property_test("item", FUZZ, False))
test_fuzz_annual = fuzz(property_test("annual", FUZZ, False))
test_fuzz_page = fuzz(property_test("page", FUZZ, False))
test_fuzz_attachments = fuzz(property_test("attachments", FUZZ, False))
test_fuzz_catalog_build = fuzz(property_test("catalog", FUZZ_BUILDS, True))
test_fuzz_item_build = fuzz(property_test("item", FUZZ_BUILDS, True))
test_fuzz_annual_build = fuzz(property_test("annual", FUZZ_BUILDS, True))
test_fuzz_page_build = fuzz(property_test("page", FUZZ_BUILDS, True))
test_fuzz_attachments_build = fuzz(property_test("attachments", FUZZ_BUILDS, True))


def test_generated_names_are_never_written_outside_the_bureau(tmp_path):
    bureau = tmp_path / "bureau"
    folder = bureau / "content/tzgg"
    outside = tmp_path / "outside.pdf"
    assert not put(folder, str(outside), b"%PDF-1.4\n", bureau)  # absolute
    assert not put(folder, "../../../outside.pdf", b"%PDF-1.4\n", bureau)  # climbs out
    assert not outside.exists()
    assert put(folder, "../../catalog.yml", b"x", bureau)  # inside the bureau: written
    assert (bureau / "catalog.yml").read_bytes() == b"x"
