"""The annual report as data: every number of the national template's tables with its row and
column labels, as JSON and as CSV (with a BOM, for Excel), so that a district can add up its
departments' reports. Made from the same table layout the page and the Word document draw."""

from __future__ import annotations

import csv
import io
import json

from generator.reports.annual import Annual, report_tables
from generator.reports.annual_tables import Cell, Table, grid

FORMAT = "gongkai-annual/1"
CSV_COLUMNS = ("表格", "行", "列", "数值")
LABEL_JOIN = " / "  # between the levels of a row or column label in the CSV


def _labels(cells: list[tuple[int, Cell]]) -> list[str]:
    """The header cells' texts in order, each spanning cell once."""
    seen: list[int] = []
    texts = []
    for number, cell in cells:
        if cell.header and number not in seen:
            seen.append(number)
            texts.append(cell.text)
    return texts


def table_records(table: Table) -> list[dict[str, object]]:
    """One record per value cell: its table, row labels, column labels and value."""
    placed = grid(table)
    heads = len(table.head)
    records = []
    for r in range(heads, len(placed)):
        row = placed[r]
        row_labels = _labels(row)
        for c, (_number, cell) in enumerate(row):
            if cell.header:
                continue
            column = _labels([placed[h][c] for h in range(heads)])
            records.append(
                {"table": table.name, "row": row_labels, "column": column, "value": cell.text}
            )
    return records


def records(annual: Annual) -> list[dict[str, object]]:
    return [
        r for tables in report_tables(annual).values() for t in tables for r in table_records(t)
    ]


def report_json(annual: Annual, org_name: str) -> str:
    data = {
        "format": FORMAT,
        "organization": org_name,
        "year": annual.year,
        "records": records(annual),
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def report_csv(annual: Annual) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records(annual):
        writer.writerow(
            [
                record["table"],
                LABEL_JOIN.join(record["row"]),
                LABEL_JOIN.join(record["column"]),
                record["value"],
            ]
        )
    return out.getvalue()
