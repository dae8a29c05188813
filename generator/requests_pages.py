"""依申请公开: the 公开指南 and 依申请公开 pages and the application form (page and .docx),
all from the catalog's `requests` section and deadline rules."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .catalog import Catalog
from .textfile import xml_safe

FORM_DOCX = "ysqgk/shenqingbiao.docx"
CONTACT_LABELS = (
    ("office", "受理机构"),
    ("address", "通信地址"),
    ("postcode", "邮政编码"),
    ("hours", "办公时间"),
    ("phone", "咨询电话"),
    ("fax", "传真"),
    ("email", "电子邮箱"),
    ("online", "网上申请"),
)
# The contents a request must have (条例第二十九条), as rows of the form.
APPLICANT_ROWS = (
    (
        "公民",
        (
            "姓名",
            "证件名称",
            "证件号码",
            "工作单位",
            "联系电话",
            "电子邮箱",
            "通信地址",
            "邮政编码",
        ),
    ),
    (
        "法人或其他组织",
        (
            "名称",
            "统一社会信用代码",
            "法定代表人或负责人",
            "联系人",
            "联系电话",
            "电子邮箱",
            "通信地址",
            "邮政编码",
        ),
    ),
)
REQUEST_ROWS = ("所需政府信息的名称、文号或者便于查询的其他特征性描述", "所需信息的用途(选填)")
DELIVERY = ("纸质", "电子邮件", "光盘", "其他")
PICKUP = ("邮寄", "电子邮件", "当面领取", "其他")


def context(catalog: Catalog) -> dict[str, object]:
    rules = catalog.rules
    contacts = [
        (label, catalog.requests[key]) for key, label in CONTACT_LABELS if catalog.requests.get(key)
    ]
    return {
        "kind": "requests",
        "org_name": catalog.org_name,
        "contacts": contacts,
        "reply_days": rules.request_reply_workdays,
        "extension_days": rules.request_extension_workdays,
        "publish_days": rules.publish_within_workdays,
        "applicant_rows": APPLICANT_ROWS,
        "request_rows": REQUEST_ROWS,
        "delivery": DELIVERY,
        "pickup": PICKUP,
        "form_docx": FORM_DOCX,
        "configured": bool(catalog.requests),
    }


def form_docx(catalog: Catalog) -> bytes:
    """The printable application form as a Word document."""
    document = docx.Document()
    title = document.add_paragraph(xml_safe(f"{catalog.org_name}政府信息公开申请表"))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].bold = True
    rows = sum(len(fields) for _, fields in APPLICANT_ROWS) + len(REQUEST_ROWS) + 3
    table = document.add_table(rows=rows, cols=3)
    table.style = "Table Grid"
    r = 0
    for group, fields in APPLICANT_ROWS:
        for n, name in enumerate(fields):
            table.cell(r, 0).text = f"申请人信息({group})" if n == 0 else ""
            table.cell(r, 1).text = name
            r += 1
    for name in REQUEST_ROWS:
        table.cell(r, 0).text = "所需信息情况"
        table.cell(r, 1).text = name
        r += 1
    table.cell(r, 0).text = "获取信息的方式"
    table.cell(r, 2).text = (
        "  ".join(f"□{d}" for d in DELIVERY) + "\n获取途径:" + "  ".join(f"□{p}" for p in PICKUP)
    )
    table.cell(r + 1, 0).text = "申请人签名或者盖章"
    table.cell(r + 2, 0).text = "申请时间"
    table.cell(r + 2, 2).text = "        年    月    日"
    contacts = "；".join(f"{label}:{value}" for label, value in context(catalog)["contacts"])  # type: ignore[union-attr]
    document.add_paragraph(xml_safe(f"受理机构及联系方式:{contacts}"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
