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
from datetime import date
from pathlib import Path

from . import yamlsrc
from .loader import CONTENT_DIR, Project
from .model import Item
from .problems import Problem, error
from .schema import PUBLIC
from .textfile import read_text, xml_safe

ANNUAL_DIR = "annual"
COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# Part 三: (key in YAML, label, indent). Keys are what staff write; labels follow the template.
PART3_ROWS = (
    ("本年新收", "一、本年新收政府信息公开申请数量", 0),
    ("上年结转", "二、上年结转政府信息公开申请数量", 0),
    ("予以公开", "(一)予以公开", 1),
    ("部分公开", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 1),
    ("不予公开.国家秘密", "(三)不予公开 1.属于国家秘密", 1),
    ("不予公开.法律法规禁止", "2.其他法律行政法规禁止公开", 2),
    ("不予公开.三安全一稳定", "3.危及“三安全一稳定”", 2),
    ("不予公开.第三方权益", "4.保护第三方合法权益", 2),
    ("不予公开.内部事务", "5.属于三类内部事务信息", 2),
    ("不予公开.过程性信息", "6.属于四类过程性信息", 2),
    ("不予公开.执法案卷", "7.属于行政执法案卷", 2),
    ("不予公开.行政查询", "8.属于行政查询事项", 2),
    ("无法提供.不掌握", "(四)无法提供 1.本机关不掌握相关政府信息", 1),
    ("无法提供.需另行制作", "2.没有现成信息需要另行制作", 2),
    ("无法提供.补正后不明确", "3.补正后申请内容仍不明确", 2),
    ("不予处理.信访举报", "(五)不予处理 1.信访举报投诉类申请", 1),
    ("不予处理.重复申请", "2.重复申请", 2),
    ("不予处理.公开出版物", "3.要求提供公开出版物", 2),
    ("不予处理.大量反复", "4.无正当理由大量反复申请", 2),
    ("不予处理.确认或重新出具", "5.要求行政机关确认或重新出具已获取信息", 2),
    (
        "其他处理.逾期不补正",
        "(六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        1,
    ),
    (
        "其他处理.逾期不缴费",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        2,
    ),
    ("其他处理.其他", "3.其他", 2),
    ("总计", "(七)总计", 1),
    ("结转下年度", "四、结转下年度继续办理", 0),
)
RESULT_ROWS = tuple(key for key, _, _ in PART3_ROWS[2:23])
PART4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")
PART4_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
PART2_OTHER = (
    ("行政许可", "本年处理决定数量"),
    ("行政处罚", "本年处理决定数量"),
    ("行政强制", "本年处理决定数量"),
    ("行政事业性收费", "本年收费金额(单位:万元)"),
)
NARRATIVE = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
YEAR_FILE = re.compile(r"[12][0-9]{3}")  # content/annual/2025.yml: ASCII digits only
MAX_AMOUNT = 1e12  # 万元: larger is a typo, and would print in exponent form


def amount(value: float) -> str:
    """An amount as the report prints it: 236, 12.5, 1234567 (never 1.23457e+06)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


@dataclass
class Annual:
    year: int
    path: Path
    part2_computed: dict[str, dict[str, int]]
    part2_other: dict[str, float]
    part3: dict[str, list[int]]
    part4: dict[str, list[int]]
    narrative: dict[str, str]
    monthly: list[int]
    problems: list[Problem] = field(default_factory=list)

    def part2_text(self, key: str) -> str:
        """A 第二部分 figure as printed (templates)."""
        return amount(self.part2_other[key])


def _in_force(item: Item, day: date, repealed: dict[str, date]) -> bool:
    start = item.effective or item.date
    gone = repealed.get(item.index_no or "")
    return bool(
        start
        and start <= day
        and not (item.expires and item.expires < day)
        and not (gone and gone <= day)
    )


def part2_counts(project: Project, year: int) -> dict[str, dict[str, int]]:
    """本年制发 / 本年废止 / 现行有效 for 规章 and 行政规范性文件, from the items themselves."""
    published = [i for i in project.items if i.disclosure == PUBLIC and i.date and not i.withdrawn]
    repealed: dict[str, date] = {}
    for item in published:
        for number in item.repeals:
            if item.date and (number not in repealed or item.date < repealed[number]):
                repealed[number] = item.date
    end = date(year, 12, 31)
    counts = {}
    for label, flag in (("规章", "regulation"), ("行政规范性文件", "normative")):
        codes = {c.code for c in project.catalog.categories.values() if getattr(c, flag, False)}
        docs = [i for i in published if i.category in codes and i.type == "document"]
        made = sum(1 for i in docs if i.date and i.date.year == year)
        ended = sum(
            1
            for i in docs
            if (repealed.get(i.index_no or "") or date.min).year == year
            or (i.expires and i.expires.year == year and i.index_no not in repealed)
        )
        counts[label] = {
            "本年制发件数": made,
            "本年废止件数": ended,
            "现行有效件数": sum(1 for i in docs if _in_force(i, end, repealed)),
        }
    return counts


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
                f"{where} 应为 {width} 个非负整数的列表,例如 [{', '.join(['0'] * width)}]",
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
            error(path, src.line(key), "GK601", f"{key} 应为“名称: 数字”形式的键值结构")
        )
        return {}
    return value


def _part2(
    raw: dict, src: yamlsrc.Located, path: Path, problems: list[Problem]
) -> dict[str, float]:
    """第二部分 figures staff fill in: non-negative numbers (amounts in 万元 may have decimals)."""
    result = {}
    for key, _ in PART2_OTHER:
        value = raw.get(key)
        if value is None:
            value = 0
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 <= value < MAX_AMOUNT
        ):
            problems.append(
                error(
                    path,
                    src.line("part2", key),
                    "GK601",
                    f"第二部分“{key}”应为不小于 0 的数字(阿拉伯数字,不带单位和文字),"
                    f"例如 236 或 12.5,收到“{value}”",
                )
            )
            value = 0
        result[key] = float(value)
    return result


def load_annual(project: Project, year: int) -> Annual | None:
    path = project.root / CONTENT_DIR / ANNUAL_DIR / f"{year}.yml"
    if not YEAR_FILE.fullmatch(str(year)) or not path.is_file():
        return None
    text, problem = read_text(path)
    problems: list[Problem] = [problem] if problem else []
    data: dict = {}
    src = yamlsrc.Located({})
    if not problems:
        try:
            src = yamlsrc.load(text)
            data = src.data if isinstance(src.data, dict) else {}
        except yamlsrc.YamlSyntaxError as exc:
            problems.append(error(path, exc.line, "GK601", exc.message))
    part3_raw = _mapping(data, "part3", src, path, problems)
    part3 = {
        key: _numbers(
            part3_raw.get(key), 7, f"第三部分“{label}”", src, path, ("part3", key), problems
        )
        for key, label, _ in PART3_ROWS
    }
    part4_raw = _mapping(data, "part4", src, path, problems)
    part4 = {
        g: _numbers(part4_raw.get(g), 5, f"第四部分“{g}”", src, path, ("part4", g), problems)
        for g in PART4_GROUPS
    }
    other = _part2(_mapping(data, "part2", src, path, problems), src, path, problems)
    annual = Annual(
        year,
        path,
        part2_counts(project, year),
        other,
        part3,
        part4,
        _narrative(project, year, problems),
        _monthly(project, year),
        problems,
    )
    annual.problems += arithmetic(annual, src)
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


def _monthly(project: Project, year: int) -> list[int]:
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
                f"第三部分“{row}”行“{COLUMNS[col]}”列:{message}",
            )
        )

    for key, _, _ in PART3_ROWS:
        if sum(p3[key][:6]) != p3[key][6]:
            cell(key, 6, f"总计 {p3[key][6]} 不等于前六列之和 {sum(p3[key][:6])}")
    for col in range(7):
        total = sum(p3[row][col] for row in RESULT_ROWS)
        if total != p3["总计"][col]:
            cell("总计", col, f"(七)总计 {p3['总计'][col]} 不等于(一)至(六)之和 {total}")
        left = p3["本年新收"][col] + p3["上年结转"][col]
        right = p3["总计"][col] + p3["结转下年度"][col]
        if left != right:
            cell(
                "结转下年度",
                col,
                f"本年新收 + 上年结转 = {left},总计 + 结转下年度 = {right},两者应相等",
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


def report_docx(annual: Annual, org_name: str) -> bytes:
    """The report as a Word document for the superior office."""
    import docx

    document = docx.Document()
    document.add_heading(xml_safe(f"{org_name}{annual.year}年政府信息公开工作年度报告"), level=1)
    for title in NARRATIVE[:1]:
        document.add_heading(title, level=2)
        document.add_paragraph(xml_safe(annual.narrative.get(title) or ""))
    document.add_heading("二、主动公开政府信息情况", level=2)
    table = document.add_table(rows=1, cols=4, style="Table Grid")
    for c, h in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        table.cell(0, c).text = h
    for label, counts in annual.part2_computed.items():
        cells = table.add_row().cells
        cells[0].text = label
        for c, key in enumerate(("本年制发件数", "本年废止件数", "现行有效件数"), 1):
            cells[c].text = str(counts[key])
    other = document.add_table(rows=0, cols=3, style="Table Grid")
    for key, label in PART2_OTHER:
        cells = other.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = key, label, annual.part2_text(key)
    document.add_heading("三、收到和处理政府信息公开申请情况", level=2)
    table = document.add_table(rows=1, cols=8, style="Table Grid")
    for c, h in enumerate(
        ("本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和", *COLUMNS)
    ):
        table.cell(0, c).text = h
    for key, label, _ in PART3_ROWS:
        cells = table.add_row().cells
        cells[0].text = label
        for c, n in enumerate(annual.part3[key], 1):
            cells[c].text = str(n)
    document.add_heading("四、政府信息公开行政复议、行政诉讼情况", level=2)
    table = document.add_table(rows=1, cols=16, style="Table Grid")
    for g, group in enumerate(PART4_GROUPS):
        for c, h in enumerate(PART4_COLUMNS):
            table.cell(0, 1 + g * 5 + c).text = f"{group}{h}"
    cells = table.add_row().cells
    cells[0].text = "件数"
    for g, group in enumerate(PART4_GROUPS):
        for c, n in enumerate(annual.part4[group]):
            cells[1 + g * 5 + c].text = str(n)
    for title in NARRATIVE[1:]:
        document.add_heading(title, level=2)
        document.add_paragraph(xml_safe(annual.narrative.get(title) or "无。"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_context(annual: Annual, org_name: str) -> dict[str, object]:
    return {
        "r": annual,
        "org_name": org_name,
        "columns": COLUMNS,
        "part2_other": PART2_OTHER,
        "part3_rows": PART3_ROWS,
        "part4_groups": PART4_GROUPS,
        "part4_columns": PART4_COLUMNS,
    }


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
