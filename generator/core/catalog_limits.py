"""What `catalog.yml` may and may not change in the law: statutory maxima and minima of the
deadline rules, and the State Council's holiday notices a bureau enters under `calendar`."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Protocol

from generator.core import schema
from generator.core.workdays import OfficialYear, has_builtin_schedule

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
CALENDAR_KEYS = ("holidays", "workdays", "official")
OFFICIAL_KEYS = ("source", "holidays", "workdays")
RANGE_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:至|到|~|～)\s*(\d{4}-\d{2}-\d{2})\s*$")
LONGEST_RANGE = 31  # the longest break a notice gives is about 9 days; a month is a typo


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


class Reporter(Protocol):
    def err(self, code: str, message: str, *key: str | int) -> None: ...
    def warn(self, code: str, message: str, *key: str | int) -> None: ...


def day_list(value: Any, where: tuple, out: Reporter, year: int | None = None) -> set[date]:
    """Dates, or ranges written “2027-10-01 至 2027-10-07”, from a list in `calendar`."""
    name = ".".join(str(w) for w in where)
    if value is None:
        return set()
    if not isinstance(value, list):
        out.err(
            "GK003", f"{name} 应为日期列表，例如 [2027-01-01, 2027-02-05 至 2027-02-11]", *where
        )
        return set()
    result: set[date] = set()
    for i, raw in enumerate(value):
        try:
            days = _days(raw)
        except schema.ValueProblem as exc:
            out.err("GK003", f"{name} 的第 {i + 1} 项：{exc}", *where, i)
            continue
        if year is not None and any(d.year != year for d in days):
            out.err(
                "GK024",
                f"{name} 的第 {i + 1} 项不在 {year} 年内：每年的安排写在该年份之下",
                *where,
                i,
            )
            continue
        result.update(days)
    return result


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


def official_years(value: Any, out: Reporter) -> dict[int, OfficialYear]:
    """`calendar.official`: each year's notice, as the bureau copied it when it came out."""
    where = ("calendar", "official")
    if value is None:
        return {}
    if not isinstance(value, dict):
        out.err(
            "GK003",
            "calendar.official 应按年份写，例如 2027: {source: 文号, holidays: [...], workdays: [...]}",
            *where,
        )
        return {}
    result = {}
    for key, entry in value.items():
        year = _year(key)
        at = (*where, str(key))  # lines are kept under the key as written
        if year is None:
            out.err("GK024", f"calendar.official 中的“{key}”不是年份，请写四位年份，例如 2027", *at)
            continue
        if not isinstance(entry, dict):
            out.err("GK003", f"calendar.official.{year} 应写 source、holidays 和 workdays", *at)
            continue
        for extra in entry:
            if extra not in OFFICIAL_KEYS:
                out.warn(
                    "GK004", f"calendar.official.{year} 中的键“{extra}”不认识，将被忽略", *at, extra
                )
        if has_builtin_schedule(year):
            out.warn(
                "GK024",
                f"{year} 年的国务院节假日安排已内置，calendar.official.{year} 将被忽略，可以删除",
                *at,
            )
            continue
        holidays = day_list(entry.get("holidays"), (*at, "holidays"), out, year)
        workdays = day_list(entry.get("workdays"), (*at, "workdays"), out, year)
        if not holidays:  # (a list whose every entry was refused has been reported)
            if not entry.get("holidays"):
                out.err(
                    "GK024", f"calendar.official.{year} 应写明通知中的全部放假日期（holidays）", *at
                )
            continue
        if both := holidays & workdays:
            day = min(both)
            out.err(
                "GK024", f"calendar.official.{year}:{day} 既写在放假日期中又写在上班日期中", *at
            )
            continue
        result[year] = OfficialYear(frozenset(holidays), frozenset(workdays))
    return result


def _year(key: Any) -> int | None:
    text = str(key).strip()
    if isinstance(key, bool) or not re.fullmatch(r"\d{4}", text):
        return None
    year = int(text)
    return year if 1900 <= year <= 9998 else None
