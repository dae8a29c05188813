"""The 审批表 register: every item (published, held, not public, scheduled) with who wrote it, who
approved it, when the forge recorded it, the pull request, and why a change is held.

It reuses the gate's result (or the publish record): no API call per item. Written for the
office (CSV with a BOM so Excel opens it, and a printable page), never deployed. Cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import jinja2

from generator.core.clock import beijing_now, beijing_time
from generator.core.item import Item, build_item
from generator.core.project import (
    CONTENT_DIR,
    Project,
    UnusableFile,
    apply_defaults,
    split_front_matter,
)
from generator.core.public_set import is_published
from generator.core.textfile import decode
from generator.publishing.review.gate import GateRun
from generator.publishing.review.judge import Pull
from generator.publishing.review.paths import is_item

HEADERS = (
    "索引号",
    "标题",
    "文件",
    "责任科室",
    "状态",
    "拟稿人",
    "审核人",
    "审核时间",
    "合并时间",
    "合并请求",
    "未发布的修改及原因",
    "公开属性",
    "保密审查豁免",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True)


def safe_cell(text: str) -> str:
    """A spreadsheet cell that cannot run as a formula (OWASP: prefix with an apostrophe)."""
    return "'" + text if text.startswith(_FORMULA) else text


def _forge_time(text: str) -> str:
    try:
        return beijing_time(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return text


def _item_from(data: bytes, path: str, project: Project) -> Item | None:
    text, problem = decode(data, path)
    if problem is not None:
        return None
    try:
        src, body, body_line = split_front_matter(text, Path(path))
    except UnusableFile:
        return None
    rel = PurePosixPath(path).relative_to(CONTENT_DIR)
    item = build_item(project.root / path, rel, src, body, body_line)
    apply_defaults(item, project.catalog)
    return item


def _status(item: Item | None, today: date) -> str:
    if item is None:
        return "未发布"
    if item.disclosure != "主动公开":
        return f"不公开（{item.disclosure or '未填写公开属性'}）"
    if not is_published(item, today):
        return f"定时发布（{item.date}）" if item.date else "未发布（缺发布日期）"
    return "已撤回（页面保留）" if item.withdrawn else "已发布"


def _versions(project: Project, run: GateRun) -> dict[str, tuple[Item | None, Item | None]]:
    """Item path -> (version at HEAD, approved version online)."""
    at_head = {f"{CONTENT_DIR}/{i.rel.as_posix()}": i for i in project.items}
    paths = {p for p in run.gated_paths() if is_item(p)} | set(at_head)
    older = {
        p: run.approved_value(p)
        for p in paths
        if run.approved_value(p) is not None and run.approved_value(p) != run.head_tree.get(p)
    }
    blobs = dict(run.repo.blobs(set(older.values())))  # type: ignore[arg-type]
    result = {}
    for path in sorted(paths):
        head = at_head.get(path)
        if path in older:
            online = _item_from(blobs[older[path]], path, project)  # type: ignore[index]
        else:
            online = head if run.approved_value(path) is not None else None
        result[path] = (head, online)
    return result


def _unreviewed(run: GateRun, online: Item | None) -> str:
    if run.preview:
        return "（本地预览，未核验）"
    return "初始版本" if online is not None else ""


def rows(project: Project, run: GateRun, today: date) -> list[list[str]]:
    table = [
        _row(project, run, path, shown, versions, today)
        for path, versions in _versions(project, run).items()
        if (shown := versions[0] or versions[1])
    ]
    return sorted(table, key=lambda r: (r[0], r[2]))


def _row(
    project: Project,
    run: GateRun,
    path: str,
    shown: Item,
    versions: tuple[Item | None, Item | None],
    today: date,
) -> list[str]:
    """One item's line of the register; `shown` is the version at HEAD, else the one online."""
    head, online = versions
    state = run.state
    pull: Pull | None = state.pulls.get(state.approvals.get(run.approved_value(path) or "", ""))
    department = project.catalog.departments.get(shown.department or "")
    exemptions = ";".join(f"{e.kind} {e.value}:{e.reason}" for e in shown.screening_exempt)
    return [
        shown.index_no or "",
        shown.title or "",
        path,
        department.name if department else (shown.department or ""),
        _status(online, today),
        *_review_cells(run, pull, online),
        _held_reason(state.held.get(path, ""), head, online),
        shown.disclosure or "",
        exemptions,
    ]


def _review_cells(run: GateRun, pull: Pull | None, online: Item | None) -> list[str]:
    """Authors, approvers, approval and merge times, and the link of the approving request."""
    if pull is None:
        return ["", _unreviewed(run, online), "", "", ""]
    return [
        "、".join(pull.authors),
        "、".join(pull.approvers),
        _forge_time(pull.approved_at),
        _forge_time(pull.merged_at),
        pull.link or pull.key,
    ]


def _held_reason(reason: str, head: Item | None, online: Item | None) -> str:
    """Why the change at HEAD is not on the site, and what the site shows instead."""
    if reason and online is not None:
        change = "这次删除" if head is None else "新的修改"
        return f"网站上为此前批准的版本；{change}未获批准：{reason}"
    return f"未获批准，未发布：{reason}" if reason else ""


def write(project: Project, run: GateRun, out: Path, today: date) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    table = rows(project, run, today)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows([[safe_cell(c) for c in row] for row in table])
    csv_path, html_path = out / "register.csv", out / "register.html"
    csv_path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    html_path.write_text(
        _ENV.get_template("register.html").render(
            org_name=project.catalog.org_name,
            headers=HEADERS,
            rows=table,
            generated=beijing_now().strftime("%Y-%m-%d %H:%M"),
            commit=run.head,
            unapproved=sum(1 for r in table if r[10]),
            reason_column=HEADERS.index("未发布的修改及原因") + 1,
        ),
        encoding="utf-8",
    )
    return csv_path, html_path
