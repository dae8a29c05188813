"""Years without a State Council notice: the days off the law itself fixes.

Source: 《全国年节及纪念日放假办法》(2024 revision, 国务院令第795号, in force 2025-01-01),
art. 2 (元旦 1 Jan; 春节 农历除夕至正月初三; 清明节 农历清明当日; 劳动节 1-2 May; 端午节 农历五月初五;
中秋节 农历八月十五; 国庆节 1-3 Oct) and art. 6 (a holiday for all citizens on a Saturday or Sunday
gets a substitute working day off, 补假). Lunar dates and 清明 as the Purple Mountain
Observatory's 《中国天文年历》 gives them (the usual 公历农历对照表; 正月初一 2027-02-06,
2028-01-26, 2029-02-13, 2030-02-03). Weekdays by the Gregorian calendar. Where the notice will place a 补假 is its choice; the
estimate places it on the first working day after the holiday (docs/catalog.md), and a holiday
day already taken by another (中秋 on 3 Oct 2028) is owed a day the same way (as the 2020 notice,
国办发明电〔2019〕16号, gave 中秋 on 1 Oct 2020 its own day). Every row below was worked out by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from generator.core.workdays import WorkCalendar, statutory_days_off

D = date
# year -> every day off the law fixes, with the holiday it belongs to
EXPECTED = {
    2027: {
        D(2027, 1, 1): "元旦",  # Friday
        D(2027, 2, 5): "春节",  # 除夕, Friday (正月初一 = 6 Feb, Saturday)
        D(2027, 2, 8): "春节",  # 初三, Monday; 初一 Sat and 初二 Sun are owed two days
        D(2027, 2, 9): "春节补假",
        D(2027, 2, 10): "春节补假",
        D(2027, 4, 5): "清明节",  # Monday
        D(2027, 5, 3): "劳动节补假",  # 1 May Saturday, 2 May Sunday
        D(2027, 5, 4): "劳动节补假",
        D(2027, 6, 9): "端午节",  # 五月初五, Wednesday
        D(2027, 9, 15): "中秋节",  # 八月十五, Wednesday
        D(2027, 10, 1): "国庆节",  # Friday; 2 Oct Saturday, 3 Oct Sunday
        D(2027, 10, 4): "国庆节补假",
        D(2027, 10, 5): "国庆节补假",
    },
    2028: {
        D(2028, 1, 3): "元旦补假",  # 1 Jan is a Saturday
        D(2028, 1, 25): "春节",  # 除夕, Tuesday (正月初一 = 26 Jan)
        D(2028, 1, 26): "春节",
        D(2028, 1, 27): "春节",
        D(2028, 1, 28): "春节",  # 初三, Friday
        D(2028, 4, 4): "清明节",  # Tuesday
        D(2028, 5, 1): "劳动节",  # Monday
        D(2028, 5, 2): "劳动节",
        D(2028, 5, 29): "端午节补假",  # 五月初五 = 28 May, Sunday
        D(2028, 10, 2): "国庆节",  # 1 Oct is a Sunday
        D(2028, 10, 3): "国庆节",  # also 八月十五: 中秋 is owed a day
        D(2028, 10, 4): "国庆节补假",
        D(2028, 10, 5): "中秋节补假",
    },
    2029: {
        D(2029, 1, 1): "元旦",  # Monday
        D(2029, 2, 12): "春节",  # 除夕, Monday (正月初一 = 13 Feb)
        D(2029, 2, 13): "春节",
        D(2029, 2, 14): "春节",
        D(2029, 2, 15): "春节",  # 初三, Thursday
        D(2029, 4, 4): "清明节",  # Wednesday
        D(2029, 5, 1): "劳动节",  # Tuesday
        D(2029, 5, 2): "劳动节",
        D(2029, 6, 18): "端午节补假",  # 五月初五 = 16 June, Saturday
        D(2029, 9, 24): "中秋节补假",  # 八月十五 = 22 Sep, Saturday
        D(2029, 10, 1): "国庆节",  # Monday
        D(2029, 10, 2): "国庆节",
        D(2029, 10, 3): "国庆节",
    },
    2030: {
        D(2030, 1, 1): "元旦",  # Tuesday
        D(2030, 2, 4): "春节",  # 初二, Monday (除夕 2 Feb Saturday, 初一 3 Feb Sunday)
        D(2030, 2, 5): "春节",  # 初三, Tuesday
        D(2030, 2, 6): "春节补假",
        D(2030, 2, 7): "春节补假",
        D(2030, 4, 5): "清明节",  # Friday
        D(2030, 5, 1): "劳动节",  # Wednesday
        D(2030, 5, 2): "劳动节",
        D(2030, 6, 5): "端午节",  # Wednesday
        D(2030, 9, 12): "中秋节",  # Thursday
        D(2030, 10, 1): "国庆节",  # Tuesday
        D(2030, 10, 2): "国庆节",
        D(2030, 10, 3): "国庆节",
    },
}
CASES = [(day, name) for year in EXPECTED.values() for day, name in year.items()]


@pytest.mark.parametrize("day, name", CASES, ids=[f"{d}-{n}" for d, n in CASES])
def test_statutory_day_off_is_estimated(day, name):
    assert statutory_days_off(day.year).get(day) == name
    working, estimated = WorkCalendar().is_workday(day)
    assert not working and estimated


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_no_other_weekday_is_off(year):
    assert statutory_days_off(year) == EXPECTED[year]


@pytest.mark.parametrize(
    "day",
    [D(2027, 2, 4), D(2027, 2, 11), D(2027, 10, 6), D(2028, 10, 6), D(2030, 2, 8)],
)
def test_the_working_day_after_a_break_is_a_working_day(day):
    assert WorkCalendar().is_workday(day) == (True, True)


def test_weekends_stay_off_and_no_swap_is_guessed():
    # the notice may make a Saturday a working day (调休); the estimate cannot know which
    assert WorkCalendar().is_workday(D(2027, 2, 20)) == (False, True)
    assert WorkCalendar().is_workday(D(2027, 9, 26)) == (False, True)


def test_official_data_is_kept_for_2025_and_2026():
    # 2026's notice: National Day 1-7 Oct and Saturday 10 Oct worked; not an estimate
    assert WorkCalendar().is_workday(D(2026, 10, 7)) == (False, False)
    assert WorkCalendar().is_workday(D(2026, 10, 10)) == (True, False)
    assert WorkCalendar().is_workday(D(2025, 1, 26)) == (True, False)
