"""A Word (.docx) file checked before any XML parser sees it.

A .docx is a zip archive of XML parts and media. This module opens the archive itself, refuses
what Word never writes (archives beyond the limits below, XML parts that declare a DTD or
entities, duplicate or encrypted entries), and hands the parsers a fresh in-memory archive of the
entries it read and checked, so python-docx and mammoth only ever see those bytes.

Why this is the one point that matters: python-docx parses with lxml (`resolve_entities=False`,
network off by default), but mammoth parses with `xml.dom.minidom` (expat), which cannot be
configured and expands internal entities. Without a DTD there are no entities to expand or fetch,
and every part is scanned here with the same expat parser mammoth uses, so what expat would read
as a DTD is found here first. External images (`TargetMode="External"`) are listed for the author
and never fetched: mammoth is called with `external_file_access=False`.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree
from xml.parsers import expat

# Limits a real 公文 never reaches (documented in docs/content.md, "从 Word 文档导入").
MAX_FILE = 128 * 1024 * 1024  # the .docx file itself
MAX_ENTRIES = 1000  # Word writes about 20, plus one per image, header and footer
MAX_TOTAL = 256 * 1024 * 1024  # all entries uncompressed
MAX_XML_PART = 16 * 1024 * 1024  # one XML part uncompressed: thousands of pages of text
MAX_RATIO = 500  # uncompressed / compressed for an entry over RATIO_FLOOR; zip bombs reach 1,000
RATIO_FLOOR = 1024 * 1024
MAX_DEPTH = 128  # XML element nesting; python-docx's lxml stops at 256, mammoth recurses
MAX_ELEMENTS = 500_000  # elements in one XML part: about 2,000 pages of formatted text
MAX_DIRECTORY = 4 * 1024 * 1024  # the archive's table of contents, read whole by zipfile
_CHUNK = 1024 * 1024
_TAIL = 22 + 65535  # the end-of-directory record and the longest archive comment

_IMAGES = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
]
_IMAGE_REL = "/relationships/image"
# How XML begins in every encoding an XML parser detects by itself (UTF-8, UTF-16 and UCS-4
# with or without a byte-order mark, EBCDIC): such a part must be XML that expat reads.
_XML_SIGNATURES = (
    b"<?xml",
    b"\xef\xbb\xbf<?xml",
    b"\xff\xfe<\x00",
    b"\xfe\xff\x00<",
    b"<\x00?\x00",
    b"\x00<\x00?",
    b"<\x00\x00\x00",
    b"\x00\x00\x00<",
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"Lo\xa7\x94",
)
# What a file is when it is not a zip archive, by its first bytes.
_NOT_ZIP = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word 文档（.doc）或加了密码的文档"),
    (b"%PDF", "PDF 文件"),
    (b"{\\rtf", "RTF 文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
]
_OTHER_OFFICE = [
    ("spreadsheetml", "Excel 表格"),
    ("presentationml", "PowerPoint 演示文稿"),
    ("macroEnabled", "启用宏的 Word 文档（.docm）"),
    ("template", "Word 模板（.dotx）"),
]
EXTERNAL_IMAGE = "文档中的外部图片链接未导入"
_HOW = "请用 Word 打开后“另存为”Word 文档（.docx），再重新导入"


class ArchiveRefused(Exception):
    """The file is not a .docx that may be parsed; the message says why in Chinese."""


@dataclass
class Package:
    """The checked entries as a fresh archive, and what the author should know about them."""

    data: bytes
    notes: list[str] = field(default_factory=list)


def image_type(data: bytes) -> str | None:
    """The file extension of an image the site may publish, from its first bytes, or None."""
    for magic, extension in _IMAGES:
        if data.startswith(magic):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:2] == b"BM" and len(data) > 18 and data[14] in (12, 40, 52, 56, 108, 124):
        return "bmp"
    return None


def image_kind(data: bytes) -> str:
    """What an image that is not published is, in Chinese, for the message to the author."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head or head.startswith(b"<?xml"):
        return "SVG 或 XML 文件（可能含有脚本）"
    if head.startswith(b"<"):
        return "网页（HTML）文件"
    if data[40:44] == b" EMF" or data[:4] == b"\xd7\xcd\xc6\x9a":
        return "Windows 图元文件（EMF/WMF）"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF 图片"
    return "无法识别的文件"


def shown(text: str, limit: int = 80) -> str:
    """Text from a document made safe to print in a terminal: no control or format characters
    (escape sequences, bidi overrides), at most `limit` characters."""
    safe = "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in text[: limit + 1]
    )
    return safe[:limit] + "…" if len(safe) > limit else safe


def read_package(path: Path) -> Package:
    """The checked .docx at `path`; raises ArchiveRefused (naming the file) otherwise."""
    name = shown(path.name)
    try:
        _check_file(path, name)
    except PermissionError:
        raise ArchiveRefused(f"{name} 没有读取权限：请检查文件权限后再导入") from None
    except OSError:
        raise ArchiveRefused(f"{name} 无法读取：请确认文件存在且没有被其他程序占用") from None
    try:
        with zipfile.ZipFile(path) as archive:
            entries = _entries(archive, name)
            parts = {info.filename: _read(archive, info, name) for info in entries}
    # UnicodeDecodeError: a member name flagged UTF-8 that is not (zipfile does not catch it)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        UnicodeDecodeError,
    ):
        raise ArchiveRefused(f"{name} 无法打开，文件已损坏或不是 Word 文档：{_HOW}") from None
    except (NotImplementedError, RuntimeError):  # unknown compression method, or encrypted
        raise ArchiveRefused(f"{name} 使用了 Word 不会使用的压缩或加密方式：{_HOW}") from None
    for part, data in parts.items():
        _check_xml(name, part, data)
    if kind := _other_office_file(parts):
        raise ArchiveRefused(f"{name} 实际是{kind}，不是 Word 文档：{_HOW}")
    return Package(_fresh_archive(parts), _external_images(parts))


def _check_file(path: Path, name: str) -> None:
    if not path.exists():
        raise ArchiveRefused(f"找不到文件 {name}：请检查文件名和所在文件夹")
    if not path.is_file():
        raise ArchiveRefused(f"{name} 不是普通文件（可能是文件夹、设备或管道）：请选择 .docx 文件")
    if path.stat().st_size > MAX_FILE:
        raise ArchiveRefused(
            f"{name} 超过 {MAX_FILE // 2**20} MB，远大于一份公文："
            "请压缩文中图片（Word“压缩图片”）或拆分后再导入"
        )
    with path.open("rb") as stream:
        head = stream.read(16)
        if head.startswith(b"PK"):
            _check_directory(stream, name)
            return
    for magic, kind in _NOT_ZIP:
        if head.startswith(magic):
            raise ArchiveRefused(f"{name} 实际是{kind}，不是 .docx 文件：{_HOW}")
    if head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00").startswith(b"<"):
        raise ArchiveRefused(f"{name} 实际是网页或 XML 文件，不是 .docx 文件：{_HOW}")
    raise ArchiveRefused(f"{name} 不是 Word 文档（.docx）或文件已损坏：{_HOW}")


def _check_directory(stream: BinaryIO, name: str) -> None:
    """Refuse an archive whose central directory is too large before zipfile reads it all."""
    stream.seek(0, io.SEEK_END)
    end = stream.tell()
    stream.seek(max(0, end - _TAIL))
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return  # zipfile reports the damage
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator.startswith(b"PK\x06\x07") and at >= 76:  # zip64: real values 56 bytes earlier
        record = tail[at - 76 : at - 20]
        if record.startswith(b"PK\x06\x06"):
            entries, directory = struct.unpack("<QQ", record[32:48])
    if entries > MAX_ENTRIES or directory > MAX_DIRECTORY:
        raise ArchiveRefused(
            f"{name} 包含的部件过多（超过 {MAX_ENTRIES} 个，Word 文档通常只有几十个）："
            f"文件可能被改动过，{_HOW}"
        )


def _entries(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The archive's file entries, refused when beyond the limits or ambiguous."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(
            f"{name} 包含 {len(infos)} 个部件，超过上限 {MAX_ENTRIES}（Word 文档通常只有几十个）："
            f"文件可能被改动过，{_HOW}"
        )
    if sum(info.file_size for info in infos) > MAX_TOTAL:
        raise ArchiveRefused(
            f"{name} 解压后超过 {MAX_TOTAL // 2**20} MB（可能是“压缩炸弹”）："
            f"请压缩文中图片或拆分文档，{_HOW}"
        )
    seen: set[str] = set()
    for info in infos:
        _check_entry(info, name)
        key = info.filename.lower()
        if key in seen:
            raise ArchiveRefused(
                f"{name} 中部件 {shown(info.filename)} 出现了两次，Word 从不这样写："
                f"文件可能被改动过，{_HOW}"
            )
        seen.add(key)
    return infos


def _check_entry(info: zipfile.ZipInfo, name: str) -> None:
    if info.flag_bits & 0x1:
        raise ArchiveRefused(f"{name} 中的部件 {shown(info.filename)} 已加密：{_HOW}")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        raise ArchiveRefused(
            f"{name} 中的部件 {shown(info.filename)} 压缩比为 {ratio:.0f} 倍，"
            f"超过上限 {MAX_RATIO} 倍（可能是“压缩炸弹”）：文件可能被改动过，{_HOW}"
        )


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """The entry's bytes, read in chunks and never more than its declared size (or a limit)."""
    cap = min(info.file_size, MAX_TOTAL)
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise ArchiveRefused(
                    f"{name} 中的部件 {shown(info.filename)} 比记录的大小更大："
                    f"文件可能被改动过，{_HOW}"
                )
            chunks.append(chunk)
    return b"".join(chunks)


class _Declared(Exception):
    """An XML part declared a DTD or an entity."""


class _TooLarge(Exception):
    """An XML part nests elements deeper than MAX_DEPTH or holds more than MAX_ELEMENTS."""


def _check_xml(name: str, part: str, data: bytes) -> None:
    """Refuse a part in which expat finds a DTD or entity, or an XML part it cannot read."""
    is_xml = part.lower().endswith((".xml", ".rels")) or data.startswith(_XML_SIGNATURES)
    if is_xml and len(data) > MAX_XML_PART:
        raise ArchiveRefused(
            f"{name} 中的部件 {shown(part)} 超过 {MAX_XML_PART // 2**20} MB，"
            "远大于一份公文：请拆分文档后再导入"
        )
    parser = _scanner()

    def where(line: int) -> str:  # not str.format: the file name may hold braces
        return f"{name} 中的部件 {shown(part)} 第 {line} 行"

    try:
        parser.Parse(data, True)
    except _Declared:
        raise ArchiveRefused(
            where(parser.CurrentLineNumber) + "声明了 DTD 或实体"
            f"（<!DOCTYPE 或 <!ENTITY），Word 从不写入这些内容：文件可能被改动过，{_HOW}"
        ) from None
    except _TooLarge:
        raise ArchiveRefused(
            where(parser.CurrentLineNumber) + f"嵌套超过 {MAX_DEPTH} 层或元素超过 "
            f"{MAX_ELEMENTS:,} 个，远超一份公文：文件可能被改动过，请拆分文档或{_HOW}"
        ) from None
    except expat.ExpatError as exc:
        if is_xml:  # media and fonts are not XML, and no parser reads them as XML
            raise ArchiveRefused(
                where(exc.lineno) + f"第 {exc.offset + 1} 列不是有效的 XML：文件已损坏，{_HOW}"
            ) from None


def _scanner() -> expat.XMLParserType:
    """An expat parser that raises at a DTD or entity declaration, at deep nesting and at too
    many elements (the parsers build a tree of every element: memory grows with their number)."""
    parser = expat.ParserCreate()
    depth, count = [0], [0]

    def declared(*_: object) -> None:
        raise _Declared

    def start(*_: object) -> None:
        depth[0] += 1
        count[0] += 1
        if depth[0] > MAX_DEPTH or count[0] > MAX_ELEMENTS:
            raise _TooLarge

    def end(*_: object) -> None:
        depth[0] -= 1

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    parser.UnparsedEntityDeclHandler = declared
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    return parser


def _fresh_archive(parts: dict[str, bytes]) -> bytes:
    """The checked entries, stored uncompressed: the only bytes the parsers will see."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return buffer.getvalue()


def _xml(data: bytes | None) -> ElementTree.Element | None:
    """A part checked above (no DTD, so no entity can be expanded or fetched), parsed."""
    try:
        return ElementTree.fromstring(data) if data is not None else None
    except ElementTree.ParseError:
        return None


def _other_office_file(parts: dict[str, bytes]) -> str | None:
    """What the package is when its main part is not a Word document's, or None."""
    rels, types = _xml(parts.get("_rels/.rels")), _xml(parts.get("[Content_Types].xml"))
    if rels is None or types is None:
        return None  # python-docx says the file is damaged
    main = [r.get("Target", "") for r in rels if r.get("Type", "").endswith("/officeDocument")]
    if not main:
        return None
    target = "/" + main[0].lstrip("/")
    overrides = {t.get("PartName", "").lower(): t.get("ContentType", "") for t in types}
    content_type = overrides.get(target.lower(), "")
    for marker, kind in _OTHER_OFFICE:
        if marker in content_type:
            return kind
    return None


def _external_images(parts: dict[str, bytes]) -> list[str]:
    """One note per image the document links to outside itself (never fetched)."""
    notes = []
    for part, data in parts.items():
        root = _xml(data) if part.lower().endswith(".rels") else None
        for rel in root if root is not None else []:
            external = rel.get("TargetMode", "").lower() == "external"
            if external and rel.get("Type", "").endswith(_IMAGE_REL):
                target = shown(re.sub(r"\s+", " ", rel.get("Target", "")), 60)
                notes.append(f"{EXTERNAL_IMAGE}（{target}）：请把图片插入文档后再导入")
    return notes
