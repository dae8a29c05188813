"""Deadlines of the disclosure rules, on official working days: what was late, what is due.

Each check yields `Finding`s; `validate` shows them as warnings (or errors, for codes listed
under `rules.errors` in the catalog) and `gongkai report deadlines` lists the open ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from generator.core.catalog import Catalog, Rules
from generator.core.item import Item
from generator.core.problems import Problem, Severity, display_path
from generator.core.project import Project
from generator.core.schema import PUBLIC
from generator.core.workdays import Counted, WorkCalendar

Moment = TypeVar("Moment", date, datetime)
OBLIGATIONS = ("GK702", "GK705")  # open duties a department still has to fulfil


@dataclass(frozen=True)
class Finding:
    item: Item
    key: str  # the front-matter key the finding is about (for its line)
    code: str
    message: str
    due: date | datetime | None = None
    overdue: bool = False
    estimated: bool = False

    @property
    def is_obligation(self) -> bool:
        return self.code in OBLIGATIONS


def _later(value: Moment, delta: timedelta) -> Moment:
    """`value` + `delta`, or the calendar's last moment when that lies beyond it (year 9999)."""
    try:
        return value + delta
    except OverflowError:
        return datetime.max if isinstance(value, datetime) else date.max  # type: ignore[return-value]


def calendar_for(catalog: Catalog) -> WorkCalendar:
    return WorkCalendar(
        holidays=catalog.holidays, workdays=catalog.workdays, official=catalog.official_years
    )


def _published(item: Item, today: date) -> bool:
    return (
        item.disclosure == PUBLIC
        and item.date is not None
        and item.date <= today
        and not item.withdrawn
    )


def interpretation_late(project: Project, cal: WorkCalendar) -> Iterator[Finding]:
    """GK701: an interpretation published later than N working days after its document."""
    limit = project.catalog.rules.interpretation_within_workdays
    documents = project.by_index()
    for item in project.items:
        doc = documents.get(item.interprets or "")
        if item.type != "interpretation" or doc is None or not (doc.date and item.date):
            continue
        due = cal.add(doc.date, limit)
        if item.date > due.value:
            yield Finding(
                item,
                "date",
                "GK701",
                f"政策解读发布于 {item.date}，晚于文件（{doc.date} 发布）后 {limit} 个工作日的期限 "
                f"{due.value}{due.note()}。解读应与文件同步发布",
                due.value,
                True,
                due.estimated,
            )


def interpretation_missing(project: Project, cal: WorkCalendar) -> Iterator[Finding]:
    """GK702: a document whose category requires interpretation, still without one."""
    limit = project.catalog.rules.interpretation_within_workdays
    interpreted = {
        i.interprets for i in project.items if i.type == "interpretation" and i.interprets
    }
    for item in project.items:
        category = project.catalog.categories.get(item.category or "")
        if (
            item.type != "document"
            or category is None
            or category.interpretation != "required"
            or item.index_no in interpreted
            or not _published(item, project.today)
        ):
            continue
        assert item.date is not None
        due = cal.add(item.date, limit)
        late = project.today > due.value
        state = "已逾期" if late else "尚未发布"
        yield Finding(
            item,
            "title",
            "GK702",
            f"分类“{category.name}”要求政策解读，本文件的解读{state}：最迟于 {due.value} 发布"
            f"{due.note()}（“谁起草、谁解读”）",
            due.value,
            late,
            due.estimated,
        )


def response_late(project: Project, cal: WorkCalendar) -> Iterator[Finding]:
    """GK703: authoritative information or the press conference came too late."""
    rules = project.catalog.rules
    for item in project.items:
        if item.type != "response" or item.concern_at is None or item.responded_at is None:
            continue
        major = item.level == "major"
        hours = rules.response_major_hours if major else rules.response_general_hours
        due = _later(item.concern_at, timedelta(hours=hours))
        if item.responded_at > due:
            level = "重大" if major else "一般"
            yield Finding(
                item,
                "responded_at",
                "GK703",
                f"{level}关切应在 {hours} 小时内（最迟于 {due:%Y-%m-%d %H:%M}）发布权威信息，"
                f"实际为 {item.responded_at:%Y-%m-%d %H:%M}",
                due,
                True,
            )
        if major:
            press_due = _later(item.concern_at, timedelta(hours=rules.press_conference_hours))
            held = item.press_conference_at
            if held is None or held > press_due:
                what = (
                    f"实际为 {held:%Y-%m-%d %H:%M}"
                    if held
                    else "未填写新闻发布会时间（press_conference_at）"
                )
                yield Finding(
                    item,
                    "press_conference_at" if held else "level",
                    "GK703",
                    f"重大关切应在 {rules.press_conference_hours} 小时内"
                    f"（最迟于 {press_due:%Y-%m-%d %H:%M}）召开新闻发布会，{what}",
                    press_due,
                    True,
                )


# 征求意见稿类别 -> the source of its minimum period, named in the message
CONSULTATION_SOURCES = {
    "规章": "《规章制定程序条例》第十五条",
    "重大行政决策": "《重大行政决策程序暂行条例》第十四条",
    "涉企行政规范性文件": "《优化营商环境条例》第六十二条",
    "行政规范性文件": "国办发〔2018〕37号",
}


def consultation_closes_by(item: Item, rules: Rules, cal: WorkCalendar) -> tuple[Counted, str]:
    """The earliest lawful closing day of a consultation, and the rule in words."""
    assert item.opens is not None
    if item.draft_kind == "行政规范性文件":
        days = rules.consultation_normative_min_workdays
        return cal.add(
            item.opens, days
        ), f"{days} 个工作日（{CONSULTATION_SOURCES['行政规范性文件']}）"
    minimum = rules.consultation_min_days
    source = CONSULTATION_SOURCES.get(item.draft_kind or "", "")
    closes = Counted(_later(item.opens, timedelta(days=minimum)))
    if source:
        return closes, f"{minimum} 日（{source}）"
    hint = "；行政规范性文件请在 draft_kind 中注明，其最短期限为 7 个工作日"
    return closes, f"{minimum} 日（未注明征求意见稿类别 draft_kind，按本单位规定{hint}）"


def consultation_period(project: Project, cal: WorkCalendar) -> Iterator[Finding]:
    """GK704: a public consultation open for less than its kind's minimum (counted from the day
    after it opens, as periods are: 民法典第二百零一条)."""
    for item in project.items:
        if item.type == "consultation" and item.opens and item.closes:
            earliest, rule = consultation_closes_by(item, project.catalog.rules, cal)
            if item.closes < earliest.value:
                yield Finding(
                    item,
                    "closes",
                    "GK704",
                    f"征求意见自 {item.opens} 起至 {item.closes} 止，共 {_length(item, cal)},"
                    f"少于 {rule}：截止日期应不早于 "
                    f"{earliest.value}{earliest.note()}",
                    estimated=earliest.estimated,
                )


def _length(item: Item, cal: WorkCalendar) -> str:
    """How long a consultation ran, in the unit its minimum is counted in."""
    assert item.opens is not None and item.closes is not None
    if item.draft_kind == "行政规范性文件":
        return f"{cal.between(item.opens, item.closes).value} 个工作日"
    return f"{(item.closes - item.opens).days} 日"


def consultation_feedback(project: Project, cal: WorkCalendar) -> Iterator[Finding]:
    """GK705: a closed consultation whose feedback (采纳情况) is not yet published."""
    limit = project.catalog.rules.consultation_feedback_days
    answered = {
        i.feedback_for for i in project.items if i.feedback_for and _published(i, project.today)
    }
    for item in project.items:
        if (
            item.type != "consultation"
            or item.closes is None
            or item.closes >= project.today
            or item.index_no in answered
            or not _published(item, project.today)
        ):
            continue
        due = _later(item.closes, timedelta(days=limit))
        late = project.today > due
        state = "已逾期" if late else "尚未发布"
        yield Finding(
            item,
            "closes",
            "GK705",
            f"征求意见已于 {item.closes} 结束，采纳情况说明（feedback_for 指向本条）{state}:"
            f"最迟于 {due} 公布",
            due,
            late,
        )


def publish_late(project: Project, cal: WorkCalendar) -> Iterator[Finding]:
    """GK706: published more than N working days after it was written (条例第二十六条)."""
    limit = project.catalog.rules.publish_within_workdays
    for item in project.items:
        if item.written and item.date and item.disclosure == PUBLIC:
            due: Counted = cal.add(item.written, limit)
            if item.date > due.value:
                yield Finding(
                    item,
                    "date",
                    "GK706",
                    f"发布日期 {item.date} 晚于成文（{item.written}）后 {limit} 个工作日的期限 "
                    f"{due.value}{due.note()}",
                    due.value,
                    True,
                    due.estimated,
                )


CHECKS = (
    interpretation_late,
    interpretation_missing,
    response_late,
    consultation_period,
    consultation_feedback,
    publish_late,
)


def findings(project: Project) -> list[Finding]:
    cal = calendar_for(project.catalog)
    return [f for check in CHECKS for f in check(project, cal)]


def as_problem(finding: Finding, escalate: frozenset[str]) -> Problem:
    severity = Severity.ERROR if finding.code in escalate else Severity.WARNING
    item = finding.item
    return Problem(str(item.path), item.line(finding.key), finding.code, severity, finding.message)


def deadline_problems(project: Project) -> Iterator[Problem]:
    """The project rule the registry runs."""
    for finding in findings(project):
        yield as_problem(finding, project.catalog.escalate)


RULE_NAMES = {"GK702": "政策解读", "GK705": "征求意见采纳情况"}


def open_obligations(project: Project) -> list[Finding]:
    """Overdue obligations and those due within `due_soon_workdays` working days, by due date."""
    cal = calendar_for(project.catalog)
    horizon = cal.add(project.today, project.catalog.rules.due_soon_workdays).value
    chosen = [
        f
        for f in findings(project)
        if f.is_obligation and (f.overdue or (f.due and _day(f.due) <= horizon))
    ]
    return sorted(chosen, key=lambda f: (_day(f.due), f.item.index_no or ""))


def _day(value: date | datetime | None) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value or date.min


def obligation_rows(project: Project) -> list[dict[str, object]]:
    """One row per open obligation, for `gongkai report deadlines`."""
    rows = []
    for f in open_obligations(project):
        department = project.catalog.departments.get(f.item.department or "")
        rows.append(
            {
                "department": department.name if department else (f.item.department or ""),
                "code": f.code,
                "rule": RULE_NAMES.get(f.code, f.code),
                "status": "已逾期" if f.overdue else "即将到期",
                "due": str(_day(f.due)),
                "estimated": f.estimated,
                "index_no": f.item.index_no,
                "title": f.item.title,
                "file": display_path(f.item.path),
                "message": f.message,
            }
        )
    return rows
