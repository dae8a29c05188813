"""What part 二 and the chart count from the items themselves: documents made, ended and in
force in a year (by the dates they take effect), and items published per month."""

from __future__ import annotations

from datetime import date, timedelta

from generator.core.item import Item
from generator.core.project import Project
from generator.core.schema import PUBLIC


def _repeal_days(items: list[Item]) -> dict[str, date]:
    """Index number -> the day its earliest repeal takes effect (the repealing document's 施行
    date, its publication date when it has none): a repeal counts from then, not when published."""
    days: dict[str, date] = {}
    for item in items:
        start = item.takes_effect
        for number in item.repeals:
            if start and (number not in days or start < days[number]):
                days[number] = start
    return days


def end_day(item: Item, repeal_days: dict[str, date]) -> date | None:
    """The first day the document is no longer in force, if known: the day after its last valid
    day (废止日期), or the day a repeal takes effect, whichever comes first."""
    ends = [d for d in (repeal_days.get(item.index_no or ""),) if d]
    if item.expires and item.expires < date.max:
        ends.append(item.expires + timedelta(days=1))
    return min(ends, default=None)


def part2_counts(project: Project, year: int) -> dict[str, dict[str, int]]:
    """本年制发 / 本年废止 / 现行有效 for 规章 and 行政规范性文件, from the items themselves.

    A document ends in exactly one year, the year of its `end_day`: one valid through
    31 December is 现行有效 that year and 废止/失效 the next, never both."""
    published = [i for i in project.items if i.disclosure == PUBLIC and i.date and not i.withdrawn]
    repeal_days = _repeal_days(published)
    counts = {}
    for label, flag in (("规章", "regulation"), ("行政规范性文件", "normative")):
        codes = {c.code for c in project.catalog.categories.values() if getattr(c, flag, False)}
        docs = [i for i in published if i.category in codes and i.type == "document"]
        counts[label] = _document_counts([(i, end_day(i, repeal_days)) for i in docs], year)
    return counts


def _document_counts(ends: list[tuple[Item, date | None]], year: int) -> dict[str, int]:
    """Made, ended and in force in `year`, of documents paired with their `end_day`."""
    return {
        "本年制发件数": sum(1 for i, _ in ends if i.date and i.date.year == year),
        "本年废止件数": sum(1 for _, end in ends if end and end.year == year),
        "现行有效件数": sum(1 for i, end in ends if _in_force_at_end(i, end, year)),
    }


def _in_force_at_end(item: Item, end: date | None, year: int) -> bool:
    """Whether the document took effect by 31 December of `year` and had not ended by then."""
    first_after = date(year + 1, 1, 1)
    started = item.takes_effect is not None and item.takes_effect < first_after
    return started and not (end and end < first_after)


def monthly_counts(project: Project, year: int) -> list[int]:
    months = [0] * 12
    for item in project.items:
        if (
            item.disclosure == PUBLIC
            and item.date
            and item.date.year == year
            and not item.withdrawn
        ):
            months[item.date.month - 1] += 1
    return months
