"""Rules between the keys of `catalog.yml`, run once each after its shape
(generator/core/catalog_schema.py) has read the values: departments and reviewers, the category
tree (codes, departments, folders), the index template, review, requests and the organization."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.core.indexno import IndexTemplate, TemplateError
from generator.core.yamlshape import Checked, Walk, did_you_mean, where

# Folders under content/ that hold files which are not items (fixed pages, annual reports), and
# folder names that hold an item's attachments: no category may use them.
RESERVED_FOLDERS = frozenset({"pages", "annual"})
ATTACHMENT_FOLDERS = frozenset({"attachments", "附件"})
GUIDE_CONTACTS = {
    "office": "名称（office）",
    "address": "办公地址（address）",
    "hours": "办公时间（hours）",
    "phone": "联系电话（phone）",
    "fax": "传真号码（fax）",
}


@dataclass(frozen=True)
class Reviewer:
    login: str | None
    name: str | None = None
    email: str | None = None

    def __str__(self) -> str:
        return self.login or f"{self.name} <{self.email}>"


@dataclass
class Department:
    id: str
    name: str
    reviewers: list[Reviewer]
    line: int


def departments(entries: list[Checked], walk: Walk) -> dict[str, Department]:
    """Departments by id: each id once, each with reviewers (or a warning that none can approve)."""
    result: dict[str, Department] = {}
    for entry in entries:
        if not entry["id"]:
            continue
        if entry["id"] in result:
            walk.error(
                "GK010", f"科室 id“{entry['id']}”重复，每个科室的 id 必须唯一", *entry.path, "id"
            )
            continue
        if "reviewers" not in entry.given:
            walk.warn(
                "GK015", "该科室没有审核人（reviewers），其信息将无人可以审核发布", *entry.path
            )
        reviewers = [Reviewer(*found) for found in entry["reviewers"] or ()]
        line = walk.src.line(*entry.path)
        result[entry["id"]] = Department(entry["id"], entry["name"], reviewers, line)
    if not result:
        walk.error("GK002", "catalog.yml 至少要有一个科室（departments）", "departments")
    return result


def folder_refusal(folder: str) -> str | None:
    """Why a category may not use this folder (relative to content/), in Chinese; else None.
    Items in it would be skipped, so no check would ever see them, or its files are published
    by other rules (content/pages/ is copied to the site as it is)."""
    parts = PurePosixPath(folder).parts
    if not parts:
        return "分类不能直接使用 content/ 本身，请写其下的文件夹"
    if parts[0].lower() in RESERVED_FOLDERS:
        return "content/pages/ 和 content/annual/ 是固定页面和年度报告的保留文件夹，请换一个文件夹"
    if any(p.startswith((".", "_")) for p in parts):
        return "文件夹名不能以“.”或“_”开头（这样的文件夹会被跳过，其中的信息不会被检查）"
    if ATTACHMENT_FOLDERS.intersection(parts):
        return "attachments 和“附件”是存放附件的文件夹名，不能作为分类文件夹"
    if any(ord(c) < 32 or c == "\\" for c in folder):
        return "文件夹名含有控制字符或“\\”，请改用字母、数字或中文"
    return None


def category_folder(entry: Checked, parent_folder: str, walk: Walk) -> str | None:
    """The category's folder under content/ (its own, or its code under its parent's)."""
    code, name = entry["code"], entry["name"]
    folder = PurePosixPath(entry["folder"] or PurePosixPath(parent_folder or ".") / code).as_posix()
    if folder.startswith(("/", "..")) or "/../" in folder:
        walk.error("GK017", "folder 应为 content/ 之下的相对路径", *entry.path, "folder")
        return None
    if (refusal := folder_refusal(folder)) is not None:
        walk.error(
            "GK017", f"分类“{name}”的文件夹 content/{folder}：{refusal}", *entry.path, "folder"
        )
        return None
    return folder


def category_department(
    entry: Checked, inherited: str | None, known: dict[str, Department], walk: Walk
) -> str:
    """The responsible department: its own, else its parent's; one that exists."""
    dept = entry["department"] or inherited or ""
    if not dept and "department" not in entry.refused:
        walk.error(
            "GK002", f"缺少 {where((*entry.path, 'department'))}（责任科室），请填写", *entry.path
        )
    elif entry["department"] and dept not in known:  # (an inherited one is reported above)
        hint = did_you_mean(dept, list(known))
        walk.error(
            "GK012",
            f"分类“{entry['name']}”的责任科室“{dept}”不在 departments 中。{hint}",
            *entry.path,
            "department",
        )
    return dept


def index_template(spec: Checked, org_code: str, walk: Walk) -> IndexTemplate | None:
    try:
        return IndexTemplate.compile(spec["template"], spec["scope"], org_code)
    except TemplateError as exc:
        at = "template" if "template" in spec.given else "scope"
        walk.error("GK013", f"索引号模板无法使用：{exc}。", "index_number", at)
        return None


def organization_code(code: str, walk: Walk) -> None:
    if code and not re.fullmatch(r"[0-9A-Z]{9}|[0-9A-Z]{18}", code):
        walk.warn(
            "GK019",
            "组织机构代码通常为 9 位（组织机构代码去掉连字符）或 18 位（统一社会信用代码）的数字和大写字母",
            "organization",
            "code",
        )


def review(spec: Checked, known: dict[str, Department], walk: Walk) -> dict:
    """provider and office (the first department unless named; one that exists)."""
    result = {"provider": spec["provider"]} if spec["provider"] else {}
    if spec["provider"] == "trailers":
        walk.error(
            "GK021",
            "review.provider 不能再用 trailers：提交说明中的 Reviewed-by 是普通文字，任何能推送的人"
            "都能写上。请改用 github、gitea（平台的审核接口）或 signed（平台密钥签名的合并提交）",
            "review",
            "provider",
        )
    office = spec["office"] or (next(iter(known)) if known else "")
    if office and office not in known:
        walk.error("GK012", f"review.office“{office}”不在 departments 中", "review", "office")
    result["office"] = office
    return result


def requests(spec: Checked, walk: Walk) -> dict:
    """依申请公开: the 受理机构 and how to reach it (条例第二十条: the 指南 gives the office's
    address, hours, phone and fax). Without the section the pages say it is not filled in yet."""
    result = {k: v for k, v in spec.items() if v}
    if not spec.given:
        return result
    if not result.get("office") and "office" not in spec.refused:
        walk.error("GK002", "requests 须写明受理机构（office）", "requests")
    missing = [GUIDE_CONTACTS[k] for k in GUIDE_CONTACTS if not result.get(k)]
    if missing:
        walk.warn(
            "GK025",
            f"依申请公开的受理机构缺少{'、'.join(missing)}：政府信息公开指南应载明受理机构的名称、"
            "办公地址、办公时间、联系电话和传真号码，请在 catalog.yml 的 requests 中补上",
            "requests",
        )
    return result
