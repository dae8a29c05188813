"""The annual report's chart, items published per month: the bars measured here, drawn by the
template `templates/annual_chart.svg`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import jinja2

if TYPE_CHECKING:
    from generator.reports.annual import Annual

BASE = 190  # the axis, in SVG units from the top
TALLEST = 160
_ENV = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True)


@dataclass(frozen=True)
class Bar:
    month: int
    count: int
    x: int
    height: int

    @property
    def top(self) -> int:
        return BASE - self.height

    @property
    def middle(self) -> int:
        return self.x + 15


def bars(monthly: list[int]) -> list[Bar]:
    """One bar per month, the busiest month the tallest."""
    top = max(monthly) or 1
    return [
        Bar(month=m + 1, count=n, x=50 + m * 45, height=round(TALLEST * n / top))
        for m, n in enumerate(monthly)
    ]


def chart_svg(annual: Annual) -> str:
    """A bar chart of items published per month, as an image for the report page."""
    return _ENV.get_template("annual_chart.svg").render(year=annual.year, bars=bars(annual.monthly))
