"""`gongkai import`: a Word (.docx) document becomes a ready-to-review item.

The document's header lines (发文机关标志, 文号) and title become front matter; the body is
converted with mammoth (headings, lists, tables, bold) and markdownify; images are saved as
attachments beside the item. The disclosure attribute is left for the author to decide.

A document is untrusted input: the archive is checked before any parser sees it
(`docx_archive`), Word's text becomes escaped Markdown text and only http, https and mailto links
are kept (`docx_markdown`), and an image is saved only when its bytes are an image the site may
publish. What was dropped is reported to the author.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import docx
import mammoth

from generator.authoring.docx_archive import (
    EXTERNAL_IMAGE,
    MAX_TOTAL,
    ArchiveRefused,
    image_kind,
    image_type,
    read_package,
    shown,
)
from generator.authoring.docx_markdown import plain, to_markdown
from generator.authoring.new import (
    NewItemError,
    check_request,
    create_item,
    file_name,
    next_index_number,
    write_new,
)
from generator.checks import check
from generator.core.clock import beijing_today
from generator.core.project import CONTENT_DIR, Project, load_project

DOC_NO = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[(【﹝]\s*(\d{4})\s*[〕\])】﹞]\s*第?\s*(\d+)\s*号"  # after NFKC
)
DATE = re.compile(
    r"^\s*([\d〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d一二三四五六七八九十]{1,3})\s*日\s*$"
)
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
T = TypeVar("T")
HEAD = 8  # the title and the header lines are among the first non-empty paragraphs
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
    notes: list[str] = field(default_factory=list)  # what was left out of the document, in Chinese


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
    filled = [i for i, t in enumerate(texts) if t]
    head = filled[:HEAD]
    _read_header(facts, texts, head)
    titled = [i for i in head if paragraphs[i][1].lower().startswith(("title", "标题"))]
    candidates = titled or [i for i in head if i not in facts.drop]
    if candidates:
        facts.title = texts[candidates[0]]
        facts.drop.add(candidates[0])
    _read_closing(facts, texts, filled[-6:])
    return facts


def _read_header(facts: Facts, texts: list[str], head: list[int]) -> None:
    """The issuing-office lines and the document number among the first paragraphs."""
    for i in head:
        if HEADER.match(texts[i]):
            facts.drop.add(i)
        elif facts.doc_no is None and (m := DOC_NO.search(texts[i])) and len(texts[i]) < 40:
            facts.doc_no = normalize_doc_no(m)
            facts.drop.add(i)


def _read_closing(facts: Facts, texts: list[str], tail: list[int]) -> None:
    """The date written at the end (the last date line) and the signer on the line before it."""
    for i in reversed(tail):
        if (day := parse_date_line(texts[i])) is not None:
            facts.written = day
            before = [j for j in tail if j < i]
            if before and _signer_like(texts[before[-1]]):
                facts.signer = texts[before[-1]]
            return


def _signer_like(text: str) -> bool:
    """A short line without sentence punctuation: an office's or a person's name."""
    return len(text) <= 30 and not re.search(r"[。,,;;::]", text)


def _open(path: Path) -> tuple[docx.document.Document, list[str]]:
    """The parsed document and notes about what its archive links to but was not imported."""
    if path.suffix.lower() != ".docx":
        raise ImportFailure(
            f"{shown(path.name)} 不是 .docx 文件：请在 Word 中“另存为”Word 文档（.docx）后再导入"
        )
    try:
        package = read_package(path)
    except ArchiveRefused as exc:
        raise ImportFailure(str(exc)) from None
    return _parsed(path, lambda: docx.Document(io.BytesIO(package.data))), package.notes


def _parsed(path: Path, parse: Callable[[], T]) -> T:
    """What `parse` returns; any failure of the parsers becomes an ImportFailure."""
    try:
        return parse()
    except ImportFailure:
        raise
    except Exception:  # the archive was checked, so this is damage the parsers stumbled on
        raise ImportFailure(
            f"{shown(path.name)} 无法读取，文件已损坏或含有 Word 不会写出的内容："
            "请用 Word 打开后“另存为”Word 文档（.docx），再重新导入"
        ) from None


class _Images:
    """The images mammoth finds, kept only when their bytes are an image the site publishes."""

    def __init__(self, prefix: str, notes: list[str]) -> None:
        self.prefix = prefix
        self.notes = notes
        self.saved: list[tuple[str, bytes]] = []

    def __call__(self, image: mammoth.documents.Image) -> dict[str, str]:
        try:
            with image.open() as stream:
                data = stream.read(MAX_TOTAL)
        except mammoth.docx.files.ExternalFileAccessIsDisabledError:
            if not any(note.startswith(EXTERNAL_IMAGE) for note in self.notes):  # listed already
                self.notes.append(f"{EXTERNAL_IMAGE}：请把图片插入文档后再导入")
            return {"src": ""}
        except Exception:  # a missing or unreadable part; never fetched from elsewhere
            self.notes.append(
                "文档中有一幅图片缺失或无法读取，未导入：请在 Word 中重新插入这幅图片"
            )
            return {"src": ""}
        extension = image_type(data)
        if extension is None:
            declared = shown(image.content_type or "未声明", 40)
            self.notes.append(
                f"文档中有一幅图片（声明类型 {declared}）实际是{image_kind(data)}，"
                "不是 PNG、JPEG、GIF、WebP 或 BMP 图片，未导入："
                "请在 Word 中把它另存为 PNG 或 JPEG 图片后重新插入"
            )
            return {"src": ""}
        name = f"attachments/{self.prefix}-图{len(self.saved) + 1}.{extension}"
        self.saved.append((name, data))
        return {"src": name}


def _body(
    document: docx.document.Document, facts: Facts, image_prefix: str, notes: list[str]
) -> tuple[str, list[tuple[str, bytes]]]:
    """Markdown of the document without its header lines, and the images it holds."""
    for i, paragraph in enumerate(list(document.paragraphs)):
        if i in facts.drop:
            paragraph._element.getparent().remove(paragraph._element)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    images = _Images(image_prefix, notes)
    html = mammoth.convert_to_html(
        buffer,
        convert_image=mammoth.images.img_element(images),
        include_embedded_style_map=False,  # the document's own style map could emit any element
        external_file_access=False,  # linked images are reported, never fetched
    ).value
    return to_markdown(html, {name for name, _ in images.saved}, notes), images.saved


def import_file(
    project: Project, source: Path, category: str, today: date | None = None
) -> Imported:
    """Import one .docx; raises ImportFailure or NewItemError and then writes nothing."""
    document, notes = _open(source)
    notes += _parsed(source, lambda: _unseen(document))
    paragraphs = _parsed(source, lambda: _paragraphs(document))
    facts = analyse(paragraphs)
    if not facts.title:
        raise ImportFailure(f"{shown(source.name)} 中没有找到标题段落：请确认文档不是空白的")
    check_request(project, category, facts.title, "document")
    today = today or beijing_today()
    prefix = file_name(next_index_number(project, category, today.year)).removesuffix(".md")
    body, images = _parsed(source, lambda: _body(document, facts, prefix, notes))
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
    return Imported(source, path, _to_decide(project.root, path), notes)


_HIDDEN = ".//w:r[w:rPr/w:vanish[not(@w:val='0' or @w:val='false' or @w:val='off')]]"


def _unseen(document: docx.document.Document) -> list[str]:
    """Notes on what a reader of the printed document does not see: hidden text is removed
    (it is often an internal note), tracked changes and comments are pointed out."""
    body = document.element.body
    hidden = body.xpath(_HIDDEN)
    for run in hidden:
        run.getparent().remove(run)
    notes = []
    if hidden:
        notes.append(
            f"文档中有 {len(hidden)} 处隐藏文字，未导入：如需公开，请在 Word 中取消隐藏后重新导入"
        )
    if changes := len(body.xpath(".//w:ins | .//w:del")):
        notes.append(f"文档中有 {changes} 处未处理的修订，已按“接受全部修订”导入：请核对正文")
    if body.xpath(".//w:commentReference"):
        notes.append("文档中的批注未导入：请确认批注中的意见已经处理")
    return notes


def _paragraphs(document: docx.document.Document) -> list[tuple[str, str]]:
    """(text, style name) of each paragraph, as plain one-line text; the style only for the
    first lines, where the title is looked for (a style lookup scans every style)."""
    paragraphs = list(document.paragraphs)
    texts = [" ".join(plain(p.text).split()) for p in paragraphs]
    head = set([i for i, text in enumerate(texts) if text][:HEAD])
    return [(text, _style_name(paragraphs[i]) if i in head else "") for i, text in enumerate(texts)]


def _style_name(paragraph: docx.text.paragraph.Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


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
