"""Checks on one item's own front matter: keys present, keys known, dates in order, characters
that cannot be published."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.core import schema
from generator.core.catalog import did_you_mean
from generator.core.inputs import describe_character, unpublishable_characters
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


def _strings(
    value: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, text) of every string in a front-matter value, lists and mappings included."""
    pending = [(path, value)]
    while pending:  # a stack, not recursion: YAML may nest deeper than Python recurses
        where, value = pending.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            pending.extend(((*where, str(k)), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend(((*where, i), v) for i, v in reversed(list(enumerate(value))))


def _where(path: tuple[str | int, ...]) -> str:
    """The value at `path`, in words: 附件（attachments）第 1 项的“name”."""
    key = str(path[0])
    words = schema.label(key) if key in schema.FIELDS else f"元数据“{key}”"
    return words + "".join(f"第 {p + 1} 项" if isinstance(p, int) else f"的“{p}”" for p in path[1:])


def characters(item: Item, project: Project) -> Iterator[Problem]:
    """GK116: a character published text may not hold (a control character, a noncharacter, a
    bidirectional control that shows text in another order than it is written and screened in),
    in any front-matter value or in the body, each at its own line."""
    how = "请删除该字符（多为复制粘贴时带入，或是引号中“\\x01”之类的转义）"
    meta = item.meta if isinstance(item.meta, dict) else {}
    for path, text in _strings(meta, ()):
        for _, char in unpublishable_characters(text):
            yield error(
                item.path,
                item.line(*path),
                "GK116",
                f"{_where(path)}含有不允许的字符 {describe_character(char)}：{how}",
            )
            break  # one problem a value: the line is the same
    reported: set[tuple[int, str]] = set()
    for index, char in unpublishable_characters(item.body):
        line = item.body_line + item.body.count("\n", 0, index)
        if (line, char) not in reported:
            reported.add((line, char))
            yield error(
                item.path,
                line,
                "GK116",
                f"正文含有不允许的字符 {describe_character(char)}：{how}",
            )
