"""The annual report's tables as one layout (cells with their spans), drawn by both the web
page (`templates/annual_tables.html`) and the Word version, so the two are the same table.

The layout follows the annex of 国办公开办函〔2021〕30号 (中华人民共和国政府信息公开工作年度报告格式).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.core.annual_data import (
    COLUMNS,
    PART2_TABLES,
    PART3_ROWS,
    PART4_COLUMNS,
    PART4_GROUPS,
)

if TYPE_CHECKING:
    from generator.reports.annual import Annual

LABEL_DEPTH = 3  # row-header columns of part 三

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
