"""The text of a file that is published as it is (an attachment, a file of content/pages/), for
the privacy screen (generator/core/screening.py): plain text, Word, Excel, PowerPoint and PDF files.
Anything else is reported as a file a reviewer must read.
"""

from __future__ import annotations

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
OOXML_SUFFIXES = frozenset({".docx", ".xlsx", ".pptx"})  # read whole: generator/core/ooxmltext.py
SCREENED_SUFFIXES = TEXT_SUFFIXES | OOXML_SUFFIXES | {".pdf"}
MAX_XML_BYTES = 64 * 1024 * 1024  # the text parts of one Office file, unpacked, embedded included


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
            if suffix in OOXML_SUFFIXES:
                return _ooxml_text(handle, suffix)
            return _pdf_text(handle)
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


def _ooxml_text(handle: BinaryIO, suffix: str) -> str:
    """Every text of a Word, Excel or PowerPoint file, wherever in the package it is: the file is
    published byte for byte, so text Word or Excel hides (comments, tracked deletions, text
    boxes, sheet headers, slide masters, properties) is published too."""
    from generator.core import ooxmltext

    if suffix == ".docx":
        import docx

        docx.Document(handle)  # a Word file python-docx cannot open is broken, as before
        handle.seek(0)
    try:
        return ooxmltext.package_text(handle, MAX_XML_BYTES)
    except ooxmltext.TooLarge:
        raise UnreadableAttachment(
            f"文件解压后超过 {MAX_XML_BYTES // 1024 // 1024} MB，审核人须人工审查其内容"
        ) from None
    except ooxmltext.TooDeep:
        raise UnreadableAttachment(
            "文件中嵌入的 Office 文件层数过多，无法完整审查，请取出嵌入的文件后重新上传"
        ) from None
    except ooxmltext.TooNested:
        raise UnreadableAttachment(
            "文件内部结构嵌套过深，无法完整审查，请用原软件重新导出后上传"
        ) from None
    except ooxmltext.TooManyParts:
        raise UnreadableAttachment(_CORRUPT) from None


def _pdf_text(handle: BinaryIO) -> str:
    """The text of every page, then what a PDF reader shows besides: form fields' values,
    annotations (comments, notes), bookmarks and the document's properties."""
    from pypdf import PdfReader

    reader = PdfReader(handle)
    pages = [page.extract_text() or "" for page in reader.pages]
    if reader.pages and not any(p.strip() for p in pages):
        raise UnreadableAttachment(
            "PDF 中没有可提取的文字（可能是扫描件），请由审核人人工审查或提供文字版"
        )
    return "\n".join(pages + _pdf_extras(reader))


_PDF_FIELD_KEYS = ("/V", "/DV", "/TU", "/T", "/Opt")  # value, default, tooltip, name, choices
_PDF_ANNOTATION_KEYS = ("/Contents", "/T", "/Subj", "/RC", "/TU", "/V", "/CA")
_PDF_NOT_SHOWN = ("/CreationDate", "/ModDate", "/Trapped")  # properties that are no text
_PDF_MAX_OBJECTS = 100_000  # fields, annotations and bookmarks read, at most


def _pdf_extras(reader) -> list[str]:
    """Form values, annotations, bookmarks and properties; an object that cannot be read makes
    the file broken (the caller says so), never silently unscreened."""
    lines: dict[str, None] = {}  # ordered
    pending = list(_pdf_values(reader))
    for count, value in enumerate(_drain(pending)):
        if count > _PDF_MAX_OBJECTS:
            raise UnreadableAttachment("PDF 中的表单、批注或书签过多，审核人须人工审查其内容")
        value = value.get_object() if hasattr(value, "get_object") else value
        if isinstance(value, (list, tuple)):
            pending.extend(reversed(value))
        elif isinstance(value, bytes):
            lines[value.decode("utf-8", "replace")] = None
        elif isinstance(value, str) and value.strip():  # text, and names (a ticked box's /Yes)
            lines[str(value)] = None
    return list(lines)  # each once: a field's value is also its widget's


def _drain(stack: list):
    while stack:
        yield stack.pop()


def _pdf_values(reader):
    """In reverse order (they are popped from a stack)."""
    values = []
    for field in (reader.get_fields() or {}).values():
        values += [field[key] for key in _PDF_FIELD_KEYS if key in field]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            values += [annotation[key] for key in _PDF_ANNOTATION_KEYS if key in annotation]
    values += [v for k, v in (reader.metadata or {}).items() if k not in _PDF_NOT_SHOWN]
    outline = list(reader.outline)
    while outline:
        item = outline.pop(0)
        if isinstance(item, list):
            outline[:0] = item
        else:
            values.append(getattr(item, "title", None))
    return reversed(values)
