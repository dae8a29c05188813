"""The 审批表 register: every published item with who wrote it, who approved it, when, where.

Written for the office (CSV with a BOM so Excel opens it, and a printable page), never deployed.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import jinja2

from ..loader import Project
from .gate import Verdict
from .history import head

HEADERS = (
    "索引号",
    "标题",
    "责任科室",
    "拟稿人",
    "审核人",
    "审核时间",
    "合并提交",
    "审查链接",
    "公开属性",
    "保密审查豁免",
)

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True)


def rows(project: Project, verdicts: list[Verdict]) -> list[list[str]]:
    result = []
    for v in sorted(verdicts, key=lambda v: v.item.index_no or ""):
        item, a = v.item, v.approval
        department = project.catalog.departments.get(item.department or "")
        exemptions = ";".join(f"{e.kind} {e.value}:{e.reason}" for e in item.screening_exempt)
        result.append(
            [
                item.index_no or "",
                item.title or "",
                department.name if department else (item.department or ""),
                "、".join(a.authors) if a else "",
                "、".join(a.approvers) if a else f"未通过:{v.reason}",
                a.at if a else "",
                a.change[:12] if a else "",
                a.link if a else "",
                item.disclosure or "",
                exemptions,
            ]
        )
    return result


def write(project: Project, verdicts: list[Verdict], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    table = rows(project, verdicts)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(table)
    csv_path, html_path = out / "register.csv", out / "register.html"
    csv_path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    html_path.write_text(
        _ENV.get_template("register.html").render(
            org_name=project.catalog.org_name,
            headers=HEADERS,
            rows=table,
            generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
            commit=head(project.root),
            unapproved=sum(1 for v in verdicts if not v.approved),
        ),
        encoding="utf-8",
    )
    return csv_path, html_path
