"""Working days on the State Council schedule, and every deadline rule at its exact boundary."""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.checks import check
from generator.core.problems import Severity
from generator.core.project import load_project
from generator.core.workdays import WorkCalendar

from helpers import run

CAL = WorkCalendar()


@pytest.mark.parametrize(
    "start, days, expected",
    [
        # 2025 Spring Festival: Jan 28 – Feb 4 off, Sunday Jan 26 and Saturday Feb 8 worked
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 26), 1, date(2025, 1, 27)),
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        (date(2025, 2, 7), 1, date(2025, 2, 8)),
        # 2025 National Day: Oct 1 – 8 off, Sunday Sep 28 and Saturday Oct 11 worked
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 10, 10), 1, date(2025, 10, 11)),
        # 2026 Spring Festival: Feb 15 – 23 off, Saturdays Feb 14 and Feb 28 worked
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        # 2026 National Day: Oct 1 – 7 off, Sunday Sep 20 and Saturday Oct 10 worked
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 10, 9), 1, date(2026, 10, 10)),
        (date(2026, 9, 30), 10, date(2026, 10, 20)),
    ],
)
def test_working_days_follow_the_official_schedule(start, days, expected):
    result = CAL.add(start, days)
    assert result.value == expected and not result.estimated


def test_counting_working_days_between_dates():
    assert CAL.between(date(2026, 2, 13), date(2026, 2, 24)).value == 2  # Feb 14 and Feb 24
    assert CAL.between(date(2026, 3, 2), date(2026, 3, 2)).value == 0


def test_year_without_official_data_is_an_estimate_and_says_so():
    result = CAL.add(date(2026, 12, 28), 5)
    assert result.estimated and result.estimated_years == (2027,)
    # Dec 29, 30, 31, (Jan 1 is 元旦 by law), Jan 4, Jan 5
    assert result.value == date(2027, 1, 5)
    assert "2027年节假日安排尚未公布" in result.note() and "估算" in result.note()
    assert CAL.add(date(2026, 12, 1), 5).note() == ""


def test_bureau_can_add_its_own_days():
    cal = WorkCalendar(
        holidays=frozenset({date(2026, 3, 3)}), workdays=frozenset({date(2026, 3, 7)})
    )
    assert cal.add(date(2026, 3, 2), 1).value == date(2026, 3, 4)
    assert cal.add(date(2026, 3, 6), 1).value == date(2026, 3, 7)


# --- rules ----------------------------------------------------------------------------------


def codes(bureau, today: date) -> list[tuple[str, int, str]]:
    project = load_project(bureau.root)
    project.today = today
    return [(p.code, p.line, p.message) for p in check(project) if p.code.startswith("GK7")]


def document(bureau) -> None:
    """A 行政规范性文件 published on 2026-09-30, the day before the National Day break."""
    bureau.item(
        "content/zcwj/gfxwj/doc.md",
        category="gfxwj",
        doc_no="测文旅规〔2026〕1号",
        date="2026-09-30",
        written="2026-09-30",
        index_no="000014349/2026-00001",
    )


def interpretation(bureau, day: str) -> None:
    document(bureau)
    bureau.item(
        "content/zcjd/jd.md",
        category="zcjd",
        type="interpretation",
        date=day,
        written=None,
        index_no="000014349/2026-00002",
        interprets="000014349/2026-00001",
    )


def test_interpretation_on_the_last_working_day_passes(bureau):
    interpretation(bureau, "2026-10-20")  # 10 working days after Sep 30 across National Day
    assert codes(bureau, date(2026, 11, 23)) == []


def test_interpretation_one_working_day_late_is_reported(bureau):
    interpretation(bureau, "2026-10-21")
    [(code, line, message)] = codes(bureau, date(2026, 11, 23))
    assert code == "GK701" and line == 5 and "2026-10-20" in message


def require_interpretation(bureau) -> None:
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(
        catalog.read_text().replace(
            "normative: true", "normative: true\n        interpretation: required"
        )
    )


def required_interpretation(bureau) -> None:
    require_interpretation(bureau)
    document(bureau)


def test_missing_interpretation_is_due_until_the_deadline(bureau):
    required_interpretation(bureau)
    [(code, _, message)] = codes(bureau, date(2026, 10, 20))
    assert code == "GK702" and "尚未发布" in message and "2026-10-20" in message


def test_missing_interpretation_is_overdue_the_next_day(bureau):
    required_interpretation(bureau)
    [(code, _, message)] = codes(bureau, date(2026, 10, 21))
    assert code == "GK702" and "已逾期" in message


def test_deadline_report_lists_obligations_per_department(bureau):
    required_interpretation(bureau)
    done = run("report", "deadlines", "--as-of", "2026-10-21", "--format", "json", cwd=bureau.root)
    [row] = json.loads(done.stdout)
    assert (row["department"], row["status"], row["due"], row["estimated"]) == (
        "政策法规科",
        "已逾期",
        "2026-10-20",
        False,
    )
    text = run("report", "deadlines", "--as-of", "2026-10-14", cwd=bureau.root).stdout
    assert "【政策法规科】" in text and "即将到期  2026-10-20" in text
    early = run("report", "deadlines", "--as-of", "2026-10-01", cwd=bureau.root).stdout
    assert "没有已逾期或即将到期的事项" in early  # due in more than 5 working days


def test_deadline_running_into_an_unpublished_year_is_marked_as_estimate(bureau):
    require_interpretation(bureau)
    bureau.item(
        "content/zcwj/gfxwj/doc.md",
        category="gfxwj",
        doc_no="测文旅规〔2026〕9号",
        date="2026-12-28",
        written="2026-12-28",
        index_no="000014349/2026-00001",
    )
    [(code, _, message)] = codes(bureau, date(2026, 12, 30))
    assert code == "GK702" and "估算" in message and "2027年" in message


@pytest.mark.parametrize(
    "written, published, late",
    [("2026-01-30", "2026-03-05", False), ("2026-01-30", "2026-03-06", True)],
)
def test_proactive_publication_within_20_working_days(bureau, written, published, late):
    # 20 working days after Jan 30 cross the Spring Festival and both make-up Saturdays
    bureau.item(written=written, date=published)
    found = codes(bureau, date(2026, 11, 23))
    assert [c for c, _, _ in found] == (["GK706"] if late else [])


def response(bureau, level: str, responded: str, press: str | None = None) -> None:
    bureau.item(
        type="response",
        level=level,
        concern_at="2026-10-03 10:00",
        responded_at=responded,
        date="2026-10-03",
        written=None,
        press_conference_at=press,
    )


@pytest.mark.parametrize(
    "responded, press, expected",
    [
        ("2026-10-03 15:00", "2026-10-04 10:00", []),
        ("2026-10-03 15:01", "2026-10-04 10:00", ["GK703"]),
        ("2026-10-03 15:00", "2026-10-04 10:01", ["GK703"]),
        ("2026-10-03 15:00", None, ["GK703"]),
    ],
)
def test_major_concern_5_hours_and_press_conference_24_hours(bureau, responded, press, expected):
    response(bureau, "major", responded, press)
    assert [c for c, _, _ in codes(bureau, date(2026, 11, 23))] == expected


@pytest.mark.parametrize(
    "responded, late", [("2026-10-05 10:00", False), ("2026-10-05 10:01", True)]
)
def test_general_concern_48_hours(bureau, responded, late):
    response(bureau, "general", responded)
    assert bool(codes(bureau, date(2026, 11, 23))) == late


def consultation(bureau, closes: str, feedback: bool = False) -> None:
    bureau.item(
        "content/zqyj/a.md",
        category="zqyj",
        type="consultation",
        opens="2026-01-05",
        closes=closes,
        date="2026-01-05",
        written=None,
    )
    if feedback:
        bureau.item(
            "content/zqyj/b.md",
            category="zqyj",
            date="2026-03-01",
            written=None,
            index_no="000014349/2026-00002",
            feedback_for="000014349/2026-00001",
        )


def test_consultation_of_30_days_passes_and_29_does_not(bureau):
    consultation(bureau, "2026-02-04")
    assert codes(bureau, date(2026, 2, 1)) == []
    consultation(bureau, "2026-02-03")
    [(code, _, message)] = codes(bureau, date(2026, 2, 1))
    assert code == "GK704" and "29 日" in message


def test_closed_consultation_needs_its_feedback(bureau):
    consultation(bureau, "2026-02-04")
    [(code, _, due_message)] = codes(bureau, date(2026, 3, 6))
    assert code == "GK705" and "尚未发布" in due_message and "2026-03-06" in due_message
    [(_, _, late_message)] = codes(bureau, date(2026, 3, 7))
    assert "已逾期" in late_message
    consultation(bureau, "2026-02-04", feedback=True)
    assert codes(bureau, date(2026, 3, 7)) == []


def test_catalog_can_make_a_deadline_an_error(bureau):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text() + "rules:\n  errors: [GK706]\n")
    bureau.item(written="2026-01-30", date="2026-03-06")
    project = load_project(bureau.root)
    [problem] = [p for p in check(project) if p.code == "GK706"]
    assert problem.severity is Severity.ERROR


def test_catalog_numbers_override_the_defaults(bureau):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text() + "rules:\n  interpretation_within_workdays: 3\n")
    interpretation(bureau, "2026-10-12")  # the 4th working day after Sep 30 (Oct 8, 9, 10, 12)
    assert [c for c, _, _ in codes(bureau, date(2026, 11, 23))] == ["GK701"]
