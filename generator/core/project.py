"""Load a bureau's repository once: catalog.yml plus every item under content/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

import frontmatter

from generator.core import yamlsrc
from generator.core.annual_data import AnnualData, load_all
from generator.core.catalog import ATTACHMENT_FOLDERS, RESERVED_FOLDERS, Catalog, load_catalog
from generator.core.clock import beijing_today
from generator.core.filetypes import Verdict, judge
from generator.core.inputs import Tree, scan
from generator.core.item import Item, ItemVersion, build_item
from generator.core.problems import Problem, error
from generator.core.textfile import decode, os_reason, read_regular

CATALOG_FILE = "catalog.yml"
CONTENT_DIR = "content"
THEME_DIR = "theme"  # mkdocs.yml's custom_dir: copied to the site like content/pages/
# Folders under content/ that hold files which are not items.
RESERVED_TOP = RESERVED_FOLDERS
ATTACHMENT_DIRS = ATTACHMENT_FOLDERS

_HANDLER = frontmatter.YAMLHandler()


@dataclass
class Project:
    root: Path
    catalog: Catalog
    items: list[Item]
    problems: list[Problem] = field(default_factory=list)  # files that could not become items
    today: date = field(default_factory=beijing_today)  # "as of": a Beijing date
    tree: Tree | None = None  # every file under content/ (generator/core/inputs.py)
    refused: list[Problem] = field(
        default_factory=list
    )  # links, special files under content/, theme/
    item_rels: frozenset[PurePosixPath] = frozenset()  # every item file, loaded or not
    annual: dict[int, AnnualData] = field(
        default_factory=dict
    )  # content/annual/YEAR.yml, read once
    # index number -> its earlier published versions, oldest first (core/versions.py); set by
    # the gated build from the approved history, empty otherwise
    versions: dict[str, list[ItemVersion]] = field(default_factory=dict)
    _verdicts: dict[PurePosixPath, Verdict] = field(default_factory=dict, repr=False)

    def file_verdict(self, rel: PurePosixPath) -> Verdict:
        """Whether a file under content/ may be published, and as what: read once per load."""
        if rel not in self._verdicts:
            self._verdicts[rel] = judge(self.content_dir / rel, rel)
        return self._verdicts[rel]

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_DIR

    def by_index(self) -> dict[str, Item]:
        """Items by index number; the first file wins when a number is (wrongly) duplicated."""
        result: dict[str, Item] = {}
        for item in self.items:
            if item.index_no:
                result.setdefault(item.index_no, item)
        return result

    def all_problems(self) -> list[Problem]:
        return [
            *self.catalog.problems,
            *self.refused,
            *self.problems,
            *(p for i in self.items for p in i.problems),
        ]


def is_item_file(rel: PurePosixPath) -> bool:
    """Whether a file under content/ (path relative to it) is an item."""
    parts = rel.parts
    if rel.suffix != ".md" or any(p.startswith((".", "_")) for p in parts):
        return False
    if parts[0] in RESERVED_TOP or ATTACHMENT_DIRS.intersection(parts[:-1]):
        return False
    return parts != ("README.md",)


def item_files(tree: Tree) -> Iterator[Path]:
    """Every Markdown file under content/ that is an item, in a stable order."""
    for rel in sorted((rel for rel in tree.files if is_item_file(rel)), key=lambda r: r.parts):
        yield tree.path(rel)


def split_front_matter(text: str, path: Path) -> tuple[yamlsrc.Located, str, int]:
    """Front matter (with file lines) and body; raises UnusableFile carrying the problem."""
    if not text.strip():
        raise UnusableFile(
            error(path, 1, "GK101", "文件是空的。请删除它，或用 gongkai new 生成带元数据的模板")
        )
    if not _HANDLER.detect(text):
        raise UnusableFile(
            error(
                path,
                1,
                "GK102",
                "文件开头缺少元数据块：第一行应为“---”，随后是“键：值”形式的元数据，再以“---”结束",
            )
        )
    try:
        front, body = _HANDLER.split(text)
    except ValueError:  # python-frontmatter's way of saying there is no closing ---
        raise UnusableFile(
            error(path, 1, "GK102", "元数据块没有结束：请在最后一个元数据键之后加一行“---”")
        ) from None
    offset, body_line = _front_lines(text, front, body)
    try:
        src = yamlsrc.load(front, line_offset=offset)
    except yamlsrc.YamlSyntaxError as exc:
        raise UnusableFile(error(path, exc.line, "GK103", exc.message)) from None
    if not isinstance(src.data, dict):
        raise UnusableFile(
            error(path, offset + 1, "GK104", "元数据块应由“键: 值”组成，例如“title: 标题”")
        )
    return src, body, body_line


def _front_lines(text: str, front: str, body: str) -> tuple[int, int]:
    """File lines before the front matter, and the line the body starts on (the rest of the
    closing --- line), from the parts python-frontmatter's YAML handler split `text` into."""
    fenced = text[: len(text) - len(body)]  # ---, front matter, closing --- and its blanks
    # the closing boundary is dashes then blanks; the front matter ends with a line break
    front_start = len(fenced.rstrip().rstrip("-")) - len(front)
    return text.count("\n", 0, front_start), fenced.count("\n") + 1


class UnusableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def load_item(path: Path, content_dir: Path, max_bytes: int = 1024 * 1024) -> Item | Problem:
    """The item in `path` (found by `scan`, so neither a link nor a special file: it is opened
    so that one put there since is refused, not followed or waited on)."""
    try:
        size = path.lstat().st_size
        if size > max_bytes:
            return error(
                path,
                1,
                "GK108",
                f"文件大小 {size // 1024} KB，超过上限 {max_bytes // 1024} KB：正文请精简，"
                "大的内容请作为附件上传（上限可在 catalog.yml 的 limits.max_item_kb 中调整）",
            )
        data = read_regular(path, follow=False, max_bytes=max_bytes + 1)
    except OSError as exc:
        return error(path, 1, "GK001", f"无法读取文件：{os_reason(exc)}")
    text, problem = decode(data, path)
    if problem is not None:
        return problem
    try:
        src, body, body_line = split_front_matter(text, path)
    except UnusableFile as exc:
        return exc.problem
    rel = PurePosixPath(path.relative_to(content_dir).as_posix())
    return build_item(path, rel, src, body, body_line)


def item_from_bytes(data: bytes, path: Path, content_dir: Path) -> Item | None:
    """The item a file's content (e.g. an earlier version from Git) makes, or None when it
    makes none."""
    text, problem = decode(data, path)
    if problem is not None:
        return None
    try:
        src, body, body_line = split_front_matter(text, path)
    except UnusableFile:
        return None
    rel = PurePosixPath(path.relative_to(content_dir).as_posix())
    return build_item(path, rel, src, body, body_line)


ParseCache = dict[Path, tuple[tuple, "Item | Problem"]]


def _stamp(path: Path) -> tuple:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def load_project(root: Path, cache: ParseCache | None = None) -> Project:
    """Load catalog and content. Raises CatalogError when the catalog is unusable.

    `cache` (kept by a long-running caller such as `mkdocs serve`) reuses the items whose file
    and catalog are unchanged since the last load, so a rebuild parses only what was edited."""
    root = root.resolve()
    catalog = load_catalog(root / CATALOG_FILE)
    project = Project(root=root, catalog=catalog, items=[])
    content_dir = root / CONTENT_DIR
    project.refused = scan(root / THEME_DIR, THEME_DIR).problems
    if content_dir.is_symlink() or not content_dir.is_dir():
        what = "是符号链接，不会被读取" if content_dir.is_symlink() else "没有找到"
        project.problems.append(
            error(root / CATALOG_FILE, 1, "GK106", f"content/ 文件夹{what}：信息应放在其中")
        )
        return project
    tree = project.tree = scan(content_dir, CONTENT_DIR)
    project.annual = load_all(content_dir)
    project.refused += tree.problems
    project.item_rels = frozenset(rel for rel in tree.files if is_item_file(rel))
    catalog_stamp = _stamp(root / CATALOG_FILE)
    for path in item_files(tree):
        stamp = (_stamp(path), catalog_stamp)
        if cache is not None and path in cache and cache[path][0] == stamp:
            loaded = cache[path][1]
        else:
            loaded = load_item(path, content_dir, catalog.max_item_bytes)
            if isinstance(loaded, Item):
                apply_defaults(loaded, catalog)
            if cache is not None:
                cache[path] = (stamp, loaded)
        if isinstance(loaded, Item):
            project.items.append(loaded)
        else:
            project.problems.append(loaded)
    return project


def apply_defaults(item: Item, catalog: Catalog) -> None:
    """Publisher defaults to the organization, department to the category's."""
    item.publisher = item.publisher or catalog.org_name
    category = catalog.categories.get(item.category or "")
    if item.department is None and category is not None:
        item.department = category.department
