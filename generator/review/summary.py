"""The review summary of a pull request: which items change, which department must approve,
and who may (shown in the pull request's job summary)."""

from __future__ import annotations

from pathlib import PurePosixPath

from ..catalog import Department
from ..loader import CONTENT_DIR, Project
from .history import _git

STATUS = {"A": "新增", "M": "修改", "D": "删除", "R": "移动"}


def _reviewers(department: Department | None) -> str:
    if department is None:
        return "(未登记审核人)"
    return (
        "、".join(f"@{r.login}" if r.login else str(r) for r in department.reviewers)
        or "(未登记审核人)"
    )


def changed(project: Project, base: str) -> list[tuple[str, str]]:
    """(status letter, path relative to the repository) of files changed since `base`."""
    out = _git(
        project.root,
        "diff",
        "--name-status",
        "--no-renames",
        f"{base}...HEAD",
        "--",
        CONTENT_DIR,
        "catalog.yml",
        "mkdocs.yml",
        "theme",
    )
    rows = []
    for line in out.splitlines():
        status, _, path = line.partition("\t")
        rows.append((status[:1], path))
    return rows


def render(project: Project, base: str) -> str:
    by_path = {f"{CONTENT_DIR}/{i.rel.as_posix()}": i for i in project.items}
    office = project.catalog.departments.get(project.catalog.review.get("office", ""))
    lines = [
        "## 本次合并请求的审核",
        "",
        "| 变更 | 文件 | 索引号 | 标题 | 须由哪个科室审核 | 可以审核的人 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for status, path in changed(project, base):
        item = by_path.get(path)
        if item is not None:
            department = project.catalog.departments.get(item.department or "")
            who = department.name if department else (item.department or "")
            lines.append(
                f"| {STATUS.get(status, status)} | `{path}` | {item.index_no or ''} | {item.title or ''} "
                f"| {who} | {_reviewers(department)} |"
            )
        else:
            category = (
                project.catalog.category_of_folder(
                    PurePosixPath(path).parent.relative_to(CONTENT_DIR)
                )
                if path.startswith(CONTENT_DIR + "/")
                else None
            )
            department = (
                project.catalog.departments.get(category.department) if category else office
            )
            who = department.name if department else ""
            lines.append(
                f"| {STATUS.get(status, status)} | `{path}` | | | {who} | {_reviewers(department)} |"
            )
    if len(lines) == 4:
        lines.append("| | 没有修改公开信息 | | | | |")
    lines += [
        "",
        "审核人不能审核自己撰写的修改(谁制作、谁审查、谁负责)。批准后如有新的提交,须重新批准。",
    ]
    return "\n".join(lines) + "\n"
