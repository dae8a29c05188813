"""`gongkai import`: a Word (.docx) document becomes a ready-to-review item.

The document's header lines (发文机关标志, 文号) and title become front matter; the body is
converted with mammoth (headings, lists, tables, bold) and markdownify; images are saved as
attachments beside the item. The disclosure attribute is left for the author to decide.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
import mammoth
from docx.opc.exceptions import PackageNotFoundError
from markdownify import markdownify

from .clock import beijing_today
from .loader import CONTENT_DIR, Project, load_project
from .newitem import (
    NewItemError,
    check_request,
    create_item,
    file_name,
    next_index_number,
    write_new,
)
from .rules import check

DOC_NO = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[(【﹝]\s*(\d{4})\s*[〕\])】﹞]\s*第?\s*(\d+)\s*号"  # after NFKC
)
DATE = re.compile(
    r"^\s*([\d〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d一二三四五六七八九十]{1,3})\s*日\s*$"
)
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
HEADER = re.compile(r"^[\u4e00-\u9fff()()]{2,30}文件$")


class ImportFailure(Exception):
    """The file cannot be imported; the message says why in Chinese. Nothing was written."""


@dataclass
class Facts:
    title: str = ""
    doc_no: str | None = None
    written: date | None = None
    signer: str | None = None
    drop: set[int] = field(default_factory=set)  # paragraphs that became front matter


@dataclass
class Imported:
    source: Path
    path: Path
    decide: list[str]  # what the author must still decide, in Chinese


def chinese_number(text: str) -> int:
    """1–31 and years written 〇一二…, 十, 十二, 二十五 (or Arabic digits)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    return int("".join(str(_DIGITS[c]) for c in text))


def parse_date_line(text: str) -> date | None:
    m = DATE.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
    if not m:
        return None
    try:
        return date(*(chinese_number(part) for part in m.groups()))
    except (KeyError, ValueError):
        return None


def normalize_doc_no(m: re.Match) -> str:
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"


def analyse(paragraphs: list[tuple[str, str]]) -> Facts:
    """(text, style name) of each paragraph -> what the header and the closing lines say."""
    facts = Facts()
    texts = [unicodedata.normalize("NFKC", t).strip() if t else "" for t, _ in paragraphs]
    head = [i for i, t in enumerate(texts) if t][:8]
    for i in head:
        if HEADER.match(texts[i]):
            facts.drop.add(i)
        elif facts.doc_no is None and (m := DOC_NO.search(texts[i])) and len(texts[i]) < 40:
            facts.doc_no = normalize_doc_no(m)
            facts.drop.add(i)
    titled = [i for i in head if paragraphs[i][1].lower().startswith(("title", "标题"))]
    candidates = titled or [i for i in head if i not in facts.drop]
    if candidates:
        facts.title = texts[candidates[0]]
        facts.drop.add(candidates[0])
    tail = [i for i, t in enumerate(texts) if t][-6:]
    for i in reversed(tail):
        if (day := parse_date_line(texts[i])) is not None:
            facts.written = day
            before = [j for j in tail if j < i]
            if (
                before
                and len(texts[before[-1]]) <= 30
                and not re.search(r"[。,,;;::]", texts[before[-1]])
            ):
                facts.signer = texts[before[-1]]
            break
    return facts


def _open(path: Path) -> docx.document.Document:
    if path.suffix.lower() != ".docx":
        raise ImportFailure(
            f"{path.name} 不是 .docx 文件:请在 Word 中“另存为”Word 文档(.docx)后再导入"
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailure(
            f"{path.name} 无法打开,文件可能已损坏或不是 Word 文档({type(exc).__name__}):"
            "请用 Word 打开确认后重新保存"
        ) from None


def _body(
    document: docx.document.Document, facts: Facts, image_prefix: str
) -> tuple[str, list[tuple[str, bytes]]]:
    """Markdown of the document without its header lines, and the images it holds."""
    for i, paragraph in enumerate(list(document.paragraphs)):
        if i in facts.drop:
            paragraph._element.getparent().remove(paragraph._element)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    images: list[tuple[str, bytes]] = []

    def save_image(image) -> dict[str, str]:
        extension = (image.content_type or "image/png").split("/")[-1].replace("jpeg", "jpg")
        name = f"attachments/{image_prefix}-图{len(images) + 1}.{extension}"
        with image.open() as data:
            images.append((name, data.read()))
        return {"src": name}

    html = mammoth.convert_to_html(
        buffer, convert_image=mammoth.images.img_element(save_image)
    ).value
    markdown = markdownify(html, heading_style="ATX", table_infer_header=True, bullets="-")
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n", images


def import_file(
    project: Project, source: Path, category: str, today: date | None = None
) -> Imported:
    """Import one .docx; raises ImportFailure or NewItemError and then writes nothing."""
    document = _open(source)
    paragraphs = [
        (p.text, p.style.name if p.style is not None else "") for p in document.paragraphs
    ]
    facts = analyse(paragraphs)
    if not facts.title:
        raise ImportFailure(f"{source.name} 中没有找到标题段落:请确认文档不是空白的")
    check_request(project, category, facts.title, "document")
    today = today or beijing_today()
    prefix = file_name(next_index_number(project, category, today.year)).removesuffix(".md")
    body, images = _body(document, facts, prefix)
    folder = project.root / CONTENT_DIR / project.catalog.categories[category].folder
    publisher = facts.signer if facts.signer and facts.signer != project.catalog.org_name else None
    written: list[Path] = []
    try:
        for name, data in images:
            write_new(folder / name, data)
            written.append(folder / name)
        path = create_item(
            project,
            category,
            facts.title,
            "document",
            today,
            doc_no=facts.doc_no,
            written=facts.written,
            publisher=publisher,
            body=body,
            attachments=[(name, f"图{n}") for n, (name, _) in enumerate(images, 1)],
        )
    except BaseException:
        for image in written:  # nothing half-imported stays behind
            image.unlink(missing_ok=True)
        raise
    return Imported(source, path, _to_decide(project.root, path))


def _to_decide(root: Path, path: Path) -> list[str]:
    """Keys the author still has to fill in, as validate reports them for the new file."""
    problems = check(load_project(root))
    return [p.message for p in problems if p.file == str(path) and p.is_error]


def import_paths(
    project: Project, sources: list[Path], category: str, today: date | None = None
) -> list[Imported | ImportFailure | NewItemError]:
    """Import files and the .docx files of folders; one result (or failure) per document."""
    files: list[Path] = []
    for source in sources:
        files += sorted(source.glob("*.docx")) if source.is_dir() else [source]
    results: list[Imported | ImportFailure | NewItemError] = []
    for source in files:
        try:
            results.append(import_file(project, source, category, today))
        except (ImportFailure, NewItemError) as exc:
            results.append(exc)
        project = load_project(project.root)  # the next document gets the next index number
    return results
