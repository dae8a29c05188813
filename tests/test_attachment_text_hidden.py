"""Text an Office or PDF attachment holds where a reader does not usually look is screened too:
the file is published byte for byte (generator/core/doctext.py, generator/core/ooxmltext.py).
Every package here is built by hand, so every byte is the test's."""

from __future__ import annotations

import pytest
from hostile_docx import NAMESPACES, docx_bytes, esc, p, png, zip_bytes

from generator.core import doctext
from generator.core.doctext import UnreadableAttachment, attachment_text

ID = "11010519491231002X"
MOBILE = "13812345678"
SECRET = "机密★10年"
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def part(root: str, inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><{root} {NAMESPACES}>{inner}</{root}>'


def text_box(inner: str, fallback: str | None = None) -> str:
    """A Word text box as Word writes it: the shape for new readers, VML for old ones."""
    fallback = inner if fallback is None else fallback
    return (
        f"<w:p>{run('见右侧：')}<w:r><mc:AlternateContent {MC} {WPS}>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx><w:txbxContent>{p(inner)}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{p(fallback)}</w:txbxContent></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


DOCX_BODIES = {
    "content control": f"<w:sdt><w:sdtPr><w:alias w:val='附'/></w:sdtPr><w:sdtContent>{p(ID)}"
    "</w:sdtContent></w:sdt>",
    "inline content control": f"<w:p><w:sdt><w:sdtContent>{run(ID)}</w:sdtContent></w:sdt></w:p>",
    "tracked insertion split": f"<w:p>{run('138')}<w:ins w:id='1' w:author='甲'>{run('1234')}"
    f"</w:ins>{run('5678')}</w:p>",
    "tracked deletion": "<w:p><w:del w:id='2' w:author='甲'><w:r><w:delText>"
    f"{ID}</w:delText></w:r></w:del></w:p>",
    "smart tag": f"<w:p><w:smartTag w:element='phone'>{run(MOBILE)}</w:smartTag></w:p>",
    "simple field": f"<w:p><w:fldSimple w:instr=' DOCPROPERTY x '>{run(ID)}</w:fldSimple></w:p>",
    "field code": f"<w:p><w:r><w:instrText> QUOTE &quot;{ID}&quot; </w:instrText></w:r></w:p>",
    "text box": text_box(SECRET),
    "nested table": "<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>"
    f"{p(MOBILE)}</w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>",
    "xml comment inside a run": "<w:p><w:r><w:t>138<!-- x -->12345678</w:t></w:r></w:p>",
    "character references": "<w:p>" + run("").replace("</w:t>", "&#49;&#51;&#56;</w:t>")
    + run("12345678") + "</w:p>",
}  # fmt: skip

WANTED = {
    "content control": ID,
    "inline content control": ID,
    "tracked insertion split": MOBILE,
    "tracked deletion": ID,
    "smart tag": MOBILE,
    "simple field": ID,
    "field code": ID,
    "text box": SECRET,
    "nested table": MOBILE,
    "xml comment inside a run": MOBILE,
    "character references": MOBILE,
}


@pytest.mark.parametrize("where", sorted(DOCX_BODIES))
def test_word_text_outside_plain_paragraphs_is_read(tmp_path, where):
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(DOCX_BODIES[where]))
    assert WANTED[where] in attachment_text(path)


DOCX_PARTS = {
    "word/footnotes.xml": part("w:footnotes", f"<w:footnote w:id='1'>{p(ID)}</w:footnote>"),
    "word/endnotes.xml": part("w:endnotes", f"<w:endnote w:id='1'>{p(MOBILE)}</w:endnote>"),
    "word/comments.xml": part("w:comments", f"<w:comment w:id='0'>{p(SECRET)}</w:comment>"),
    "word/glossary/document.xml": part("w:glossaryDocument", f"<w:docParts>{p(ID)}</w:docParts>"),
    "word/header9.xml": part("w:hdr", p(MOBILE)),  # a part no relationship points at
    "docProps/core.xml": '<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>'
    f"{SECRET}</dc:title><cp:keywords>{ID}</cp:keywords></cp:coreProperties>",
    "customXml/item1.xml": f"<root><phone>{MOBILE}</phone></root>",
}


@pytest.mark.parametrize("name", sorted(DOCX_PARTS))
def test_every_part_of_a_word_file_is_read(tmp_path, name):
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(parts={name: DOCX_PARTS[name]}))
    text = attachment_text(path)
    assert any(value in text for value in (ID, MOBILE, SECRET))


def test_word_text_is_still_read_in_order_with_tables_headers_and_footers(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("第一段")
    document.add_table(rows=1, cols=2).cell(0, 1).text = MOBILE
    document.sections[0].header.paragraphs[0].text = SECRET
    document.sections[0].footer.paragraphs[0].text = ID
    document.save(str(tmp_path / "a.docx"))
    lines = attachment_text(tmp_path / "a.docx").split("\n")
    assert lines[:2] == ["第一段", MOBILE]
    assert SECRET in lines and ID in lines


def test_tracked_changes_give_the_paragraph_before_and_after(tmp_path):
    body = (
        f"<w:p>{run('电话138')}<w:del w:id='1' w:author='甲'><w:r><w:delText>0000</w:delText>"
        f"</w:r></w:del><w:ins w:id='2' w:author='甲'>{run('1234')}</w:ins>{run('5678')}</w:p>"
    )
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(body))
    lines = attachment_text(path).split("\n")
    assert "电话13812345678" in lines and "电话13800005678" in lines


def test_a_text_box_word_writes_twice_is_read_once_unless_its_copies_differ(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(text_box(SECRET)))
    assert attachment_text(path).count(SECRET) == 1
    path.write_bytes(docx_bytes(text_box("无", fallback=SECRET)))
    assert SECRET in attachment_text(path)


def test_an_entity_a_doctype_declares_is_read_never_expanded(tmp_path):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 12))
    doctype = f'<!DOCTYPE x [<!ENTITY l0 "{MOBILE}">{laughs}]>'
    path = tmp_path / "a.xlsx"
    path.write_bytes(
        zip_bytes({"xl/sharedStrings.xml": f"{doctype}<sst><si><t>&l11;</t></si></sst>"})
    )
    text = attachment_text(path)
    assert MOBILE in text and len(text) < 10_000


def xlsx(parts: dict[str, str]) -> bytes:
    return zip_bytes({"[Content_Types].xml": "<Types/>", **parts})


XLSX_PARTS = {
    "rich text runs": {
        "xl/sharedStrings.xml": "<sst><si><r><rPr><b/></rPr><t>138</t></r><r><rPr/>"
        "<t>12345678</t></r></si></sst>"
    },
    "cdata": {"xl/sharedStrings.xml": f"<sst><si><t><![CDATA[{ID}]]></t></si></sst>"},
    "sheet name": {"xl/workbook.xml": f'<workbook><sheets><sheet name="{SECRET}" sheetId="1"/>'},
    "page header": {
        "xl/worksheets/sheet1.xml": f"<worksheet><headerFooter><oddHeader>&amp;C{SECRET}"
        "</oddHeader></headerFooter></worksheet>"
    },
    "first page footer": {
        "xl/worksheets/sheet1.xml": f"<worksheet><headerFooter><firstFooter>{ID}"
        "</firstFooter></headerFooter></worksheet>"
    },
    "inline string": {
        "xl/worksheets/sheet1.xml": '<worksheet><sheetData><row><c t="inlineStr"><is><r>'
        "<t>138</t></r><r><t>12345678</t></r></is></c></row></sheetData></worksheet>"
    },
    "comment": {
        "xl/comments1.xml": '<comments><authors><author>甲</author></authors><commentList><comment ref="A1">'
        "<text><r><t>1381234</t></r><r><t>5678</t></r></text></comment></commentList></comments>"
    },
    "comment box": {"xl/drawings/vmlDrawing1.vml": f"<xml><x:ClientData>{ID}</x:ClientData></xml>"},
    "input prompt": {
        "xl/worksheets/sheet1.xml": '<worksheet><dataValidations><dataValidation prompt="'
        f'{MOBILE}"/></dataValidations></worksheet>'
    },
    "formula": {
        "xl/worksheets/sheet1.xml": '<worksheet><sheetData><row><c><f>"138"&amp;"12345678"</f>'
        "</c></row></sheetData></worksheet>"
    },
}


@pytest.mark.parametrize("where", sorted(XLSX_PARTS))
def test_spreadsheet_text_outside_cells_is_read(tmp_path, where):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx(XLSX_PARTS[where]))
    text = attachment_text(path).replace('"&"', "")
    assert any(value in text for value in (ID, MOBILE, SECRET))


def test_neighbouring_cells_are_never_joined(tmp_path):
    path = tmp_path / "a.xlsx"
    sheet = "<worksheet><sheetData><row><c><v>138</v></c><c><v>12345678</v></c></row></sheetData>"
    path.write_bytes(xlsx({"xl/worksheets/sheet1.xml": sheet}))
    assert attachment_text(path).split("\n") == ["138", "12345678"]


def slide(runs: str) -> str:
    return f"<p:sld><p:cSld><p:spTree><p:sp><p:txBody><a:p>{runs}</a:p></p:txBody></p:sp>"


PPTX_PARTS = {
    "split runs": {
        "ppt/slides/slide1.xml": slide(
            '<a:r><a:rPr lang="zh-CN"/><a:t>138</a:t></a:r><a:r><a:rPr/><a:t>12345678</a:t></a:r>'
        )
    },
    "field": {"ppt/slides/slide1.xml": slide(f'<a:fld type="slidenum"><a:t>{ID}</a:t></a:fld>')},
    "layout": {"ppt/slideLayouts/slideLayout1.xml": slide(f"<a:r><a:t>{SECRET}</a:t></a:r>")},
    "master": {"ppt/slideMasters/slideMaster1.xml": slide(f"<a:r><a:t>{ID}</a:t></a:r>")},
    "notes": {"ppt/notesSlides/notesSlide1.xml": slide(f"<a:r><a:t>{MOBILE}</a:t></a:r>")},
    "smartart": {"ppt/diagrams/data1.xml": f"<dgm:dataModel><a:p><a:r><a:t>{SECRET}</a:t>"},
    "chart": {"ppt/charts/chart1.xml": f"<c:chartSpace><c:pt><c:v>{MOBILE}</c:v></c:pt>"},
    "alt text": {"ppt/slides/slide1.xml": f'<p:sld><p:cNvPr id="2" name="图" descr="{ID}"/>'},
}


@pytest.mark.parametrize("where", sorted(PPTX_PARTS))
def test_presentation_text_everywhere_is_read(tmp_path, where):
    path = tmp_path / "a.pptx"
    path.write_bytes(xlsx(PPTX_PARTS[where]))
    text = attachment_text(path)
    assert any(value in text for value in (ID, MOBILE, SECRET))


def test_an_office_file_embedded_in_one_is_read(tmp_path):
    inner = xlsx({"xl/sharedStrings.xml": f"<sst><si><t>{ID}</t></si></sst>"})
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(parts={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner}))
    assert ID in attachment_text(path)


def test_office_files_embedded_too_deep_are_refused(tmp_path):
    data = xlsx({"xl/sharedStrings.xml": "<sst/>"})
    for _ in range(3):
        data = xlsx({"xl/embeddings/inner.xlsx": data})
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableAttachment) as refused:
        attachment_text(path)
    assert refused.value.unsupported is False


def test_the_size_limit_counts_text_parts_not_images(tmp_path, monkeypatch):
    monkeypatch.setattr(doctext, "MAX_XML_BYTES", 50_000)
    picture = png() + bytes(200_000)
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx({"xl/media/image1.png": picture, "xl/sharedStrings.xml": "<sst/>"}))
    assert attachment_text(path) == ""
    path.write_bytes(xlsx({"xl/sharedStrings.xml": "<sst>" + " " * 60_000 + "</sst>"}))
    with pytest.raises(UnreadableAttachment, match="MB"):
        attachment_text(path)


def test_a_text_member_that_is_not_xml_is_read(tmp_path):
    path = tmp_path / "a.pptx"
    path.write_bytes(xlsx({"ppt/notes.txt": f"备注 {MOBILE}\n"}))
    assert MOBILE in attachment_text(path)


def test_a_utf16_part_is_read(tmp_path):
    path = tmp_path / "a.xlsx"
    xml = f"<sst><si><t>{ID}</t></si></sst>".encode("utf-16")
    path.write_bytes(xlsx({"xl/sharedStrings.xml": xml}))
    assert ID in attachment_text(path)


def write_pdf_with_form_and_note(path):
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 800, "Application form")
    pdf.acroForm.textfield(name="phone", value=MOBILE, x=72, y=700, width=200, height=20)
    pdf.textAnnotation(f"ID {ID}", Rect=(72, 600, 200, 620))
    pdf.save()


def test_pdf_form_values_and_annotations_are_read(tmp_path):
    path = tmp_path / "a.pdf"
    write_pdf_with_form_and_note(path)
    text = attachment_text(path)
    assert text.startswith("Application form")
    assert MOBILE in text and ID in text


def test_hidden_text_is_reported_by_the_screen(bureau, only):
    folder = bureau.root / "content/tzgg"
    folder.mkdir(parents=True, exist_ok=True)
    body = DOCX_BODIES["text box"] + DOCX_BODIES["tracked insertion split"]
    parts = {"word/footnotes.xml": DOCX_PARTS["word/footnotes.xml"]}
    (folder / "通知.docx").write_bytes(docx_bytes(body, parts=parts))
    (folder / "名单.xlsx").write_bytes(xlsx(XLSX_PARTS["rich text runs"]))
    write_pdf_with_form_and_note(folder / "表.pdf")
    bureau.item(attachments="[通知.docx, 名单.xlsx, 表.pdf]")
    ids, mobiles, secrets = only("GK801"), only("GK802"), only("GK804")

    def files(found: list) -> set[str]:
        return {problem.message.split("”")[0].removeprefix("附件“") for problem in found}

    assert files(ids) == {"通知.docx", "表.pdf"} and len(ids) == 2
    assert files(mobiles) == {"通知.docx", "名单.xlsx", "表.pdf"} and len(mobiles) == 3
    assert files(secrets) == {"通知.docx"} and len(secrets) == 1
    assert only("GK809") == [] and only("GK808") == []


@pytest.mark.parametrize(
    "xml",
    [
        "<!--" * 200_000,
        "<a b='" * 100_000 + ">",
        "<!DOCTYPE [" * 100_000,
        "<a>" * 1_000 + "</b>" * 200_000,
        "<w:p><w:r><w:t>x" * 100 + "</w:r>" * 200_000,
    ],
)
def test_hostile_markup_is_read_in_linear_time(tmp_path, xml):
    import time

    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx({"xl/sharedStrings.xml": xml}))
    started = time.monotonic()
    attachment_text(path)
    assert time.monotonic() - started < 5


def test_elements_nested_without_end_are_refused(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx({"xl/sharedStrings.xml": "<a>" * 100_000}))
    with pytest.raises(UnreadableAttachment, match="嵌套过深"):
        attachment_text(path)
