"""The annual report as data (JSON and CSV): every number of the page's tables, with its labels."""

from __future__ import annotations

from generator.reports.annual_export import table_records
from generator.reports.annual_tables import Cell, Table


def test_spanning_headers_label_every_value_they_cover():
    table = Table(
        "三",
        head=[
            [Cell("", rowspan=2, colspan=2), Cell("申请人情况", colspan=2, scope="colgroup")],
            [Cell("自然人", scope="col"), Cell("法人", scope="col")],
        ],
        body=[
            [Cell("一、收到申请", colspan=2, scope="row"), Cell("5", False), Cell("2", False)],
            [Cell("二、办理结果", rowspan=2, scope="rowgroup"), Cell("（一）公开", scope="row")]
            + [Cell("3", False), Cell("1", False)],
            [Cell("（二）不公开", scope="row"), Cell("2", False), Cell("0", False)],
        ],
    )
    found = [(r["row"], r["column"], r["value"]) for r in table_records(table)]
    assert found == [
        (["一、收到申请"], ["申请人情况", "自然人"], "5"),
        (["一、收到申请"], ["申请人情况", "法人"], "2"),
        (["二、办理结果", "（一）公开"], ["申请人情况", "自然人"], "3"),
        (["二、办理结果", "（一）公开"], ["申请人情况", "法人"], "1"),
        (["二、办理结果", "（二）不公开"], ["申请人情况", "自然人"], "2"),
        (["二、办理结果", "（二）不公开"], ["申请人情况", "法人"], "0"),
    ]
