"""The annual report written out: the tables by part (one layout, generator/reports/annual_tables.py),
the Word document for the superior office, and `gongkai report annual`'s printable page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.annual_data import NARRATIVE
from generator.core.textfile import xml_safe
from generator.reports.annual_chart import chart_svg
from generator.reports.annual_tables import add_docx_table, part2_tables, part3_table, part4_table

if TYPE_CHECKING:
    from generator.reports.annual import Annual

PARTS = (
    (NARRATIVE[0], None),
    ("二、主动公开政府信息情况", "二"),
    ("三、收到和处理政府信息公开申请情况", "三"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四"),
    (NARRATIVE[1], None),
    (NARRATIVE[2], None),
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
    for title, part in PARTS:
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
    """`gongkai report annual`: the printable page (with its chart), the .docx, and the
    figures as data (JSON, and CSV for Excel), as the site publishes them."""
    import jinja2

    # here, not at the top: annual_export reads the tables this module draws
    from generator.reports.annual_export import report_csv, report_json

    env = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True)
    out.mkdir(parents=True, exist_ok=True)
    html = env.get_template("annual_standalone.html").render(**template_context(annual, org_name))
    files = {
        out / f"annual-{annual.year}.html": html.encode("utf-8"),
        out / "chart.svg": chart_svg(annual).encode("utf-8"),
        out / f"annual-{annual.year}.docx": report_docx(annual, org_name),
        out / f"annual-{annual.year}.json": report_json(annual, org_name).encode("utf-8"),
        out / f"annual-{annual.year}.csv": report_csv(annual).encode("utf-8"),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)
