"""Index numbers (索引号) and the links between items that use them."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from generator.core import schema
from generator.core.item import Item
from generator.core.problems import Problem, display_path, error, warning
from generator.core.project import Project


def index_format(item: Item, project: Project) -> Iterator[Problem]:
    """GK140 template; GK141 organization code; GK142 year of `date`; GK143 category code."""
    template = project.catalog.index
    if template is None or item.index_no is None:
        return
    line = item.line("index_no")
    m = template.match(item.index_no)
    if m is None:
        yield error(item.path, line, "GK140", _format_message(item.index_no, template))
        return
    if m.org is not None and m.org != template.org:
        yield error(
            item.path,
            line,
            "GK141",
            f"索引号的前段码“{m.org}”不是本单位的组织机构代码“{template.org}”",
        )
    if m.year is not None and item.date is not None and m.year != item.date.year:
        yield error(
            item.path,
            line,
            "GK142",
            f"索引号中的年份 {m.year} 与发布日期 {item.date} 的年份不一致。"
            + _renumber_advice(item, project, "发布日期改回原来的日期"),
        )
    if m.category is not None and item.category and m.category != item.category:
        yield error(
            item.path,
            line,
            "GK143",
            f"索引号中的分类代码“{m.category}”与主题分类“{item.category}”不一致。"
            + _renumber_advice(item, project, f"信息移回分类“{m.category}”"),
        )


def _renumber_advice(item: Item, project: Project, undo: str) -> str:
    """What to do about a number that no longer fits: a published number never changes."""
    published = (
        item.disclosure == schema.PUBLIC and item.date is not None and item.date <= project.today
    )
    if published:
        return (
            f"已发布信息的索引号永不更改：请把{undo}；确需调整的，撤回本条（withdrawn）"
            "并用 gongkai new 取得新号作为新信息重新发布"
        )
    return f"本条尚未发布：可以用 gongkai new 取得新号，或把{undo}"


def _format_message(index_no: str, template) -> str:
    halfwidth = unicodedata.normalize("NFKC", index_no)
    if halfwidth != index_no and template.match(halfwidth):
        return f"索引号“{index_no}”中有全角的数字、字母或符号，索引号只能用半角字符：请改为“{halfwidth}”"
    return (
        f"索引号“{index_no}”不符合本单位的格式 {template.template}"
        f"（例如 {template.example()}）。新信息请用 gongkai new 生成索引号"
    )


def unique_index_numbers(project: Project) -> Iterator[Problem]:
    """GK144: two files with one index number; each file is told the other's name."""
    holders: dict[str, list[Item]] = defaultdict(list)
    for item in project.items:
        if item.index_no:
            holders[item.index_no].append(item)
    for number, items in holders.items():
        if len(items) < 2:
            continue
        for item in items:
            others = "、".join(display_path(o.path) for o in items if o is not item)
            yield error(
                item.path,
                item.line("index_no"),
                "GK144",
                f"索引号“{number}”与 {others} 重复。索引号必须唯一：新信息请用 gongkai new 取得新号",
            )


_TARGET_TYPES = {"interprets": "document", "feedback_for": "consultation"}


def references_exist(project: Project) -> Iterator[Problem]:
    """GK160 pointing at no item; GK161 at the wrong kind; GK162 at itself."""
    by_index = project.by_index()
    numbers: list[str] | None = None
    for item in project.items:
        for key, number in item.refs():
            line = item.line(key)
            target = by_index.get(number)
            if target is None:
                numbers = numbers if numbers is not None else list(by_index)
                close = difflib.get_close_matches(number, numbers, n=1, cutoff=0.8)
                hint = f"是不是“{close[0]}”？" if close else "请核对索引号"
                yield error(
                    item.path,
                    line,
                    "GK160",
                    f"{schema.label(key)}指向的索引号“{number}”不存在。{hint}",
                )
            elif target is item:
                yield error(item.path, line, "GK162", f"{schema.label(key)}不能指向本条自己")
            elif (want := _TARGET_TYPES.get(key)) and target.type != want:
                yield warning(
                    item.path,
                    line,
                    "GK161",
                    f"{schema.label(key)}应指向{schema.TYPE_LABELS[want]}类信息，"
                    f"而“{target.title}”是{schema.TYPE_LABELS.get(target.type, target.type)}",
                )
