"""Which file each attachment names, and whether it may be published: one decision for
`validate`, the item page and the build (which copies only accepted files).

An attachment is a regular file in the item's own folder or below it (never `..` out of it),
not an item itself, of a type on the allow-list (generator/core/filetypes.py), with a name that is
safe to print and to link. Each file belongs to one item only (see `shared_files`), so a file
of an item that is not published can never be published through another.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from generator.core.filetypes import FileType
from generator.core.inputs import name_problem, printable
from generator.core.item import Attachment, Item
from generator.core.problems import Problem, error
from generator.core.project import RESERVED_TOP, Project

MAX_PATH_CHARS = 400
# Files the build writes beside every item page: an attachment may not take their place.
GENERATED_NAMES = frozenset({"index.html", "search.txt"})
PAGE_SUFFIXES = frozenset({".md"})  # attachments published as pages (AttachedFile.is_page)
_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")  # C:/…; "javascript:x" is a (harmless) relative name
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class AttachedFile:
    """An attachment that may be published."""

    attachment: Attachment
    rel: PurePosixPath  # relative to content/
    within: PurePosixPath  # relative to the item's folder: where it goes beside the page
    path: Path
    type: FileType
    size: int

    @property
    def is_page(self) -> bool:
        """A Markdown attachment is published as a page of the site (sanitised as item bodies
        are, generator/site/safepage.py), in a folder named after the file, not as a download."""
        return self.within.suffix.lower() in PAGE_SUFFIXES

    @property
    def href(self) -> str:
        """The link from the item's page: each part percent-encoded, always relative."""
        link = "./" + "/".join(quote(part, safe="") for part in self.within.parts)
        return link + "/" if self.is_page else link

    @property
    def site_path(self) -> str:
        """Where it goes below the item's folder: the file itself, or its page's folder."""
        return self.within.as_posix() + ("/" if self.is_page else "")


def _within(written: str) -> PurePosixPath | tuple[str, str]:
    """The attachment's path below the item's folder, or (code, why it cannot be one)."""
    if _CONTROL.search(written):
        return "GK156", "附件路径含有换行符等控制字符，请改用普通的文件名"
    if "\\" in written:
        return "GK156", "附件路径请用“/”分隔文件夹，不要用“\\”"
    if written.startswith("/") or _DRIVE.match(written):
        return "GK151", "附件不能使用绝对路径，请写相对于本文件所在文件夹的路径"
    if len(written) > MAX_PATH_CHARS:
        return "GK156", f"附件路径过长（超过 {MAX_PATH_CHARS} 个字符），请改用简短的文件名"
    parts: list[str] = []
    for part in written.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return "GK151", _LEAVES
            parts.pop()
            continue
        reason = name_problem(part)
        if reason is not None:
            return "GK156", reason
        if part.startswith("."):
            return "GK156", f"文件名或文件夹名不能以“.”开头（“{printable(part)}”是隐藏文件）"
        parts.append(part)
    if not parts:
        return "GK156", "附件路径是空的，请写文件名"
    return PurePosixPath(*parts)


_LEAVES = "附件必须放在本信息所在的文件夹或其下级文件夹中，路径不能用“..”离开这个文件夹"


def resolve(item: Item, att: Attachment, project: Project) -> AttachedFile | Problem:
    """The attachment's file when it may be published, else the problem saying why not."""
    shown = printable(att.path)

    def problem(code: str, message: str) -> Problem:
        return error(item.path, att.line, code, f"附件“{shown}”：{message}")

    within = _within(att.path)
    if isinstance(within, tuple):
        return problem(*within)
    if len(within.parts) == 1 and within.name.lower() in GENERATED_NAMES:
        return problem("GK156", f"网站在信息页旁边生成同名文件“{within.name}”，请给附件改名")
    rel = item.rel.parent / within
    tree = project.tree
    if rel.parts[0] in RESERVED_TOP:  # only an item directly in content/ could name one
        return problem("GK151", f"content/{rel.parts[0]}/ 中的文件不能作为附件")
    if tree is None or rel not in tree.files:
        if tree is not None and rel in tree.refused:
            return problem("GK150", "不是普通文件（符号链接或特殊文件），不会发布：请放入文件本身")
        return problem(
            "GK150", f"找不到文件：请把文件放在 content/{item.rel.parent}/ 下，或改正文件名"
        )
    if rel in project.item_rels:
        return problem(
            "GK155", "这是另一条信息的文件，不能作为附件发布：请在正文中引用该信息的索引号"
        )
    verdict = project.file_verdict(rel)
    if verdict.type is None:
        return problem(verdict.code, verdict.message)
    size, limit = tree.files[rel], project.catalog.max_item_bytes
    if within.suffix.lower() in PAGE_SUFFIXES and size > limit:  # rendered as an item's body is
        return problem(
            "GK108",
            f"Markdown 附件作为网页发布，文件大小 {size // 1024} KB，超过上限 {limit // 1024} KB："
            "请拆分为几个附件，或改为 PDF 等文件上传（上限可在 catalog.yml 的 limits.max_item_kb "
            "中调整）",
        )
    return AttachedFile(att, rel, within, tree.path(rel), verdict.type, size)


def attached_files(item: Item, project: Project) -> list[AttachedFile]:
    """The item's attachments that may be published, in the order listed, each file once."""
    seen: set[PurePosixPath] = set()
    result = []
    for att in item.attachments:
        found = resolve(item, att, project)
        if isinstance(found, AttachedFile) and found.rel not in seen:
            seen.add(found.rel)
            result.append(found)
    return result


def shared_files(project: Project) -> dict[PurePosixPath, list[tuple[Item, int]]]:
    """Files named as an attachment by more than one item: (item, line) of each naming."""
    holders: dict[PurePosixPath, dict[int, tuple[Item, int]]] = defaultdict(dict)
    for item in project.items:
        for att in item.attachments:
            rel = _rel(item, att)
            if rel is not None:
                holders[rel].setdefault(id(item), (item, att.line))
    return {rel: list(h.values()) for rel, h in holders.items() if len(h) > 1}


def within(item: Item, att: Attachment) -> PurePosixPath | None:
    """The attachment's path below the item's folder, when it can be one."""
    found = _within(att.path)
    return found if isinstance(found, PurePosixPath) else None


def _rel(item: Item, att: Attachment) -> PurePosixPath | None:
    found = within(item, att)
    return item.rel.parent / found if found is not None else None
