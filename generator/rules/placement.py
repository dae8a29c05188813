"""Checks that tie an item to the catalog and the file system: category, department, folder,
document number, attachments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..catalog import did_you_mean
from ..loader import Project
from ..model import Item, is_existing_file
from ..problems import Problem, error

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
            f"“{item.category}”是分类名称,请填写其代码“{by_name[item.category]}”。"
            if item.category in by_name
            else did_you_mean(item.category, list(catalog.categories))
        )
        yield error(
            item.path,
            item.line("category"),
            "GK120",
            f"主题分类“{item.category}”不在目录(catalog.yml)中。{hint}",
        )
        return
    actual = catalog.category_of_folder(item.rel.parent)
    if actual is None or actual.code != category.code:
        yield error(
            item.path,
            item.line("category"),
            "GK122",
            f"本条属于分类“{category.name}”,文件应放在 content/{category.folder}/ 下"
            f"(该文件夹的审核人负责审核),请移动文件或改正 category",
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
            f"文号中的年份应使用六角括号〔〕,请改为“{fixed}”",
        )


def attachments_exist(item: Item, project: Project) -> Iterator[Problem]:
    """GK150 missing attachment; GK151 an attachment outside content/."""
    content = project.real_content_dir
    for att in item.attachments:
        if Path(att.path).is_absolute() or att.path.startswith(("/", "\\")):
            yield error(
                item.path,
                att.line,
                "GK151",
                f"附件“{att.path}”不能使用绝对路径,请写相对于本文件所在文件夹的路径",
            )
            continue
        target = att.resolve(item.path.parent)
        if target is None:
            yield error(
                item.path,
                att.line,
                "GK150",
                "附件路径无效(过长或含有不允许的字符),请改用简短的文件名",
            )
        elif not target.is_relative_to(content):
            yield error(
                item.path,
                att.line,
                "GK151",
                f"附件“{att.path}”位于 content/ 之外,不会被发布:请把文件复制到本条目旁边",
            )
        elif not is_existing_file(target):
            yield error(
                item.path,
                att.line,
                "GK150",
                f"找不到附件“{att.path}”:请把文件放在 {item.rel.parent}/ 下,或改正文件名",
            )
