"""The annual report's tables as one layout (cells with their spans), drawn by both the web
page (`templates/annual_tables.html`) and the Word version, so the two are the same table.

The layout follows the annex of 国办公开办函〔2021〕30号 (中华人民共和国政府信息公开工作年度报告格式).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.reports.annual import Annual

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
LABEL_DEPTH = 3  # row-header columns of part 三
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
PART2_COUNTS = ("本年制发件数", "本年废止件数", "现行有效件数")


@dataclass(frozen=True)
class Cell:
    text: str
    header: bool = True
    rowspan: int = 1
    colspan: int = 1
    scope: str = ""  # col, colgroup, row, rowgroup (for header cells)


@dataclass
class Table:
    """HTML-style rows: each row lists only the cells that start in it."""

    name: str
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)

    @property
    def rows(self) -> list[list[Cell]]:
        return self.head + self.body


def _value(text: object) -> Cell:
    return Cell(str(text), header=False)


def part2_tables(annual: Annual) -> list[Table]:
    """Part 二: one table per item of art. 20, each with its caption row and its own headers."""
    first = Table(
        "二（一）",
        head=[
            [Cell("第二十条第（一）项", colspan=4, scope="colgroup")],
            [Cell("信息内容", scope="col"), *(Cell(h, scope="col") for h in PART2_COUNTS)],
        ],
        body=[
            [Cell(label, scope="row"), *(_value(counts[h]) for h in PART2_COUNTS)]
            for label, counts in annual.part2_computed.items()
        ],
    )
    tables = [first]
    for caption, header, rows in PART2_TABLES:
        tables.append(
            Table(
                "二" + caption[caption.index("（") : caption.index("）") + 1],  # 二（五）
                head=[
                    [Cell(caption, colspan=2, scope="colgroup")],
                    [Cell("信息内容", scope="col"), Cell(header, scope="col")],
                ],
                body=[
                    [Cell(label, scope="row"), _value(annual.part2_text(key))]
                    for key, label in rows
                ],
            )
        )
    return tables


def _label_cells(paths: list[tuple[str, ...]], depth: int) -> list[list[Cell]]:
    """Row-header cells for label paths: a part spans the following rows that share the path up
    to it, and the last part of a short path spans the remaining label columns."""
    rows: list[list[Cell]] = []
    for r, path in enumerate(paths):
        cells = []
        for d, part in enumerate(path):
            if r > 0 and paths[r - 1][: d + 1] == path[: d + 1]:
                continue  # covered by the cell above
            span = 1
            while r + span < len(paths) and paths[r + span][: d + 1] == path[: d + 1]:
                span += 1
            last = d == len(path) - 1
            cells.append(
                Cell(
                    part,
                    rowspan=1 if last else span,
                    colspan=depth - d if last else 1,
                    scope="row" if last else "rowgroup",
                )
            )
        rows.append(cells)
    return rows


def part3_table(annual: Annual) -> Table:
    head = [
        [
            Cell(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                rowspan=3,
                colspan=LABEL_DEPTH,
            ),
            Cell("申请人情况", colspan=7, scope="colgroup"),
        ],
        [
            Cell(COLUMNS[0], rowspan=2, scope="col"),
            Cell("法人或其他组织", colspan=5, scope="colgroup"),
            Cell(COLUMNS[6], rowspan=2, scope="col"),
        ],
        [Cell(c, scope="col") for c in COLUMNS[1:6]],
    ]
    labels = _label_cells([path for _, path in PART3_ROWS], LABEL_DEPTH)
    body = [
        label + [_value(n) for n in annual.part3[key]]
        for label, (key, _) in zip(labels, PART3_ROWS, strict=True)
    ]
    return Table("三", head, body)


def part4_table(annual: Annual) -> Table:
    head = [
        [
            Cell("行政复议", colspan=5, scope="colgroup"),
            Cell("行政诉讼", colspan=10, scope="colgroup"),
        ],
        [
            *(Cell(c, rowspan=2, scope="col") for c in PART4_COLUMNS),
            *(Cell(g, colspan=5, scope="colgroup") for g in PART4_GROUPS[1:]),
        ],
        [Cell(c, scope="col") for _ in PART4_GROUPS[1:] for c in PART4_COLUMNS],
    ]
    body = [[_value(n) for g in PART4_GROUPS for n in annual.part4[g]]]
    return Table("四", head, body)


def grid(table: Table) -> list[list[tuple[int, Cell]]]:
    """Every grid position with the number of the cell covering it (rowspan and colspan expanded)."""
    placed: dict[tuple[int, int], tuple[int, Cell]] = {}
    number = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    placed[(r + dr, c + dc)] = (number, cell)
            number += 1
            c += cell.colspan
    height = max(r for r, _ in placed) + 1
    width = max(c for _, c in placed) + 1
    return [[placed[(r, c)] for c in range(width)] for r in range(height)]


def add_docx_table(document, table: Table) -> None:  # noqa: ANN001 (python-docx Document)
    """Draw the layout in Word: the same grid, spans merged, header cells in bold."""
    from generator.core.textfile import xml_safe

    cells = grid(table)
    out = document.add_table(rows=len(cells), cols=len(cells[0]), style="Table Grid")
    first: dict[int, tuple[int, int]] = {}
    last: dict[int, tuple[int, int]] = {}
    for r, row in enumerate(cells):
        for c, (number, _) in enumerate(row):
            first.setdefault(number, (r, c))
            last[number] = (r, c)
    for number, (r, c) in first.items():
        cell = cells[r][c][1]
        target = out.cell(r, c)
        if last[number] != (r, c):
            target = target.merge(out.cell(*last[number]))
        run = target.paragraphs[0].add_run(xml_safe(cell.text))
        run.bold = cell.header
    for r in range(len(table.head)):
        _repeat_header(out.rows[r])


def _repeat_header(row) -> None:  # noqa: ANN001 (python-docx _Row)
    """Header rows repeat on each printed page of a long table."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)
