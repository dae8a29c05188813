"""The annual report's sums (GK602, GK603) and its link to last year's report (GK604): rules
between the figures, run once each after the data's shape has read them
(generator/core/annual_data.py)."""

from __future__ import annotations

from generator.core.annual_data import COLUMNS, PART3_ROWS, PART4_GROUPS, AnnualData
from generator.core.problems import Problem, error
from generator.core.project import Project

RESULT_ROWS = tuple(key for key, _ in PART3_ROWS[2:23])  # （一）至（六）


def arithmetic(data: AnnualData) -> list[Problem]:
    """Row totals and the 总计 row of part 三, 新收 + 结转 = 总计 + 结转下年度, part 四's totals."""
    problems = []
    p3 = data.part3

    def cell(row: str, col: int, message: str) -> None:
        problems.append(
            error(
                data.path,
                data.line("part3", row, col),
                "GK602",
                f"第三部分“{row}”行“{COLUMNS[col]}”列：{message}",
            )
        )

    for key, _ in PART3_ROWS:
        if sum(p3[key][:6]) != p3[key][6]:
            cell(key, 6, f"总计 {p3[key][6]} 不等于前六列之和 {sum(p3[key][:6])}")
    for col in range(7):
        total = sum(p3[row][col] for row in RESULT_ROWS)
        if total != p3["总计"][col]:
            cell("总计", col, f"（七）总计 {p3['总计'][col]} 不等于（一）至（六）之和 {total}")
        left = p3["本年新收"][col] + p3["上年结转"][col]
        right = p3["总计"][col] + p3["结转下年度"][col]
        if left != right:
            cell(
                "结转下年度",
                col,
                f"本年新收 + 上年结转 = {left}，总计 + 结转下年度 = {right}，两者应相等",
            )
    for group in PART4_GROUPS:
        row = data.part4[group]
        if sum(row[:4]) != row[4]:
            problems.append(
                error(
                    data.path,
                    data.line("part4", group, 4),
                    "GK603",
                    f"第四部分“{group}”的总计 {row[4]} 不等于维持、纠正、其他、尚未审结之和 {sum(row[:4])}",
                )
            )
    return problems


def carried_over(data: AnnualData, before: AnnualData | None) -> list[Problem]:
    """This year's 上年结转 is last year's 结转下年度, when last year's report is here and
    readable (last year's own problems are reported with last year's file)."""
    if before is None or before.unreadable or "结转下年度" in before.refused_rows:
        return []
    carried = before.part3["结转下年度"]
    if carried == data.part3["上年结转"]:
        return []
    year = data.year
    return [
        error(
            data.path,
            data.line("part3", "上年结转"),
            "GK604",
            f"第三部分“上年结转”{data.part3['上年结转']} 应等于 {year - 1} 年报告"
            f"（content/annual/{year - 1}.yml）的“结转下年度”{carried}；"
            "请核对两年的数字，改正填错的一处",
        )
    ]


def year_problems(project: Project, year: int) -> list[Problem]:
    """Everything wrong with one year's data: how it is written, then its sums."""
    data = project.annual[year]
    found = [*data.problems, *arithmetic(data)]
    if not any(p.code == "GK601" for p in data.problems):  # a malformed year is not compared
        found += carried_over(data, project.annual.get(year - 1))
    return found


def annual_problems(project: Project) -> list[Problem]:
    return [
        p for year in sorted(project.annual, reverse=True) for p in year_problems(project, year)
    ]
