"""The annual report (政府信息公开工作年度报告), on the 2021 national template.

`content/annual/YEAR.yml` holds what only the bureau knows (requests received and how they
ended, reviews and lawsuits, other figures of part 二); the counts of 规章 and 行政规范性文件
are computed from the items; every sum is checked and a mismatch names its cell.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.core import yamlsrc
from generator.core.problems import Problem, error
from generator.core.project import CONTENT_DIR, Project
from generator.core.textfile import read_text, xml_safe
from generator.reports.annual_counts import monthly_counts, part2_counts
from generator.reports.annual_tables import (
    COLUMNS,
    PART2_TABLES,
    PART3_ROWS,
    PART4_GROUPS,
    add_docx_table,
    part2_tables,
    part3_table,
    part4_table,
)

ANNUAL_DIR = "annual"
RESULT_ROWS = tuple(key for key, _ in PART3_ROWS[2:23])
# Part 二 figures staff fill in; the fee is an amount (万元), the others are counts of decisions.
PART2_OTHER = tuple(key for _, _, rows in PART2_TABLES for key, _ in rows)
AMOUNTS = frozenset({"行政事业性收费"})
NARRATIVE = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
YEAR_FILE = re.compile(r"[12][0-9]{3}")  # content/annual/2025.yml: ASCII digits only
# 万元, below 10 billion with at most 4 decimals: at most 14 digits, which a float holds exactly,
# so the shortest form of the value read is the number as written
MAX_AMOUNT = Decimal("1e10")
DECIMALS = 4
MAX_COUNT = 10**12


def amount(value: Decimal) -> str:
    """An amount as the report prints it: 236, 12.5, 1234567 (never 1.23457e+06)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Annual:
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


def _numbers(
    raw: object,
    width: int,
    where: str,
    src: yamlsrc.Located,
    path: Path,
    keys: tuple,
    problems: list[Problem],
) -> list[int]:
    if raw is None:
        return [0] * width
    if (
        not isinstance(raw, list)
        or len(raw) != width
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw)
    ):
        problems.append(
            error(
                path,
                src.line(*keys),
                "GK601",
                f"{where} 应为 {width} 个非负整数的列表，例如 [{', '.join(['0'] * width)}]",
            )
        )
        return [0] * width
    return list(raw)


def _mapping(
    data: dict, key: str, src: yamlsrc.Located, path: Path, problems: list[Problem]
) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(
            error(path, src.line(key), "GK601", f"{key} 应为“名称：数字”形式的键值结构")
        )
        return {}
    return value


def _part2_value(key: str, value: object) -> Decimal | None:
    """The figure, or None when it is not one: counts are whole numbers, the fee an amount."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if key not in AMOUNTS:
        return Decimal(value) if isinstance(value, int) and 0 <= value < MAX_COUNT else None
    if not math.isfinite(value):
        return None
    number = Decimal(repr(value))  # the shortest form: 12.5 stays 12.5, not 12.4999…
    exponent = number.as_tuple().exponent
    if not 0 <= number < MAX_AMOUNT or not isinstance(exponent, int) or exponent < -DECIMALS:
        return None
    return number if number else Decimal(0)  # -0.0 prints as 0


def _part2(
    raw: dict, src: yamlsrc.Located, path: Path, problems: list[Problem]
) -> dict[str, Decimal]:
    """第二部分 figures staff fill in: counts of decisions, and the fee amount in 万元."""
    result = {}
    for key in PART2_OTHER:
        value = raw.get(key, 0)
        number = _part2_value(key, 0 if value is None else value)
        if number is None:
            hint = (
                "不小于 0 的金额（单位万元，最多 4 位小数，只写阿拉伯数字），例如 12.5"
                if key in AMOUNTS
                else "不小于 0 的整数（只写阿拉伯数字，不带单位和文字），例如 236"
            )
            problems.append(
                error(
                    path,
                    src.line("part2", key),
                    "GK601",
                    f"第二部分“{key}”应为{hint}，收到“{value}”",
                )
            )
            number = Decimal(0)
        result[key] = number
    return result


def _parse(path: Path) -> tuple[dict, yamlsrc.Located, list[Problem]]:
    text, problem = read_text(path)
    if problem:
        return {}, yamlsrc.Located({}), [problem]
    try:
        src = yamlsrc.load(text)
    except yamlsrc.YamlSyntaxError as exc:
        return {}, yamlsrc.Located({}), [error(path, exc.line, "GK601", exc.message)]
    return (src.data if isinstance(src.data, dict) else {}), src, []


def _unknown_keys(
    raw: dict, part: str, known: tuple[str, ...], src: yamlsrc.Located, path: Path
) -> list[Problem]:
    """A misspelt row would silently count as 0: name it and the rows the template has."""
    return [
        error(
            path,
            src.line(part, key),
            "GK601",
            f"{part} 中没有“{key}”这一项，请检查拼写；可填写的项目为：{'、'.join(known)}",
        )
        for key in raw
        if key not in known
    ]


def _part3(data: dict, src: yamlsrc.Located, path: Path, problems: list[Problem]) -> dict:
    raw = _mapping(data, "part3", src, path, problems)
    problems += _unknown_keys(raw, "part3", tuple(k for k, _ in PART3_ROWS), src, path)
    return {
        key: _numbers(raw.get(key), 7, f"第三部分“{key}”", src, path, ("part3", key), problems)
        for key, _ in PART3_ROWS
    }


def _carried_over(year: int, part3: dict, src: yamlsrc.Located, path: Path) -> list[Problem]:
    """This year's 上年结转 is last year's 结转下年度, when last year's report is here and readable."""
    before = path.with_name(f"{year - 1}.yml")
    if not before.is_file():
        return []
    data, earlier_src, unreadable = _parse(before)
    earlier: list[Problem] = []
    carried = _part3(data, earlier_src, before, earlier)["结转下年度"]
    if unreadable or any("结转下年度" in p.message for p in earlier):
        return []  # last year's own problems are reported with last year's file
    if carried == part3["上年结转"]:
        return []
    return [
        error(
            path,
            src.line("part3", "上年结转"),
            "GK604",
            f"第三部分“上年结转”{part3['上年结转']} 应等于 {year - 1} 年报告"
            f"（content/annual/{year - 1}.yml）的“结转下年度”{carried};"
            "请核对两年的数字，改正填错的一处",
        )
    ]


def load_annual(project: Project, year: int) -> Annual | None:
    path = project.root / CONTENT_DIR / ANNUAL_DIR / f"{year}.yml"
    if not YEAR_FILE.fullmatch(str(year)) or not path.is_file():
        return None
    data, src, problems = _parse(path)
    part3 = _part3(data, src, path, problems)
    part4_raw = _mapping(data, "part4", src, path, problems)
    problems += _unknown_keys(part4_raw, "part4", PART4_GROUPS, src, path)
    part4 = {
        g: _numbers(part4_raw.get(g), 5, f"第四部分“{g}”", src, path, ("part4", g), problems)
        for g in PART4_GROUPS
    }
    part2_raw = _mapping(data, "part2", src, path, problems)
    problems += _unknown_keys(part2_raw, "part2", PART2_OTHER, src, path)
    other = _part2(part2_raw, src, path, problems)
    annual = Annual(
        year,
        path,
        part2_counts(project, year),
        other,
        part3,
        part4,
        _narrative(project, year, problems),
        monthly_counts(project, year),
        problems,
    )
    annual.problems += arithmetic(annual, src)
    if not any(p.code == "GK601" for p in problems):  # a malformed year is not compared
        annual.problems += _carried_over(year, part3, src, path)
    return annual


def _narrative(project: Project, year: int, problems: list[Problem]) -> dict[str, str]:
    path = project.root / CONTENT_DIR / ANNUAL_DIR / f"{year}.md"
    sections = {title: "" for title in NARRATIVE}
    if path.is_file():
        text, problem = read_text(path)
        if problem is not None:
            problems.append(problem)
        current = None
        for line in text.splitlines():
            heading = line.lstrip("#").strip()
            if line.startswith("#") and heading in sections:
                current = heading
            elif current:
                sections[current] += line + "\n"
    return {k: v.strip() for k, v in sections.items()}


def arithmetic(annual: Annual, src: yamlsrc.Located) -> list[Problem]:
    """Row totals and the 总计 row of part 三, 新收 + 结转 = 总计 + 结转下年度, part 四's totals."""
    problems = []
    p3 = annual.part3

    def cell(row: str, col: int, message: str) -> None:
        problems.append(
            error(
                annual.path,
                src.line("part3", row, col),
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
        row = annual.part4[group]
        if sum(row[:4]) != row[4]:
            problems.append(
                error(
                    annual.path,
                    src.line("part4", group, 4),
                    "GK603",
                    f"第四部分“{group}”的总计 {row[4]} 不等于维持、纠正、其他、尚未审结之和 {sum(row[:4])}",
                )
            )
    return problems


def annual_years(project: Project) -> list[int]:
    folder = project.root / CONTENT_DIR / ANNUAL_DIR
    return sorted(
        (int(p.stem) for p in folder.glob("*.yml") if YEAR_FILE.fullmatch(p.stem)), reverse=True
    )


def annual_problems(project: Project) -> list[Problem]:
    found = []
    for year in annual_years(project):
        annual = load_annual(project, year)
        if annual is not None:
            found += annual.problems
    return found


def chart_svg(annual: Annual) -> str:
    """A bar chart of items published per month, as an image for the report page."""
    top = max(annual.monthly) or 1
    bars = []
    for m, n in enumerate(annual.monthly):
        h = round(160 * n / top)
        x = 50 + m * 45
        bars.append(
            f'<rect x="{x}" y="{190 - h}" width="30" height="{h}" fill="#a61b1b"/>'
            f'<text x="{x + 15}" y="{184 - h}" font-size="13" text-anchor="middle">{n}</text>'
            f'<text x="{x + 15}" y="210" font-size="13" text-anchor="middle">{m + 1}月</text>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="230" viewBox="0 0 600 230" role="img">'
        f"<title>{annual.year}年各月主动公开信息数量</title>"
        '<line x1="40" y1="190" x2="590" y2="190" stroke="#333"/>' + "".join(bars) + "</svg>"
    )


def report_tables(annual: Annual) -> dict[str, list]:
    """Every table of the report by part, as the one layout the page and the .docx draw."""
    return {
        "二": part2_tables(annual),
        "三": [part3_table(annual)],
        "四": [part4_table(annual)],
    }


def report_docx(annual: Annual, org_name: str) -> bytes:
    """The report as a Word document for the superior office: the web page's tables, cell for cell."""
    import docx

    document = docx.Document()
    document.add_heading(xml_safe(f"{org_name}{annual.year}年政府信息公开工作年度报告"), level=1)
    tables = report_tables(annual)
    parts = (
        (NARRATIVE[0], None),
        ("二、主动公开政府信息情况", "二"),
        ("三、收到和处理政府信息公开申请情况", "三"),
        ("四、政府信息公开行政复议、行政诉讼情况", "四"),
        (NARRATIVE[1], None),
        (NARRATIVE[2], None),
    )
    for title, part in parts:
        document.add_heading(title, level=2)
        if part is None:
            document.add_paragraph(xml_safe(annual.narrative.get(title) or "无。"))
            continue
        for table in tables[part]:
            add_docx_table(document, table)
            document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_context(annual: Annual, org_name: str) -> dict[str, object]:
    return {"r": annual, "org_name": org_name, "tables": report_tables(annual)}


def write_report(annual: Annual, org_name: str, out: Path) -> list[Path]:
    """`gongkai report annual`: the printable page (with its chart) and the .docx."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True)
    out.mkdir(parents=True, exist_ok=True)
    html = env.get_template("annual_standalone.html").render(**template_context(annual, org_name))
    files = {
        out / f"annual-{annual.year}.html": html.encode("utf-8"),
        out / "chart.svg": chart_svg(annual).encode("utf-8"),
        out / f"annual-{annual.year}.docx": report_docx(annual, org_name),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)
