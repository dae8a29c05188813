"""The front-matter contract: every canonical key, its Chinese label, and how its value is read.

`docs/content.md` documents exactly these keys (a test keeps the two in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

TYPES = ("document", "interpretation", "consultation", "response")
TYPE_LABELS = {
    "document": "文件",
    "interpretation": "政策解读",
    "consultation": "征求意见",
    "response": "回应关切",
}
DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
PUBLIC = "主动公开"
# `change:` of an edit of a published item: minor needs no 修订说明; redact also takes the earlier
# versions off the site (a correction of what should never have been public)
CHANGES = ("minor", "redact")
LEVELS = ("major", "general")
# What a consultation's draft is: each has its own statutory minimum period (deadlines.py).
DRAFT_KINDS = ("规章", "重大行政决策", "行政规范性文件", "涉企行政规范性文件")
FORMS = ("文字", "图解", "音频", "视频", "问答", "新闻发布会", "动漫", "专家解读")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # text | date | datetime | enum | keywords | refs | ref | attachments | withdrawn | forms
    required: bool = False
    choices: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # item types the key belongs to; empty means every type


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("title", "标题", "text", required=True),
        Field("type", "类型", "enum", choices=TYPES),
        Field("category", "主题分类", "text", required=True),
        Field("index_no", "索引号", "text", required=True),
        Field("publisher", "发布机构", "text"),
        Field("department", "责任科室", "text"),
        Field("doc_no", "文号", "text"),
        Field("written", "成文日期", "date"),
        Field("date", "发布日期", "date", required=True),
        Field("effective", "生效日期", "date"),
        Field("expires", "废止日期", "date"),
        Field("disclosure", "公开属性", "enum", required=True, choices=DISCLOSURES),
        Field("disclosure_basis", "不公开依据", "text"),
        Field("keywords", "主题词", "keywords"),
        Field("summary", "内容概述", "text"),
        Field("attachments", "附件", "attachments"),
        Field("interprets", "解读对象", "ref", types=("interpretation",)),
        Field("form", "解读形式", "forms", types=("interpretation",)),
        Field("repeals", "废止文件", "refs"),
        Field("amends", "修改文件", "refs"),
        Field("withdrawn", "撤回", "withdrawn"),
        Field("change_note", "修订说明", "text"),
        Field("change", "修订类型", "enum", choices=CHANGES),
        Field("screening_exempt", "保密审查豁免", "exemptions"),
        Field("opens", "征求意见开始日期", "date", types=("consultation",)),
        Field("closes", "征求意见截止日期", "date", types=("consultation",)),
        Field("draft_kind", "征求意见稿类别", "enum", choices=DRAFT_KINDS, types=("consultation",)),
        Field("feedback_for", "意见反馈对应的征求意见", "ref"),
        Field("concern_at", "关切出现时间", "datetime", types=("response",)),
        Field("level", "关切级别", "enum", choices=LEVELS, types=("response",)),
        Field("responded_at", "权威信息发布时间", "datetime", types=("response",)),
        Field("press_conference_at", "新闻发布会时间", "datetime", types=("response",)),
    )
}

# Keys each kind of item cannot do without, beyond the keys every item needs.
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "document": (),
    "interpretation": ("interprets",),
    "consultation": ("opens", "closes"),
    "response": ("concern_at", "level", "responded_at"),
}

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
# Years a disclosure date can have; beyond them date arithmetic (working days) overflows.
YEARS = range(1900, 2200)


def _plausible(value: date, text: str) -> None:
    if value.year not in YEARS:
        raise ValueProblem(
            f"“{text}”的年份 {value.year} 不在 {YEARS.start}–{YEARS.stop - 1} 年之间，请核对"
        )


_KEYWORD_SPLIT = re.compile(r"[,,、;;\s]+")


class ValueProblem(ValueError):
    """A value that does not fit its key; the message says how to write it."""


def label(key: str) -> str:
    field = FIELDS.get(key)
    return f"{field.label}（{key}）" if field else key


def parse_date(value: object) -> date:
    text = str(value).strip() if isinstance(value, str | int) else None
    if text is None or not DATE_RE.match(text):
        raise ValueProblem("日期应写作 YYYY-MM-DD，例如 2026-03-05（月和日不足两位补零）")
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"“{text}”不是真实存在的日期，请核对年月日") from None
    _plausible(parsed, text)
    return parsed


def parse_datetime(value: object) -> datetime:
    text = str(value).strip() if isinstance(value, str) else ""
    if DATE_RE.match(text):
        raise ValueProblem("需要精确到分钟的时间，应写作 YYYY-MM-DD HH:MM，例如 2026-05-03 09:30")
    if not DATETIME_RE.match(text):
        raise ValueProblem("时间应写作 YYYY-MM-DD HH:MM，例如 2026-05-03 09:30")
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise ValueProblem(f"“{text}”不是真实存在的时间，请核对") from None
    _plausible(parsed.date(), text)
    return parsed


def parse_text(value: object) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise ValueProblem("应为一段文字")
    if isinstance(value, int | float):
        raise ValueProblem(f'应为文字；如果确实是“{value}”，请用英文引号括起来："{value}"')
    text = str(value).strip()
    if not text:
        raise ValueProblem("不能为空")
    return text


def parse_keywords(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(w for w in _KEYWORD_SPLIT.split(value) if w)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise ValueProblem("主题词应为列表（每行“- 词语”）或用顿号、逗号分隔的文字")


def parse_refs(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    raise ValueProblem("应为被引用文件的索引号，多个时写成列表（每行“- 索引号”）")


def parse_forms(value: object) -> tuple[str, ...]:
    forms = (value,) if isinstance(value, str) else value
    if not isinstance(forms, list | tuple) or not all(isinstance(f, str) for f in forms):
        raise ValueProblem("解读形式应为文字或列表，可选：" + "、".join(FORMS))
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        raise ValueProblem(f"解读形式“{unknown[0]}”不在可选范围内，可选：" + "、".join(FORMS))
    return tuple(forms)


def parse_enum(key: str, value: object) -> str:
    choices = FIELDS[key].choices
    if not isinstance(value, str) or value.strip() not in choices:
        raise ValueProblem(f"取值“{value}”无效，只能是：" + "、".join(choices))
    return value.strip()
