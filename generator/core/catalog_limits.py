"""What `catalog.yml` may and may not change in the law: statutory maxima and minima of the
deadline rules, and the State Council's holiday notices a bureau enters under `calendar`."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from generator.core import schema
from generator.core.workdays import OfficialYear, has_builtin_schedule
from generator.core.yamlshape import Checked, Invalid, Walk

# rule -> (the law's limit, "max" or "min", the source named in the message)
STATUTORY: dict[str, tuple[int, str, str]] = {
    "publish_within_workdays": (20, "max", "《政府信息公开条例》第二十六条"),
    "request_reply_workdays": (20, "max", "《政府信息公开条例》第三十三条"),
    "request_extension_workdays": (20, "max", "《政府信息公开条例》第三十三条"),
    "consultation_min_days": (
        30,
        "min",
        "《规章制定程序条例》第十五条、《重大行政决策程序暂行条例》第十四条、《优化营商环境条例》第六十二条",
    ),
    "consultation_normative_min_workdays": (
        7,
        "min",
        "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）",
    ),
}
RANGE_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:至|到|~|～)\s*(\d{4}-\d{2}-\d{2})\s*$")
LONGEST_RANGE = 31  # the longest break a notice gives is about 9 days; a month is a typo


@dataclass(frozen=True)
class Rules:
    """Deadline numbers from the domain brief; each can be overridden under `rules:`."""

    publish_within_workdays: int = 20
    interpretation_within_workdays: int = 10
    response_major_hours: int = 5
    press_conference_hours: int = 24
    response_general_hours: int = 48
    request_reply_workdays: int = 20
    request_extension_workdays: int = 20
    consultation_min_days: int = 30
    consultation_normative_min_workdays: int = 7
    consultation_feedback_days: int = 30
    due_soon_workdays: int = 5


RULE_LABELS = {
    "publish_within_workdays": "主动公开信息形成或变更后公开的期限（工作日）",
    "interpretation_within_workdays": "政策解读晚于文件公开的最长期限（工作日）",
    "response_major_hours": "重大关切发布权威信息的期限（小时）",
    "press_conference_hours": "重大关切召开新闻发布会的期限（小时）",
    "response_general_hours": "一般关切回应的期限（小时）",
    "request_reply_workdays": "依申请公开答复期限（工作日）",
    "request_extension_workdays": "依申请公开可延长的最长期限（工作日）",
    "consultation_min_days": "规章、重大行政决策等征求意见的最短期限（自然日）",
    "consultation_normative_min_workdays": "行政规范性文件征求意见的最短期限（工作日）",
    "consultation_feedback_days": "征求意见结束后公布采纳情况的期限（自然日）",
    "due_soon_workdays": "期限报告中“即将到期”的提前量（工作日）",
}
# The largest value a rule may take, by its unit: working days, calendar days and hours are
# counted one by one, so a huge number would never finish (a year's worth is far beyond any rule).
_MOST = {"workdays": 250, "days": 366, "hours": 8784}
RULE_MAXIMA = {f.name: _MOST[f.name.rpartition("_")[2]] for f in fields(Rules)}


def rules(spec: Checked, walk: Walk) -> Rules:
    """The deadline rules (read by their shape), each within what the law allows (GK023)."""
    values = {}
    for f in fields(Rules):
        value = spec[f.name]
        if value is None:
            continue
        if (refusal := statutory_refusal(f.name, value)) is not None:
            walk.error(
                "GK023", f"rules.{f.name}（{RULE_LABELS[f.name]}）{refusal}", "rules", f.name
            )
        else:
            values[f.name] = value
    return Rules(**values)


def statutory_refusal(key: str, value: int) -> str | None:
    """Why the catalog may not set rule `key` to `value` (Chinese), or None when it may."""
    if key not in STATUTORY:
        return None
    limit, side, source = STATUTORY[key]
    unit = "个工作日" if key.endswith("workdays") else "日"
    if side == "max" and value > limit:
        return (
            f"为 {value}，超过{source}规定的 {limit} {unit}：目录只能缩短法定期限，不能延长。"
            f"请改为不超过 {limit} 的数，或删除这一行（默认即为 {limit}）"
        )
    if side == "min" and value < limit:
        return (
            f"为 {value}，少于{source}规定的最短 {limit} {unit}：目录只能延长法定的最短期限，"
            f"不能缩短。请改为不少于 {limit} 的数，或删除这一行（默认即为 {limit}）"
        )
    return None


def days_or_range(raw: Any) -> tuple[date, ...]:
    """A date, or a range written “2027-10-01 至 2027-10-07”, from a list in `calendar`."""
    try:
        return tuple(_days(raw))
    except schema.ValueProblem as exc:
        raise Invalid(f"：{exc}") from None


def _days(raw: Any) -> list[date]:
    match = RANGE_RE.match(raw) if isinstance(raw, str) else None
    if match is None:
        return [schema.parse_date(raw)]
    first, last = (schema.parse_date(g) for g in match.groups())
    if not first <= last <= first + timedelta(days=LONGEST_RANGE):
        raise schema.ValueProblem(
            f"“{raw}”不是合理的日期范围：应先写开始日期，且不超过 {LONGEST_RANGE} 天"
        )
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_set(entries: list | None) -> set[date]:
    """The days of a checked list (its refused entries, None, have been reported)."""
    return {d for days in entries or () if days for d in days}


def official_years(official: dict | None, walk: Walk) -> dict[int, OfficialYear]:
    """`calendar.official` (read by its shape): each year's notice as the bureau copied it,
    checked against its year and the schedules `chinese-calendar` already has."""
    result = {}
    for year, entry in (official or {}).items():
        at = entry.path
        if has_builtin_schedule(year):
            walk.warn(
                "GK024",
                f"{year} 年的国务院节假日安排已内置，calendar.official.{year} 将被忽略，可以删除",
                *at,
            )
            continue
        holidays = _of_year(entry, "holidays", year, walk)
        workdays = _of_year(entry, "workdays", year, walk)
        if not holidays:
            if "holidays" not in entry.given:  # (a list whose every entry was refused is reported)
                walk.error(
                    "GK024", f"calendar.official.{year} 应写明通知中的全部放假日期（holidays）", *at
                )
            continue
        if both := holidays & workdays:
            day = min(both)
            walk.error(
                "GK024", f"calendar.official.{year}：{day} 既写在放假日期中又写在上班日期中", *at
            )
            continue
        result[year] = OfficialYear(frozenset(holidays), frozenset(workdays))
    return result


def _of_year(entry: Checked, key: str, year: int, walk: Walk) -> set[date]:
    result: set[date] = set()
    for i, days in enumerate(entry[key] or ()):
        if days is None:
            continue
        if any(d.year != year for d in days):
            walk.error(
                "GK024",
                f"calendar.official.{year}.{key} 第 {i + 1} 项不在 {year} 年内：每年的安排写在该年份之下",
                *entry.path,
                key,
                i,
            )
            continue
        result.update(days)
    return result
