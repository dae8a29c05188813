"""The text of a file that is published as it is (an attachment, a file of content/pages/), for
the privacy screen (generator/core/screening.py): plain text, Word, Excel, PowerPoint and PDF files.
Anything else is reported as a file a reviewer must read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO


class UnreadableAttachment(Exception):
    """The attachment's text could not be extracted; the message says why, in Chinese.

    `unsupported` means a kind of file no screen reads (an image, a spreadsheet): a reviewer
    must look at it. Otherwise the file is broken and cannot be published as it is.
    """

    def __init__(self, message: str, unsupported: bool = False):
        super().__init__(message)
        self.unsupported = unsupported


TEXT_SUFFIXES = frozenset({".md", ".txt", ".csv"})
# Office Open XML parts holding the text of a spreadsheet or a presentation
_OOXML_PARTS = {
    ".xlsx": re.compile(r"xl/(sharedStrings|worksheets/[^/]+)\.xml"),
    ".pptx": re.compile(r"ppt/(slides|notesSlides)/[^/]+\.xml"),
}
SCREENED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"} | set(_OOXML_PARTS)
_OOXML_TEXT = re.compile(r"<(?:\w+:)?(?:t|v)(?:\s[^>]*)?>([^<]*)</(?:\w+:)?(?:t|v)>")
MAX_XML_BYTES = 64 * 1024 * 1024  # the text parts of one spreadsheet, unpacked


_CORRUPT = "文件已损坏或格式不对，请用原软件重新导出后上传"


def attachment_text(path: Path) -> str:
    """The text of an attachment; raises UnreadableAttachment for a broken or unknown file.
    The file is opened as a regular file, never through a link (generator/core/textfile.py)."""
    from generator.core.textfile import open_regular, os_reason

    suffix = path.suffix.lower()
    if suffix not in SCREENED_SUFFIXES:
        raise UnreadableAttachment(
            f"无法自动审查 {suffix or '无扩展名'} 类型的文件，审核人须人工审查其内容；"
            "能转为 PDF、DOCX 或文本的，请转换后上传",
            unsupported=True,
        )
    try:
        with open_regular(path, follow=False) as handle:
            if suffix in TEXT_SUFFIXES:
                return handle.read().decode("utf-8-sig")
            if suffix in _OOXML_PARTS:
                return _ooxml_text(handle, _OOXML_PARTS[suffix])
            return _docx_text(handle) if suffix == ".docx" else _pdf_text(handle)
    except UnicodeDecodeError:
        if suffix in TEXT_SUFFIXES:
            raise UnreadableAttachment("不是 UTF-8 编码的文本，请另存为 UTF-8") from None
        # a Word or Excel file whose member names are flagged UTF-8 but are not
        raise UnreadableAttachment(_CORRUPT) from None
    except UnreadableAttachment:
        raise
    except OSError as exc:
        raise UnreadableAttachment(f"无法读取文件：{os_reason(exc)}") from None
    except Exception:  # a corrupt document raises whatever its parser raises
        # not the parser's exception name: staff cannot act on it, and it is English
        raise UnreadableAttachment(_CORRUPT) from None


def _ooxml_text(handle: BinaryIO, parts: re.Pattern) -> str:
    """Every cell's text and value of a spreadsheet, every text run of a presentation; each on
    a line of its own (a number is never joined to its neighbour)."""
    import html
    import zipfile

    with zipfile.ZipFile(handle) as archive:
        members = [i for i in archive.infolist() if parts.fullmatch(i.filename)]
        if sum(i.file_size for i in members) > MAX_XML_BYTES:
            raise UnreadableAttachment(
                f"文件解压后超过 {MAX_XML_BYTES // 1024 // 1024} MB，审核人须人工审查其内容"
            )
        lines = []
        for member in members:
            xml = archive.read(member).decode("utf-8", "replace")
            lines += [html.unescape(m) for m in _OOXML_TEXT.findall(xml)]
    return "\n".join(lines)


def _docx_text(handle: BinaryIO) -> str:
    import docx

    document = docx.Document(handle)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs] + [
            p.text for p in section.footer.paragraphs
        ]
    return "\n".join(lines)


def _pdf_text(handle: BinaryIO) -> str:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    pages = [page.extract_text() or "" for page in reader.pages]
    if reader.pages and not any(p.strip() for p in pages):
        raise UnreadableAttachment(
            "PDF 中没有可提取的文字（可能是扫描件），请由审核人人工审查或提供文字版"
        )
    return "\n".join(pages)
