"""The annual report (政府信息公开工作年度报告), on the 2021 national template.

`content/annual/YEAR.yml` holds what only the bureau knows; it is read once, with the project
(generator/core/annual_data.py). Here the report is put together: the counts of 规章 and
行政规范性文件 computed from the items (generator/reports/annual_counts.py), the sums checked
(generator/reports/annual_checks.py), drawn (annual_chart.py) and written (annual_writers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.core.problems import Problem
from generator.core.project import Project
from generator.reports.annual_chart import chart_svg
from generator.reports.annual_checks import annual_problems, year_problems
from generator.reports.annual_counts import monthly_counts, part2_counts
from generator.reports.annual_writers import (
    report_docx,
    report_tables,
    template_context,
    write_report,
)

__all__ = [
    "Annual",
    "amount",
    "annual_problems",
    "annual_years",
    "chart_svg",
    "load_annual",
    "report_docx",
    "report_tables",
    "template_context",
    "write_report",
]


def amount(value: Decimal) -> str:
    """An amount as the report prints it: 236, 12.5, 1234567 (never 1.23457e+06)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Annual:
    """One year's report: the bureau's figures, the counts from the items, what is wrong."""

    year: int
    path: Path
    part2_computed: dict[str, dict[str, int]]
    part2_other: dict[str, Decimal]
    part3: dict[str, list[int]]
    part4: dict[str, list[int]]
    narrative: dict[str, str]
    monthly: list[int]
    problems: list[Problem] = field(default_factory=list)

    def part2_text(self, key: str) -> str:
        """A 第二部分 figure as printed (templates)."""
        return amount(self.part2_other[key])


def annual_years(project: Project) -> list[int]:
    return sorted(project.annual, reverse=True)


def load_annual(project: Project, year: int) -> Annual | None:
    """The report of `year`, from the data the project loaded; None when there is none."""
    data = project.annual.get(year)
    if data is None:
        return None
    return Annual(
        year=year,
        path=data.path,
        part2_computed=part2_counts(project, year),
        part2_other=data.part2_other,
        part3=data.part3,
        part4=data.part4,
        narrative=data.narrative,
        monthly=monthly_counts(project, year),
        problems=year_problems(project, year),
    )
