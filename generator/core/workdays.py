"""Official working days (工作日): State Council holidays and make-up workdays (调休) from
`chinese-calendar`, years the bureau entered from the State Council's notice in the catalog,
the bureau's own days, and for any other year an estimate from the law
(《全国年节及纪念日放假办法》, 2024 revision, see `statutory_days_off`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from lunar_python import Lunar, Solar


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
        return (
            f"(估算：{years}节假日安排尚未公布，暂按《全国年节及纪念日放假办法》规定的节日、"
            "补假和周末推算，调休无法预估；安排公布后以正式安排为准，"
            "可在 catalog.yml 的 calendar.official 中填写)"
        )


@dataclass(frozen=True)
class OfficialYear:
    """One year's schedule as the State Council's notice gives it (entered in catalog.yml)."""

    holidays: frozenset[date]
    workdays: frozenset[date]  # weekends worked (调休)

    def is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        return day in self.workdays or day.weekday() < 5


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """The day of the solar term 清明 (about 4-6 April), as the lunar library computes it."""
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


def festivals(year: int) -> list[tuple[str, list[date]]]:
    """The holidays for all citizens of a year, by art. 2 of the 2024 law (国务院令第795号,
    in force 2025-01-01), in date order: the solar-calendar ones, and those the lunar calendar
    places (春节 is 农历除夕 to 正月初三: the eve is the day before 正月初一)."""
    new_year = _lunar(year, 1, 1)
    days = [
        ("元旦", [date(year, 1, 1)]),
        ("春节", [new_year + timedelta(days=n) for n in range(-1, 3)]),
        ("清明节", [_qingming(year)]),
        ("劳动节", [date(year, 5, 1), date(year, 5, 2)]),
        ("端午节", [_lunar(year, 5, 5)]),
        ("中秋节", [_lunar(year, 8, 15)]),
        ("国庆节", [date(year, 10, n) for n in (1, 2, 3)]),
    ]
    return sorted(days, key=lambda entry: entry[1][0])


@lru_cache(maxsize=64)
def statutory_days_off(year: int) -> dict[date, str]:
    """The days off the law itself fixes for `year`, each with its holiday's name.

    Art. 6: a holiday for all citizens that falls on a Saturday or Sunday gets a substitute day
    off (补假) on a working day. The notice decides where; the estimate places it on the first
    working day after that holiday (the State Council's usual choice). A holiday day already
    taken by another holiday (中秋 on 1-3 October, as in 2020 and 2028) loses its day too and
    gets one the same way (2020's notice, 国办发明电〔2019〕16号, gave 中秋 its own day).
    Weekends swapped for working days (调休) are the notice's choice and cannot be estimated."""
    off: dict[date, str] = {}
    lost: list[tuple[str, date]] = []  # (holiday, its last day) per substitute day owed
    for name, days in festivals(year):
        for day in days:
            if day.weekday() >= 5 or day in off:
                lost.append((name, days[-1]))
            else:
                off[day] = name
    taken = set(off)
    for name, last in lost:
        day = last + timedelta(days=1)
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
        off[day] = f"{name}补假"
    return dict(sorted(off.items()))


@lru_cache(maxsize=8192)
def _official(day: date) -> tuple[bool, bool]:
    """The State Council's schedule for a day, and whether it is estimated (not yet published).
    Cached: chinese-calendar checks the date against its whole range on every call."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5 and day not in statutory_days_off(day.year), True


def has_builtin_schedule(year: int) -> bool:
    """Whether `chinese-calendar` carries the State Council's notice for `year`."""
    return not _official(date(year, 6, 1))[1]


@dataclass
class WorkCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)  # the bureau's extra days off
    workdays: frozenset[date] = field(default_factory=frozenset)  # and its extra working days
    official: dict[int, OfficialYear] = field(default_factory=dict)  # notices the bureau entered

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is a working day, is an estimate)."""
        if day in self.holidays:
            return False, False
        if day in self.workdays:
            return True, False
        working, estimated = _official(day)
        if estimated and day.year in self.official:
            return self.official[day.year].is_workday(day), False
        return working, estimated

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
