"""Checks that tie an item to the catalog and the file system: category, department, folder,
document number, attachments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from generator.core.attachments import resolve, shared_files
from generator.core.catalog import did_you_mean
from generator.core.inputs import case_clash, printable
from generator.core.item import Item
from generator.core.problems import Problem, display_path, error
from generator.core.project import Project
from generator.core.repo_files import MKDOCS_MARKDOWN, PAGES_DIR, misnamed_page

# Year brackets staff type by mistake instead of the official 〔〕 (GB/T 9704).
_WRONG_BRACKETS = re.compile(r"[\[\(([【﹝{〈<]\s*(\d{4})\s*[\]\))】﹞}〉>]")


def category_known(item: Item, project: Project) -> Iterator[Problem]:
    """GK120: the category is in the catalog; GK122: the file sits in that category's folder."""
    catalog = project.catalog
    if item.category is None:
        return
    category = catalog.categories.get(item.category)
    if category is None:
        by_name = {c.name: c.code for c in catalog.categories.values()}
        hint = (
            f"“{item.category}”是分类名称，请填写其代码“{by_name[item.category]}”。"
            if item.category in by_name
            else did_you_mean(item.category, list(catalog.categories))
        )
        yield error(
            item.path,
            item.line("category"),
            "GK120",
            f"主题分类“{item.category}”不在目录（catalog.yml）中。{hint}",
        )
        return
    actual = catalog.category_of_folder(item.rel.parent)
    if actual is None or actual.code != category.code:
        yield error(
            item.path,
            item.line("category"),
            "GK122",
            f"本条属于分类“{category.name}”，文件应放在 content/{category.folder}/ 下"
            f"（该文件夹的审核人负责审核），请移动文件或改正 category",
        )


def department_known(item: Item, project: Project) -> Iterator[Problem]:
    """GK121: an explicit department must exist in the catalog."""
    departments = project.catalog.departments
    if item.has("department") and item.department and item.department not in departments:
        hint = did_you_mean(item.department, list(departments))
        yield error(
            item.path,
            item.line("department"),
            "GK121",
            f"责任科室“{item.department}”不在 catalog.yml 的 departments 中。{hint}",
        )


def doc_no_brackets(item: Item, project: Project) -> Iterator[Problem]:
    """GK130: 文号 years go in full-width hexagonal brackets 〔〕."""
    if item.doc_no and (m := _WRONG_BRACKETS.search(item.doc_no)):
        fixed = item.doc_no[: m.start()] + f"〔{m.group(1)}〕" + item.doc_no[m.end() :]
        yield error(
            item.path,
            item.line("doc_no"),
            "GK130",
            f"文号中的年份应使用六角括号〔〕，请改为“{fixed}”",
        )


SAME_PLACE = (
    "在不区分大小写的服务器（如 Windows、macOS）上会发布到同一位置：名称只有大小写或字符编码不同，"
    "或者一个是文件、另一个是同名的文件夹。复制到这样的服务器时，一个会覆盖另一个，请给其中一个改名"
)


def attachments_exist(item: Item, project: Project) -> Iterator[Problem]:
    """GK150 missing; GK151 outside the item's folder; GK152 a type not allowed; GK153 content
    and extension disagree; GK155 another item's file; GK156 a name that cannot be published,
    or one that differs from another attachment's only in case: copied to a server that does not
    tell A.pdf from a.pdf (Windows, macOS), one file would overwrite the other, and one of the
    links would serve the wrong document."""
    published: dict[tuple[str, tuple[str, ...]], str] = {}  # for case_clash
    for att in item.attachments:
        found = resolve(item, att, project)
        if isinstance(found, Problem):
            yield found
            continue
        page = found.site_path + "index.html" if found.is_page else found.site_path
        clash = case_clash(page, published)
        if clash is not None:
            clash = clash.removesuffix("/index.html")
            yield error(
                item.path,
                att.line,
                "GK156",
                f"附件“{printable(att.path)}”与附件“{printable(clash)}”{SAME_PLACE}",
            )


def attachments_not_shared(project: Project) -> Iterator[Problem]:
    """GK154: a file is the attachment of one item only, so a file of an item that is not
    published (不予公开, withdrawn, held back) is never published through another item."""
    for rel, holders in shared_files(project).items():
        for item, line in holders:
            others = "、".join(display_path(o.path) for o, _ in holders if o is not item)
            yield error(
                item.path,
                line,
                "GK154",
                f"附件 content/{rel} 同时是 {others} 的附件。每个附件文件只能属于一条信息："
                "请各自放一份，或只在一条信息中列出",
            )


def fixed_pages_distinct(project: Project) -> Iterator[Problem]:
    """GK156: two files of content/pages/ published at addresses that differ only in case
    (About.md and about.md are both a page at about/ there): on a server that ignores case
    one would overwrite the other."""
    tree = project.tree
    if tree is None:
        return
    published: dict[tuple[str, tuple[str, ...]], str] = {}  # for case_clash
    sources: dict[str, PurePosixPath] = {}
    pages = sorted(
        (rel for rel in tree.files if rel.parts[0] == PAGES_DIR and len(rel.parts) > 1),
        key=lambda rel: rel.parts,
    )
    for rel in pages:
        if any(part.startswith(".") for part in rel.parts) or misnamed_page(rel) is not None:
            continue  # never published
        address = page_output(rel)
        sources.setdefault(address, rel)
        clash = case_clash(address, published)
        if clash is not None:
            yield error(
                project.content_dir / rel,
                1,
                "GK156",
                f"固定页面 content/{printable(rel.as_posix())} 与 content/"
                f"{printable(sources[clash].as_posix())} {SAME_PLACE}",
            )


def page_output(rel: PurePosixPath) -> str:
    """Where mkdocs writes a file of content/pages/ (`rel` relative to content/): a Markdown
    page as a folder's index.html (index and README, in that case, as their own folder's; other
    pages as a folder of their name), any other file as it is (mkdocs.structure.files.File)."""
    *folder, name = rel.parts[1:]
    if not name.endswith(MKDOCS_MARKDOWN):
        return "/".join((*folder, name))
    stem = name.rsplit(".", 1)[0]
    return "/".join(
        (*folder, "index.html") if stem in ("index", "README") else (*folder, stem, "index.html")
    )
