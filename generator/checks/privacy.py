"""GK801–GK811: the confidentiality and privacy screen, over everything the site publishes:
each item's front matter, body, file name, attachment names and attachments; the fixed pages
(content/pages/), the annual reports (content/annual/), the catalog's published names and the
bureau's theme/. The same screen reads every built page as it shows (GK431,
generator/inspection/screen.py)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from generator.core import schema, yamlsrc
from generator.core.attachments import attached_files
from generator.core.doctext import UnreadableAttachment, attachment_text
from generator.core.inputs import describe_character, direction_controls, printable
from generator.core.item import Item
from generator.core.problems import Problem, error, warning
from generator.core.project import CATALOG_FILE, THEME_DIR, Project
from generator.core.repo_files import misnamed_page, page_collision
from generator.core.screening import KINDS, WARNINGS, Hit, screen_text
from generator.core.textfile import decode, os_reason, read_regular

_HOW = {
    "id": "请删除或改为打码形式（如 1101**********123X）",
    "mobile": "请删除或打码；单位公开的服务电话可加入 catalog.yml 的 screening.allow",
    "card": "请删除或打码",
    "secret": "涉密或内部信息不得公开，请撤下并按保密规定处理",
    "word": "请删除该内容，或请办公室核实",
    "email": "个人邮箱通常不应公开，请改用单位邮箱",
    "context": "请确认没有公开他人的身份证号、住址等个人信息",
}
PAGES, ANNUAL = "pages", "annual"
# catalog.yml sections whose text appears on the site (reviewers and rules do not)
_PUBLISHED_CATALOG = ("site", "organization", "departments", "categories", "requests")
_UNPUBLISHED_KEYS = frozenset({"reviewers", "code", "id", "department", "folder", "required"})


def _sources(item: Item) -> Iterator[tuple[str, int, str]]:
    """(where, first line, text) of everything the item publishes or names."""
    yield "文件名中", 1, item.rel.as_posix()
    for key, value in item.meta.items():
        if (
            key in schema.FIELDS
            and key not in ("attachments", "screening_exempt")
            and value is not None
        ):
            yield "", item.line(key), value if isinstance(value, str) else str(value)
    for att in item.attachments:
        yield "附件路径中", att.line, att.path
        yield "附件显示名称中", att.line, att.name
    yield "", item.body_line, item.body


def _problem(path: Path, line: int, hit: Hit, where: str, exemptable: bool = True) -> Problem:
    code, label = KINDS[hit.kind]
    exempt = (
        f'确需公开的，在元数据中加 screening_exempt: [{{kind: {hit.kind}, value: "{hit.masked}", '
        "reason: 理由}]"
        if hit.kind not in WARNINGS and exemptable
        else ""
    )
    message = f"{where}发现{label}“{hit.masked}”：{_HOW[hit.kind]}。{exempt}"
    make = warning if hit.kind in WARNINGS else error
    return make(path, line, code, message.rstrip("。") + ("。" if not exempt else ""))


def screen_item(item: Item, project: Project) -> Iterator[Problem]:
    catalog = project.catalog
    words, allow = catalog.sensitive_words, catalog.screening_allow
    exempt = {(e.kind, e.value) for e in item.screening_exempt}
    used: set[tuple[str, str]] = set()

    def report(hit: Hit, line: int, where: str) -> Iterator[Problem]:
        if (hit.kind, hit.masked) in exempt:
            used.add((hit.kind, hit.masked))
        else:
            yield _problem(item.path, line, hit, where)

    for where, first, text in _sources(item):
        for hit in screen_text(text, words, allow):
            yield from report(hit, first + hit.line - 1, where)
    for found in attached_files(item, project):  # refused files are reported, never published
        line = found.attachment.line
        try:
            text = attachment_text(found.path)
        except UnreadableAttachment as exc:
            make, code = (warning, "GK808") if exc.unsupported else (error, "GK809")
            shown = printable(found.attachment.path)
            yield make(item.path, line, code, f"附件“{shown}”未能进行保密审查：{exc}")
            continue
        for hit in screen_text(text, words, allow):
            yield from report(hit, line, f"附件“{found.within.name}”第 {hit.line} 行")
    for e in item.screening_exempt:
        if (e.kind, e.value) not in used:
            yield warning(
                item.path,
                e.line,
                "GK811",
                f"保密审查豁免“{e.value}”（{KINDS[e.kind][1]}）没有对应的检查结果，请删除这项豁免",
            )


def screen_inputs(project: Project) -> Iterator[Problem]:
    """The same screen over what the site publishes besides items: fixed pages (content/pages/,
    copied as they are, Markdown rendered), annual reports (content/annual/) and the names
    catalog.yml puts on every page."""
    yield from _screen_catalog(project)
    yield from _screen_theme(project)
    tree = project.tree
    if tree is None:
        return
    for rel in sorted(tree.files, key=lambda r: r.parts):
        if any(part.startswith(".") for part in rel.parts):
            continue  # mkdocs never publishes hidden files (content/pages/.keep)
        if rel.parts[0] == PAGES:
            yield from _screen_page(project, rel)
        elif rel.parts[0] == ANNUAL and rel.suffix in (".yml", ".md"):
            yield from _screen_file(project, rel, tree.path(rel))


def _screen_text(
    project: Project,
    path: Path,
    text: str,
    first: int = 1,
    where: str = "",
    written: bool = True,
):
    """The screen over `text`; when the bureau wrote it (`written`: not the text read out of a
    PDF or Office file), its direction controls too (other control characters there are
    dropped where they are published, as in the annual report's narrative)."""
    catalog = project.catalog
    for hit in screen_text(text, catalog.sensitive_words, catalog.screening_allow):
        yield _problem(path, first + hit.line - 1, hit, where, exemptable=False)
    if not written:
        return
    # as in an item (GK116): a direction control shows digits in another order than written
    reported: set[tuple[int, str]] = set()
    for index, char in direction_controls(text):
        line = first + text.count("\n", 0, index)
        if (line, char) not in reported:
            reported.add((line, char))
            shown = describe_character(char)
            yield error(path, line, "GK116", f"{where}含有不允许的字符 {shown}：请删除该字符")


def _screen_file(
    project: Project, rel: PurePosixPath, path: Path, written: bool = True
) -> Iterator[Problem]:
    """A text file published (rendered) as it is: its name and its text (`_screen_text`)."""
    yield from _screen_text(project, path, rel.as_posix(), where="文件名中")
    try:
        text, problem = decode(read_regular(path, follow=False), path)
    except OSError as exc:
        yield error(path, 1, "GK001", f"无法读取文件：{os_reason(exc)}")
        return
    if problem is not None:
        yield problem
        return
    yield from _screen_text(project, path, text, written=written)


def _screen_page(project: Project, rel: PurePosixPath) -> Iterator[Problem]:
    """A file of content/pages/: a Markdown page, or a file copied to the site as it is, which
    must be of a type an attachment may have."""
    path = project.content_dir / rel
    if (taken := page_collision(rel)) is not None:
        yield error(
            path,
            1,
            "GK157",
            f"固定页面不能占用网站生成的地址“{taken}”（首页、信息、分类、检索、样式和脚本等），"
            "请换一个文件名或文件夹名",
        )
    if (written := misnamed_page(rel)) is not None:
        yield error(
            path,
            1,
            "GK158",
            f"固定页面的扩展名“{written}”不会生成网页（只有小写的 .md 会），该文件不会发布。"
            "请把扩展名改为 .md",
        )
        return
    if rel.name.endswith(".md"):
        yield from _screen_file(project, rel, path)
        return
    yield from _screen_text(project, path, rel.as_posix(), where="文件名中")
    verdict = project.file_verdict(rel)
    if verdict.type is None:
        yield error(path, 1, verdict.code, f"该文件会原样发布到网站：{verdict.message}")
        return
    try:
        text = attachment_text(path)
    except UnreadableAttachment as exc:
        make, code = (warning, "GK808") if exc.unsupported else (error, "GK809")
        yield make(path, 1, code, f"该文件未能进行保密审查：{exc}")
        return
    yield from _screen_text(project, path, text, where="", written=False)


# Files of the bureau's theme/ that are not text: pictures (for the reviewer's eyes, as an
# attachment's are) and fonts. Every other file is a template or is copied to the site as it
# is, and is screened as UTF-8 text whatever its name (.json, .xhtml, .webmanifest…).
_THEME_BINARY = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".bmp",
        ".ico",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".zip",
        ".gz",
        ".svgz",
        ".mp3",
        ".mp4",
        ".webm",
        ".ogg",
        ".wav",
        ".wasm",
    ]
)
# Theme files whose text a page shows as written: their unpublishable characters are refused
# (GK116), not those of stylesheets and scripts, whose code may hold any
_THEME_SHOWN = frozenset({".html", ".htm", ".j2", ".md", ".txt", ".xml", ".svg"})


def _screen_theme(project: Project) -> Iterator[Problem]:
    """The bureau's own templates and files in theme/ (mkdocs' custom_dir): what they write
    appears on every page. Links and special files there are refused elsewhere (GK150)."""
    theme = project.root / THEME_DIR
    if not theme.is_dir() or theme.is_symlink():
        return
    for folder, dirs, files in os.walk(theme):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix.lower() not in _THEME_BINARY and not path.is_symlink():
                rel = PurePosixPath(path.relative_to(theme))
                yield from _screen_file(project, rel, path, path.suffix.lower() in _THEME_SHOWN)


def _screen_catalog(project: Project) -> Iterator[Problem]:
    """Names and texts of catalog.yml that the site shows: site, organization, departments,
    categories, the 依申请公开 office (reviewers and rules are not published)."""
    path = project.root / CATALOG_FILE
    try:
        text, problem = decode(read_regular(path), path)
        located = _parsed(text) if problem is None else None
    except (OSError, yamlsrc.YamlSyntaxError):
        return  # load_catalog has said so
    if located is None or not isinstance(located.data, dict):
        return
    for key in _PUBLISHED_CATALOG:
        for keys, value in _scalars(located.data.get(key), (key,)):
            yield from _screen_text(project, path, value, located.line(*keys), "catalog.yml 中")


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> yamlsrc.Located:
    """catalog.yml with its lines: parsed once while it is unchanged (`mkdocs serve`)."""
    return yamlsrc.load(text)


def _scalars(value: object, keys: tuple) -> Iterator[tuple[tuple, str]]:
    """(key path, text) of every text value under `value`, skipping unpublished keys."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in _UNPUBLISHED_KEYS:
                yield from _scalars(v, (*keys, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _scalars(v, (*keys, i))
    elif value is not None and not isinstance(value, bool):
        yield keys, str(value)
