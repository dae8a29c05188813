"""依申请公开: the 公开指南 and 依申请公开 pages and the application form (page and .docx),
all from the catalog's `requests` section and deadline rules."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from generator.core.catalog import Catalog
from generator.core.textfile import xml_safe

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
REQUEST_ROWS = ("所需政府信息的名称、文号或者便于查询的其他特征性描述", "所需信息的用途（选填）")
DELIVERY = ("纸质", "电子邮件", "光盘", "其他")
PICKUP = ("邮寄", "电子邮件", "当面领取", "其他")
# 条例第四十二条 and 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号): the same words on the
# 指南, the 依申请公开 page and the form (page and .docx).
FEE_SOURCE = "《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
FEE_RULES = (
    "本机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，"
    "本机关可以收取信息处理费。",
    "按件计收：同一申请人一个自然月内累计申请 10 件以下（含 10 件）的，不收费；11—30 件（含 30 件）的部分，"
    "每件 100 元；31 件以上的部分，以 10 件为一档，每增加一档，收费标准每件提高 100 元。",
    "按量计收：同一政府信息公开申请中，同一申请人要求提供的政府信息 30 页以下（含 30 页）的，不收费；"
    "31—100 页（含 100 页）的部分，每页 10 元；101—200 页（含 200 页）的部分，每页 20 元；"
    "201 页以上的部分，每页 40 元。",
    "两种标准对同一件申请只适用其中一种，不重复计算。收费前，本机关将向申请人出具收费通知，"
    "说明收费的依据、标准和数额。",
    "申请人确有经济困难的，可以申请减免信息处理费，本机关依法审核后予以减免。",
)


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
        "fee_source": FEE_SOURCE,
        "fee_rules": FEE_RULES,
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
            table.cell(r, 0).text = f"申请人信息（{group}）" if n == 0 else ""
            table.cell(r, 1).text = name
            r += 1
    for name in REQUEST_ROWS:
        table.cell(r, 0).text = "所需信息情况"
        table.cell(r, 1).text = name
        r += 1
    table.cell(r, 0).text = "获取信息的方式"
    table.cell(r, 2).text = (
        "  ".join(f"□{d}" for d in DELIVERY) + "\n获取途径：" + "  ".join(f"□{p}" for p in PICKUP)
    )
    table.cell(r + 1, 0).text = "申请人签名或者盖章"
    table.cell(r + 2, 0).text = "申请时间"
    table.cell(r + 2, 2).text = "        年    月    日"
    contacts = "；".join(f"{label}:{value}" for label, value in context(catalog)["contacts"])  # type: ignore[union-attr]
    document.add_paragraph(xml_safe(f"受理机构及联系方式：{contacts}"))
    document.add_paragraph(f"收费说明（依据{FEE_SOURCE}）：")
    for rule in FEE_RULES:
        document.add_paragraph(rule)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
