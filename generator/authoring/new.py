"""`gongkai new`: a new item with the next index number that was never used before."""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import date
from pathlib import Path

import jinja2

from generator.core import git_history as history
from generator.core import schema
from generator.core.catalog import Catalog, did_you_mean
from generator.core.clock import beijing_today
from generator.core.project import CONTENT_DIR, Project

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    keep_trailing_newline=True,
    autoescape=False,  # YAML and Markdown, not HTML
)
# A double-quoted YAML scalar that keeps Chinese readable (JSON strings are valid YAML).
_ENV.filters["yaml_str"] = lambda value: json.dumps(str(value), ensure_ascii=False)


class NewItemError(Exception):
    """The item cannot be created; the message is in Chinese and says why."""


def next_index_number(project: Project, category: str, year: int) -> str:
    template = project.catalog.index
    if template is None:
        raise NewItemError(
            "catalog.yml 的索引号模板（index_number）有误，请先运行 gongkai validate 修正"
        )
    used = {i.index_no for i in project.items if i.index_no} | history.ever_published(project.root)
    serial = template.next_serial(used, category=category, year=year)
    return template.format(category=category, year=year, serial=serial)


def file_name(index_no: str) -> str:
    """A file name derived from the index number, so it is unique and never collides."""
    return re.sub(r"[^0-9A-Za-z_.-]+", "-", index_no).strip("-") + ".md"


def render(
    catalog: Catalog,
    category_code: str,
    title: str,
    kind: str,
    index_no: str,
    today: date,
    **found: object,
) -> str:
    """The item's text; `found` holds what an import read from a document (doc_no, written,
    publisher, attachments, body)."""
    category = catalog.categories[category_code]
    department = catalog.departments.get(category.department)
    return _ENV.get_template("new_item.md.j2").render(
        title=title,
        kind=kind,
        category=category,
        index_no=index_no,
        today=today,
        required=set(category.required),
        org_name=catalog.org_name,
        department=department.name if department else category.department,
        **found,
    )


def check_request(project: Project, category_code: str, title: str, kind: str) -> None:
    catalog = project.catalog
    if category_code not in catalog.categories:
        choices = "、".join(f"{c.code}（{c.name}）" for c in catalog.categories.values())
        hint = did_you_mean(category_code, list(catalog.categories))
        raise NewItemError(f"分类“{category_code}”不在目录中。{hint}可选分类：{choices}")
    if kind not in schema.TYPES:
        raise NewItemError(f"类型“{kind}”无效，只能是：" + "、".join(schema.TYPES))
    if not title.strip():
        raise NewItemError("标题不能为空")


def write_new(path: Path, data: str | bytes) -> None:
    """Write a file that must not exist yet, atomically: a half-written file never appears."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    with os.fdopen(fd, "wb") as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
    try:
        os.link(tmp, path)  # fails instead of overwriting if the name appeared meanwhile
    except FileExistsError:
        raise NewItemError(f"文件 {path} 已存在，未做任何修改") from None
    finally:
        os.unlink(tmp)


def create_item(
    project: Project,
    category_code: str,
    title: str,
    kind: str = "document",
    today: date | None = None,
    **found: object,
) -> Path:
    """Write the new item and return its path; never overwrites a file."""
    check_request(project, category_code, title, kind)
    today = today or beijing_today()
    index_no = next_index_number(project, category_code, today.year)
    folder = project.root / CONTENT_DIR / project.catalog.categories[category_code].folder
    target = folder / file_name(index_no)
    if target.exists():
        raise NewItemError(f"文件 {target} 已存在，未做任何修改")
    text = render(project.catalog, category_code, title.strip(), kind, index_no, today, **found)
    write_new(target, text)
    return target
