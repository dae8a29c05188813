"""Official working days (工作日): State Council holidays and make-up workdays (调休) from
`chinese-calendar`, a bureau's own days from the catalog, and weekends-only estimates for a
year whose schedule has not been published yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@dataclass(frozen=True)
class Counted:
    """A computed date or count, and whether it rests on a year without official data."""

    value: date | int
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)

    def note(self) -> str:
        """The Chinese caveat to append to a message, empty when the result is exact."""
        if not self.estimated_years:
            return ""
        years = "、".join(f"{y}年" for y in self.estimated_years)
        return f"(估算:{years}节假日安排尚未公布,暂按周末计算,公布后以正式安排为准)"


@lru_cache(maxsize=8192)
def _official(day: date) -> tuple[bool, bool]:
    """The State Council's schedule for a day, and whether it is estimated (not yet published).
    Cached: chinese-calendar checks the date against its whole range on every call."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


@dataclass
class WorkCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)  # the bureau's extra days off
    workdays: frozenset[date] = field(default_factory=frozenset)  # and its extra working days

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is a working day, is an estimate)."""
        if day in self.holidays:
            return False, False
        if day in self.workdays:
            return True, False
        return _official(day)

    def add(self, start: date, workdays: int) -> Counted:
        """The day that is the `workdays`-th working day after `start` (start not counted);
        the calendar's last day (date.max) when that lies beyond it."""
        day, left, estimated = start, workdays, set()
        while left > 0:
            if day == date.max:
                break
            day += timedelta(days=1)
            working, guess = self.is_workday(day)
            if guess:
                estimated.add(day.year)
            left -= working
        return Counted(day, tuple(sorted(estimated)))

    def between(self, start: date, end: date) -> Counted:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, estimated, day = 0, set(), start
        while day < end:
            day += timedelta(days=1)
            working, guess = self.is_workday(day)
            if guess:
                estimated.add(day.year)
            count += working
        return Counted(count, tuple(sorted(estimated)))
