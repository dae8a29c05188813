"""Checks on one item's own front matter: keys present, keys known, dates in order."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import schema
from generator.core.catalog import did_you_mean
from generator.core.item import Item
from generator.core.problems import Problem, error, warning
from generator.core.project import Project

_LABEL_TO_KEY = {f.label: f.key for f in schema.FIELDS.values()}


def _present(item: Item, key: str) -> bool:
    return item.meta.get(key) is not None


def required_keys(item: Item, project: Project) -> Iterator[Problem]:
    """GK110: keys every item needs, keys its type needs, keys its category demands."""
    needed: dict[str, str] = {k: "" for k, f in schema.FIELDS.items() if f.required}
    needed.update(
        {k: f"{schema.TYPE_LABELS[item.type]}类信息" for k in schema.KIND_REQUIRED[item.type]}
    )
    category = project.catalog.categories.get(item.category or "")
    if category:
        needed.update({k: f"分类“{category.name}”" for k in category.required})
    for key, who in needed.items():
        if _present(item, key):
            continue
        if key == "disclosure":
            message = "缺少公开属性（disclosure）。这是一项审查决定，不能省略：请填写 主动公开、依申请公开 或 不予公开"
        else:
            reason = f"{who}必须填写" if who else "必须填写"
            message = f"缺少{schema.label(key)},{reason}：请在元数据中加一行“{key}: …”"
        yield error(item.path, item.line(key), "GK110", message)


def disclosure_basis(item: Item, project: Project) -> Iterator[Problem]:
    """GK112: an item not disclosed must say on what legal ground."""
    if item.disclosure == "不予公开" and not item.disclosure_basis:
        yield error(
            item.path,
            item.line("disclosure"),
            "GK112",
            "公开属性为“不予公开”时必须写明依据：加一行“disclosure_basis: 《中华人民共和国政府信息公开条例》第十四条”等",
        )


def known_keys(item: Item, project: Project) -> Iterator[Problem]:
    """GK114 unknown key; GK115 a key that belongs to another type of item."""
    for key in item.meta:
        field = schema.FIELDS.get(str(key))
        if field is None:
            guess = _LABEL_TO_KEY.get(str(key))
            hint = (
                f"是不是想写“{guess}”？" if guess else did_you_mean(str(key), tuple(schema.FIELDS))
            )
            yield warning(
                item.path, item.line(key), "GK114", f"元数据键“{key}”不认识，将被忽略。{hint}"
            )
        elif field.types and item.type not in field.types:
            kinds = "、".join(f"type: {t}" for t in field.types)
            yield warning(
                item.path,
                item.line(key),
                "GK115",
                f"{schema.label(key)}只用于 {kinds} 的信息，本条是 type: {item.type}，该键将被忽略",
            )


def duplicate_keys(item: Item, project: Project) -> Iterator[Problem]:
    """GK105: YAML keeps only the last of two equal keys, silently; say so."""
    for key, line in item.source.duplicate_keys:
        yield error(item.path, line, "GK105", f"元数据键“{key}”重复出现，请删除多余的一个")


_ORDER = (
    ("written", "date", "成文日期不能晚于发布日期"),
    ("effective", "expires", "生效日期不能晚于废止日期"),
    ("opens", "closes", "征求意见开始日期不能晚于截止日期"),
    ("concern_at", "responded_at", "权威信息发布时间不能早于关切出现时间"),
    ("concern_at", "press_conference_at", "新闻发布会时间不能早于关切出现时间"),
)


def date_order(item: Item, project: Project) -> Iterator[Problem]:
    """GK113: dates that contradict each other."""
    for earlier, later, message in _ORDER:
        a, b = getattr(item, earlier), getattr(item, later)
        if a is not None and b is not None and a > b:
            yield error(
                item.path,
                item.line(later),
                "GK113",
                f"{message}:{schema.label(earlier)}为 {a},{schema.label(later)}为 {b}（第 {item.line(earlier)} 行）",
            )
    if item.withdrawn and item.date and item.withdrawn.date < item.date:
        yield error(
            item.path,
            item.line("withdrawn"),
            "GK113",
            f"撤回日期 {item.withdrawn.date} 早于发布日期 {item.date}",
        )
