"""The annual report's data, `content/annual/YEAR.yml` (what only the bureau knows: part 二's
decisions and fee, part 三's requests, part 四's reviews and lawsuits) and `YEAR.md` (the
narrative parts), declared once as a shape (generator/core/yamlshape.py) and read once per load
of the project (generator/core/project.py). The rows follow the annex of 国办公开办函〔2021〕30号.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.core import yamlsrc
from generator.core.problems import Problem, error
from generator.core.textfile import read_text
from generator.core.yamlshape import ERROR, Invalid, Key, Mapping, Unknown, Value, Walk

ANNUAL_DIR = "annual"  # under content/
# Part 三's 7 number columns, in the template's order (the five in the middle are 法人或其他组织).
COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
RECEIVED = "三、本年度办理结果"
# Part 三's rows: (key in YAML, label path). A label path's parts are the template's row-header
# columns; consecutive rows sharing a part share one merged cell.
PART3_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("本年新收", ("一、本年新收政府信息公开申请数量",)),
    ("上年结转", ("二、上年结转政府信息公开申请数量",)),
    ("予以公开", (RECEIVED, "（一）予以公开")),
    ("部分公开", (RECEIVED, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ("不予公开.国家秘密", (RECEIVED, "（三）不予公开", "1.属于国家秘密")),
    ("不予公开.法律法规禁止", (RECEIVED, "（三）不予公开", "2.其他法律行政法规禁止公开")),
    ("不予公开.三安全一稳定", (RECEIVED, "（三）不予公开", "3.危及“三安全一稳定”")),
    ("不予公开.第三方权益", (RECEIVED, "（三）不予公开", "4.保护第三方合法权益")),
    ("不予公开.内部事务", (RECEIVED, "（三）不予公开", "5.属于三类内部事务信息")),
    ("不予公开.过程性信息", (RECEIVED, "（三）不予公开", "6.属于四类过程性信息")),
    ("不予公开.执法案卷", (RECEIVED, "（三）不予公开", "7.属于行政执法案卷")),
    ("不予公开.行政查询", (RECEIVED, "（三）不予公开", "8.属于行政查询事项")),
    ("无法提供.不掌握", (RECEIVED, "（四）无法提供", "1.本机关不掌握相关政府信息")),
    ("无法提供.需另行制作", (RECEIVED, "（四）无法提供", "2.没有现成信息需要另行制作")),
    ("无法提供.补正后不明确", (RECEIVED, "（四）无法提供", "3.补正后申请内容仍不明确")),
    ("不予处理.信访举报", (RECEIVED, "（五）不予处理", "1.信访举报投诉类申请")),
    ("不予处理.重复申请", (RECEIVED, "（五）不予处理", "2.重复申请")),
    ("不予处理.公开出版物", (RECEIVED, "（五）不予处理", "3.要求提供公开出版物")),
    ("不予处理.大量反复", (RECEIVED, "（五）不予处理", "4.无正当理由大量反复申请")),
    (
        "不予处理.确认或重新出具",
        (RECEIVED, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ),
    (
        "其他处理.逾期不补正",
        (
            RECEIVED,
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
    ),
    (
        "其他处理.逾期不缴费",
        (
            RECEIVED,
            "（六）其他处理",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
    ),
    ("其他处理.其他", (RECEIVED, "（六）其他处理", "3.其他")),
    ("总计", (RECEIVED, "（七）总计")),
    ("结转下年度", ("四、结转下年度继续办理",)),
)
PART4_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
PART4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# Part 二: (caption, value header, ((key in YAML, row label), ...)). 第(一)项 is computed.
PART2_TABLES = (
    ("第二十条第（五）项", "本年处理决定数量", (("行政许可", "行政许可"),)),
    (
        "第二十条第（六）项",
        "本年处理决定数量",
        (("行政处罚", "行政处罚"), ("行政强制", "行政强制")),
    ),
    ("第二十条第（八）项", "本年收费金额（单位：万元）", (("行政事业性收费", "行政事业性收费"),)),
)
NARRATIVE = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
YEAR_FILE = re.compile(r"[12][0-9]{3}")  # content/annual/2025.yml: ASCII digits only
AMOUNTS = frozenset({"行政事业性收费"})  # 万元; the other part 二 figures count decisions
# 万元, below 10 billion with at most 4 decimals: at most 14 digits, which a float holds exactly,
# so the shortest form of the value read is the number as written
MAX_AMOUNT = Decimal("1e10")
DECIMALS = 4
MAX_COUNT = 10**12
CODE = "GK601"
REFUSED = Unknown(CODE, ERROR, refused=True)  # a misspelt row would silently count as 0


def numbers(width: int) -> Value:
    def read(value: Any) -> list[int]:
        if (
            not isinstance(value, list)
            or len(value) != width
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        ):
            raise Invalid(f"应为 {width} 个非负整数的列表，例如 [{', '.join(['0'] * width)}]")
        return list(value)

    return Value(read, CODE)


def _figure(key: str, value: object) -> Decimal | None:
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


def figure(key: str) -> Value:
    hint = (
        "不小于 0 的金额（单位万元，最多 4 位小数，只写阿拉伯数字），例如 12.5"
        if key in AMOUNTS
        else "不小于 0 的整数（只写阿拉伯数字，不带单位和文字），例如 236"
    )

    def read(value: Any) -> Decimal:
        number = _figure(key, value)
        if number is None:
            raise Invalid(f"应为{hint}，收到“{value}”")
        return number

    return Value(read, CODE)


PART2 = Mapping(
    tuple(
        Key(key, f"第二部分 {caption} {label}", figure(key), default=Decimal(0))
        for caption, _, rows in PART2_TABLES
        for key, label in rows
    ),
    unknown=REFUSED,
    hint="每行写“名称: 数字”",
    code=CODE,
)
PART3 = Mapping(
    tuple(
        Key(key, "第三部分 " + " ".join(path), numbers(7), default=[0] * 7)
        for key, path in PART3_ROWS
    ),
    unknown=REFUSED,
    hint="每行写“名称: [7 个数字]”",
    code=CODE,
)
PART4 = Mapping(
    tuple(Key(g, f"第四部分 {g}", numbers(5), default=[0] * 5) for g in PART4_GROUPS),
    unknown=REFUSED,
    hint="每行写“名称: [5 个数字]”",
    code=CODE,
)
ANNUAL = Mapping(
    (
        # the file's name says the year; this key is a note for people (tests copy one year's
        # file to the next without changing it), so it is read as it is
        Key("year", "报告年度", Value(lambda value: value, CODE)),
        Key("part2", "第二部分 主动公开政府信息情况", PART2),
        Key("part3", "第三部分 收到和处理政府信息公开申请情况", PART3),
        Key("part4", "第四部分 政府信息公开行政复议、行政诉讼情况", PART4),
    ),
    unknown=REFUSED,
    hint="year、part2、part3、part4",
    code=CODE,
)


@dataclass
class AnnualData:
    """One year's file, read: figures (zeros where missing or refused), narrative, problems."""

    year: int
    path: Path
    part2_other: dict[str, Decimal]
    part3: dict[str, list[int]]
    part4: dict[str, list[int]]
    narrative: dict[str, str]
    src: yamlsrc.Located  # for the lines of the sums checked later
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # not a readable YAML mapping: its figures are not its own
    refused_rows: frozenset[str] = frozenset()  # part 三 rows written badly (reported)

    def line(self, *key: str | int) -> int:
        return self.src.line(*key)


def annual_files(content_dir: Path) -> dict[int, Path]:
    """content/annual/YEAR.yml by year (other names are not reports)."""
    folder = content_dir / ANNUAL_DIR
    found = (p for p in folder.glob("*.yml") if YEAR_FILE.fullmatch(p.stem) and p.is_file())
    return {int(p.stem): p for p in found}


def load_all(content_dir: Path) -> dict[int, AnnualData]:
    return {year: load_year(year, path) for year, path in sorted(annual_files(content_dir).items())}


def load_year(year: int, path: Path) -> AnnualData:
    src, problems = _parse(path)
    walk = Walk(path, src)
    walk.duplicates(CODE)
    data = walk.walk(ANNUAL, src.data)
    unreadable = bool(problems) or data is None
    if data is None:  # not a mapping at all: reported, read as empty
        data = Walk(path, src).walk(ANNUAL, {})
    problems += walk.problems
    return AnnualData(
        year=year,
        path=path,
        part2_other=dict(data["part2"]),
        part3=dict(data["part3"]),
        part4=dict(data["part4"]),
        narrative=read_narrative(path.with_suffix(".md"), problems),
        src=src,
        problems=problems,
        unreadable=unreadable,
        refused_rows=data["part3"].refused,
    )


def _parse(path: Path) -> tuple[yamlsrc.Located, list[Problem]]:
    text, problem = read_text(path)
    if problem is not None:
        return yamlsrc.Located({}), [problem]
    try:
        return yamlsrc.load(text), []
    except yamlsrc.YamlSyntaxError as exc:
        return yamlsrc.Located({}), [error(path, exc.line, CODE, exc.message)]


def read_narrative(path: Path, problems: list[Problem]) -> dict[str, str]:
    """Parts 一, 五 and 六 from YEAR.md, by their headings."""
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
