"""Hand-built .docx archives for the hostile-import tests: every byte is chosen by the test.

`docx_bytes` writes the smallest package python-docx and mammoth read (content types, package
relationships, the main document and its relationships) plus whatever a test adds or replaces.
"""

from __future__ import annotations

import html
import io
import shutil
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import markdown
import yaml

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE_REL = f"{REL}/image"
LINK_REL = f"{REL}/hyperlink"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TITLE = "关于开展文化市场安全检查的通知"
ROOT = Path(__file__).parents[1]
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def p(text: str, style: str | None = None) -> str:
    """A paragraph with one run of `text` (escaped for XML), optionally with a style id."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r></w:p>'


def link(rel_id: str, text: str) -> str:
    return (
        f'<w:p><w:hyperlink r:id="{rel_id}"><w:r><w:t xml:space="preserve">{esc(text)}</w:t>'
        "</w:r></w:hyperlink></w:p>"
    )


def field_link(target: str, text: str) -> str:
    """A hyperlink written as a Word field code (HYPERLINK "…"), as older documents hold them."""
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "{esc(target)}" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{esc(text)}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def picture(rel_id: str, alt: str = "图表", *, linked: bool = False) -> str:
    """An inline picture whose bytes are the relationship's target (embedded or linked)."""
    blip = f'<a:blip r:link="{rel_id}"/>' if linked else f'<a:blip r:embed="{rel_id}"/>'
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/>'
        f'<wp:docPr id="1" name="图片 1" descr="{esc(alt)}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="x"/><pic:cNvPicPr/></pic:nvPicPr>'
        f"<pic:blipFill>{blip}</pic:blipFill><pic:spPr/></pic:pic>"
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def table(rows: list[list[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{p(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def relationship(rel_id: str, kind: str, target: str, *, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{kind}" Target="{esc(target)}"{mode}/>'


def content_types(overrides: dict[str, str] | None = None) -> str:
    extra = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>'
        for name, kind in (overrides or {}).items()
    )
    return (
        XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/>{extra}</Types>'
    )


def document_xml(body: str, *, title: str = TITLE) -> str:
    return (
        XML_HEAD + f"<w:document {NAMESPACES}><w:body>{p(title)}{body}"
        f"{p('测试市文化和旅游局')}{p('2026年3月5日')}</w:body></w:document>"
    )


def rels_xml(relationships: str) -> str:
    return (
        XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{relationships}</Relationships>'
    )


def docx_bytes(
    body: str = "",
    *,
    relationships: str = "",
    parts: dict[str, bytes | str] | None = None,
    overrides: dict[str, str] | None = None,
    title: str = TITLE,
) -> bytes:
    """A .docx whose document holds `body`; `parts` adds or replaces archive entries."""
    entries: dict[str, bytes | str] = {
        "[Content_Types].xml": content_types(overrides),
        "_rels/.rels": rels_xml(relationship("rId1", f"{REL}/officeDocument", "word/document.xml")),
        "word/document.xml": document_xml(body, title=title),
        "word/_rels/document.xml.rels": rels_xml(relationships),
        **(parts or {}),
    }
    return zip_bytes(entries)


def zip_bytes(entries: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(b"\x00" + b"\x00\x80\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
HTML_PAGE = b"<html><body><script>alert(document.domain)</script></body></html>"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured with the site's own extensions from mkdocs.yml."""
    config = yaml.safe_load((Path(__file__).parents[1] / "mkdocs.yml").read_text("utf-8"))
    names, settings = [], {}
    for entry in config.get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings)


def hostile_site(tmp_path: Path) -> tuple[Path, str]:
    """A bureau's site built after importing a document full of script (text, title, link,
    image text, an SVG image); the site folder and the index number of the imported item."""
    from generator.authoring.importer import import_paths
    from generator.core.project import load_project
    from generator.site.build import build_site_dir

    from helpers import Bureau

    bureau = Bureau(tmp_path / "bureau")
    bureau.write("mkdocs.yml", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    (bureau.root / "content/pages").mkdir(parents=True)
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    script = "<script>alert(document.domain)</script>"
    rels = relationship("rId5", LINK_REL, "jav&#x61;script:alert(1)", external=True)
    rels += relationship("rId6", LINK_REL, "https://www.gov.cn/", external=True)
    rels += relationship("rId7", IMAGE_REL, "media/image1.png")
    rels += relationship("rId8", IMAGE_REL, "media/image2.png")
    body = (
        p(f"{script}正文<img src=x onerror=alert(2)>")
        + link("rId5", "详情")
        + link("rId6", "中国政府网")
        + picture("rId7", alt=f'{script}" onerror="alert(3)')
        + picture("rId8", alt="矢量图")
        + p('{: onclick="alert(4)" } [点我](javascript:alert(5))')
    )
    parts = {"word/media/image1.png": png(), "word/media/image2.png": SVG}
    source = tmp_path / "有害.docx"
    source.write_bytes(
        docx_bytes(body, relationships=rels, parts=parts, title=f"{script}关于检查的通知")
    )
    [result] = import_paths(load_project(bureau.root), [source], "tzgg", date(2026, 3, 10))
    text = result.path.read_text(encoding="utf-8")
    result.path.write_text(text.replace("disclosure:", "disclosure: 主动公开", 1), "utf-8")
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, date(2026, 3, 10), progress=False)
    return site, "000014349/2026-00001"
