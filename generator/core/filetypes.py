"""What a published file is, decided by its content (magic bytes) and checked against its name.

One decision for `validate`, for the build (which copies only what this accepts) and for the
类型 column of an item's attachments. A bureau publishes documents, tables, images, archives
and, for 解读 in audio or video form, sound and video. Anything a browser could run in the
site's origin (SVG, HTML, XML, script) or that no one can tell is refused, with how to convert.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.core.textfile import open_regular, os_reason


@dataclass(frozen=True)
class FileType:
    label: str  # the 类型 column
    families: frozenset[str]  # what the content may be (see `detect`)
    text: bool = False  # screened as text; must be UTF-8


def _type(label: str, *families: str, text: bool = False) -> FileType:
    return FileType(label, frozenset(families), text)


_ARCHIVES = ("zip", "docx", "xlsx", "pptx", "ofd")  # a .zip may hold an Office or OFD file
# By extension (lower case): what the file must contain.
ALLOWED: dict[str, FileType] = {
    ".pdf": _type("PDF", "pdf"),
    ".ofd": _type("OFD", "ofd"),
    ".doc": _type("Word 文档", "ole"),
    ".docx": _type("Word 文档", "docx"),
    ".wps": _type("WPS 文字", "ole", "docx"),
    ".xls": _type("Excel 表格", "ole"),
    ".xlsx": _type("Excel 表格", "xlsx"),
    ".et": _type("WPS 表格", "ole", "xlsx"),
    ".ppt": _type("PowerPoint 演示文稿", "ole"),
    ".pptx": _type("PowerPoint 演示文稿", "pptx"),
    ".dps": _type("WPS 演示", "ole", "pptx"),
    ".csv": _type("CSV 表格", "text", text=True),
    ".txt": _type("文本", "text", text=True),
    ".md": _type("文本（Markdown）", "text", text=True),
    ".png": _type("PNG 图片", "png"),
    ".jpg": _type("JPEG 图片", "jpeg"),
    ".jpeg": _type("JPEG 图片", "jpeg"),
    ".gif": _type("GIF 图片", "gif"),
    ".webp": _type("WebP 图片", "webp"),
    ".zip": _type("ZIP 压缩包", *_ARCHIVES),
    ".rar": _type("RAR 压缩包", "rar"),
    ".7z": _type("7z 压缩包", "7z"),
    ".mp3": _type("MP3 音频", "mp3"),
    ".mp4": _type("MP4 视频", "mp4"),
}

# What each detected family is called in a message.
FAMILY_NAMES = {
    "pdf": "PDF",
    "ofd": "OFD",
    "ole": "旧版 Office/WPS 文档",
    "docx": "Word 文档（DOCX）",
    "xlsx": "Excel 表格（XLSX）",
    "pptx": "PowerPoint 演示文稿（PPTX）",
    "zip": "ZIP 压缩包",
    "text": "文本",
    "png": "PNG 图片",
    "jpeg": "JPEG 图片",
    "gif": "GIF 图片",
    "webp": "WebP 图片",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "mp3": "MP3 音频",
    "mp4": "MP4 视频",
    "html": "网页（HTML）",
    "svg": "SVG 图片",
    "xml": "XML",
    "binary": "无法识别的二进制数据",
}

_HOW_WEB = "网页可以在读者的浏览器中运行脚本，不能作为附件：请另存为 PDF 或 DOCX 后上传"
_HOW_SVG = "SVG 图片可以包含在读者浏览器中运行的脚本，不能作为附件：请导出为 PNG 图片后上传"
_HOW_XML = "XML 文件可能被浏览器当作网页打开并运行脚本：请转为 PDF、XLSX 或 CSV 后上传"
_HOW_PROGRAM = "程序和脚本不能作为附件发布：请删除它"
# Refused by name, with how to convert.
REFUSED: dict[str, str] = {
    ".svg": _HOW_SVG,
    ".svgz": _HOW_SVG,
    **dict.fromkeys((".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml"), _HOW_WEB),
    **dict.fromkeys((".xml", ".xsl", ".xslt", ".rss", ".atom"), _HOW_XML),
    **dict.fromkeys(
        (".js", ".mjs", ".css", ".swf", ".exe", ".msi", ".bat", ".cmd", ".com", ".scr"),
        _HOW_PROGRAM,
    ),
    **dict.fromkeys((".sh", ".ps1", ".vbs", ".jar", ".apk", ".dll", ".php", ".jsp"), _HOW_PROGRAM),
}
_CONTENT_HOW = {"html": _HOW_WEB, "svg": _HOW_SVG, "xml": _HOW_XML}

_HEAD = 8192
# What browsers take for markup when they sniff (WHATWG MIME Sniffing, "text/html" patterns).
_MARKUP = re.compile(
    rb"\s*<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body"
    rb"|br|p|!--|\?xml|svg|object|embed|img|math|meta|link|form|template)[\s>/]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    """What a file is: its type when it may be published, else the code and message why not."""

    type: FileType | None
    code: str = ""
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.type is not None


def allowed_list() -> str:
    """The allowed extensions, for messages: PDF、OFD、DOC …"""
    return "、".join(ext.lstrip(".").upper() for ext in ALLOWED)


def judge(path: Path, name: str | PurePosixPath) -> Verdict:
    """Whether the file at `path`, published as `name`, may be published, and as what."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in REFUSED:
        return Verdict(None, "GK152", f"不允许 {suffix} 类型的附件：{REFUSED[suffix]}")
    expected = ALLOWED.get(suffix)
    if expected is None:
        shown = suffix or "无扩展名"
        return Verdict(
            None,
            "GK152",
            f"{shown} 不在允许的附件类型中（允许：{allowed_list()}）："
            "请转换为 PDF 等允许的类型，并使用对应的扩展名",
        )
    try:
        family = detect(path)
    except OSError as exc:
        return Verdict(None, "GK153", f"无法读取文件：{os_reason(exc)}")
    if family in expected.families:
        return Verdict(expected)
    if family in _CONTENT_HOW:
        how = _CONTENT_HOW[family]
        return Verdict(None, "GK152", f"扩展名是 {suffix}，内容却是{FAMILY_NAMES[family]}:{how}")
    return Verdict(
        None,
        "GK153",
        f"扩展名是 {suffix}（{expected.label}），内容却是{FAMILY_NAMES[family]}:"
        "文件可能已损坏或扩展名被改过，请用原程序重新导出，或改正扩展名",
    )


def detect(path: Path) -> str:
    """The family of the file's content (see FAMILY_NAMES); reads a few bytes and, for ZIP
    files, the list of names. Raises OSError when the file cannot be read."""
    with open_regular(path, follow=False) as handle:
        head = handle.read(_HEAD)
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _zip_family(handle)
    return sniff(head)


def sniff(head: bytes) -> str:
    """The family of a file from its first bytes (ZIP files are told apart by `detect`)."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    signatures = (
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"Rar!\x1a\x07", "rar"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"ID3", "mp3"),
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
    )
    for magic, family in signatures:
        if head.startswith(magic):
            return family
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "mp4"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3"  # an MPEG audio frame without an ID3 tag
    return _text_family(head)


def _text_family(head: bytes) -> str:
    if b"\x00" in head:
        return "binary"
    text = head.removeprefix(b"\xef\xbb\xbf")
    if m := _MARKUP.match(text):
        word = m.group(1).lower()
        return "svg" if word == b"svg" else "xml" if word == b"?xml" else "html"
    return "text"


def _zip_family(handle) -> str:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "binary"
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        for part, family in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(part) for n in names):
                return family
    return "zip"
