"""Every piece of text an Office Open XML package (.docx, .xlsx, .pptx) holds, for the privacy
screen (generator/core/doctext.py).

The file is published byte for byte, so the screen reads the whole package, not the places a
word processor usually shows: every XML part (document, headers, footnotes, comments, glossary,
sheets, shared strings, sheet names, slides, layouts, masters, notes, SmartArt, charts, VML
drawings, docProps, custom XML), every other member that is text, and the Office files embedded
in it (a chart's workbook). Text is read with a small tokenizer, not an XML parser: no DTD, no
entity but XML's five and character references is ever expanded, and a part that is not well
formed is still read.

Runs are joined within a paragraph (`w:p`, `a:p`, `si`, `is`, a comment's `text`): a number
split into runs is one number. Paragraphs, cells and other elements holding text each give a
line. Tracked changes give the paragraph as it reads with them accepted and, when different, as
it read before (deleted text is still in the file and shown in review mode). A few attributes
are shown to readers and read too: sheet names, alternative text, tooltips, input prompts,
content-control titles, authors, external link targets.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from dataclasses import dataclass, field

# Elements that continue the line they are in: runs and what wraps runs inside a paragraph.
_INLINE = frozenset(
    {
        "r", "t", "delText", "instrText", "delInstrText", "ins", "del", "moveFrom", "moveTo",
        "smartTag", "hyperlink", "fldSimple", "sdt", "sdtContent", "customXml", "fld", "bdo",
        "dir", "fldChar", "noBreakHyphen", "softHyphen", "sym", "proofErr",
    }
)  # fmt: skip
_ORIGINAL_ONLY = frozenset({"del", "moveFrom"})  # text shown only before changes are accepted
_FINAL_ONLY = frozenset({"ins", "moveTo"})  # text shown only once they are
_DELETED_TEXT = frozenset({"delText", "delInstrText"})
_BREAKS = frozenset({"br", "cr"})
# Attributes whose value a reader is shown, by the attribute's local name (any element) ...
_SHOWN_ATTRIBUTES = frozenset(
    {"descr", "title", "tooltip", "prompt", "promptTitle", "error", "errorTitle", "display",
     "author", "initials", "displayName", "userId"}
)  # fmt: skip
# ... and by (element, attribute): sheet and comment-author names, content-control titles.
_SHOWN_BY_ELEMENT = frozenset(
    {("sheet", "name"), ("cmAuthor", "name"), ("person", "name"), ("alias", "val"),
     ("docVar", "val"), ("definedName", "name")}
)  # fmt: skip

# an attribute's name and opening quote, at the start of a word (linear on any input)
_ATTRIBUTE = re.compile(r"(?<![^\s=/<>\"'])([^\s=/<>\"']++)\s*+=\s*+([\"'])")
_NAME = re.compile(r"/?([^\s/>]*)")
# constructs that are not elements: (opening, closing); what they hold is read as a line apart
_SPECIAL = (("<!--", "-->"), ("<?", "?>"))
_DECLARED = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PACKAGE = b"PK\x03\x04"
_SNIFF = 1024
MAX_DEPTH = 2  # an Office file embedded in one embedded in the attachment, no deeper
MAX_MEMBERS = 20_000  # real packages have a few hundred parts
MAX_NESTING = 2_000  # elements open at once; real parts nest a few dozen deep
MAX_ALTERNATES = 4  # nested mc:AlternateContent whose copies are compared (deeper: all read)


class TooLarge(Exception):
    """The package's text parts unpack to more than the budget allows."""


class TooDeep(Exception):
    """Office files are embedded in each other deeper than MAX_DEPTH."""


class TooNested(Exception):
    """A part's elements nest deeper than MAX_NESTING."""


class TooManyParts(Exception):
    """The package has more members than any real document."""


@dataclass
class _Budget:
    left: int


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def package_text(data: io.BufferedIOBase | io.BytesIO, limit: int) -> str:
    """The text of the package in `data` (a seekable binary file); at most `limit` bytes are
    unpacked in all, embedded packages included (TooLarge past it)."""
    return "\n".join(_package_lines(data, _Budget(limit), 0))


def _order(info: zipfile.ZipInfo) -> tuple:
    """Main text first (document, shared strings, sheets, slides, in their number order)."""
    name = info.filename
    main = re.match(r"(word/document|xl/sharedStrings|xl/worksheets/|ppt/slides/)", name)
    natural = [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", name)]
    return (0 if main else 1 if not name.startswith("docProps/") else 2, natural)


def _package_lines(data, budget: _Budget, depth: int) -> list[str]:
    lines: list[str] = []
    with zipfile.ZipFile(data) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise TooManyParts
        texts = [i for i in members if i.filename.lower().endswith((".xml", ".rels", ".vml"))]
        if sum(i.file_size for i in texts) > budget.left:
            raise TooLarge  # said before anything is unpacked, as the declared sizes show it
        for member in sorted(members, key=_order):
            with archive.open(member) as stream:
                head = stream.read(_SNIFF)
                kind = _kind(member.filename, head)
                if kind is None:
                    continue  # an image or other binary part: no text to read
                if len(head) > budget.left:
                    raise TooLarge
                body = head + stream.read(budget.left - len(head) + 1)
            budget.left -= len(body)
            if budget.left < 0:
                raise TooLarge  # the member unpacks to more than its declared size
            if kind == "package":
                if depth >= MAX_DEPTH:
                    raise TooDeep
                lines += _package_lines(io.BytesIO(body), budget, depth + 1)
            elif kind == "xml":
                lines += xml_lines(_decode(body))
            else:
                lines += [s for s in _decode(body).splitlines() if s.strip()]
    return lines


def _kind(name: str, head: bytes) -> str | None:
    """How a member is read: "package", "xml", "text", or None (binary)."""
    if head.startswith(_PACKAGE):
        return "package"
    lowered = name.lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.endswith((".xml", ".rels", ".vml")) or stripped.startswith(b"<"):
        return "xml"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:2] in (
        b"<\x00",
        b"\x00<",
    ):
        return "xml"
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sniff
            return None
    return "text"


def _decode(body: bytes) -> str:
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace")
    if body.startswith(b"<\x00"):
        return body.decode("utf-16-le", "replace")
    if body.startswith(b"\x00<"):
        return body.decode("utf-16-be", "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(body[:200])
    if declared:
        try:
            return body.decode(declared.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return body.decode("utf-8", "replace")


@dataclass
class _Open:
    name: str
    seq: int  # the text count when it opened: it holds text if the count has changed


@dataclass
class _Walk:
    """The state of one XML part's walk."""

    lines: list[str] = field(default_factory=list)
    final: list[str] = field(default_factory=list)  # the current line, changes accepted
    original: list[str] = field(default_factory=list)  # the current line, before changes
    stack: list[_Open] = field(default_factory=list)
    seq: int = 0
    pending: int = 0  # open block elements with no text yet: a break is due before text
    open_names: dict[str, int] = field(default_factory=dict)  # how many of each are open
    break_next: bool = False
    final_only: int = 0
    original_only: int = 0
    alternates: list[set[str]] = field(default_factory=list)  # mc:AlternateContent branches
    marks: list[int] = field(default_factory=list)
    extra: dict[str, None] = field(default_factory=dict)  # ordered, each value once

    def flush(self) -> None:
        final, original = "".join(self.final), "".join(self.original)
        if final.strip():
            self.lines.append(final)
        if original != final and original.strip():
            self.lines.append(original)
        self.final, self.original = [], []
        self.break_next = False

    def text(self, text: str, deleted: bool = False) -> None:
        if not text:
            return
        if self.pending:
            self.pending = 0
            self.flush()
        elif self.break_next:
            self.flush()
        self.seq += 1
        if not deleted and not self.original_only:
            self.final.append(text)
        if not self.final_only:
            self.original.append(text)

    def line(self, text: str) -> None:
        """A line of its own after the part's text (an attribute's value, a comment): never in
        the middle of a paragraph, whose runs it would split."""
        if text.strip() and text not in self.extra:
            self.extra[text] = None


def xml_lines(xml: str) -> list[str]:
    """The text lines of one XML part (see the module's docstring). One pass with str.find: no
    input makes it slower than linear; what is not markup, or is never closed, is text."""
    walk = _Walk()
    position = 0
    while True:
        start = xml.find("<", position)
        _between(walk, xml[position : start if start >= 0 else len(xml)])
        if start < 0:
            break
        end, kind = _markup_end(xml, start)
        if end < 0:
            _between(walk, xml[start:])  # never closed: the rest is text
            break
        markup, position = xml[start:end], end
        if kind == "cdata":
            walk.text(markup[9:-3], _in_deleted_text(walk))
        elif kind == "tag":
            _tag(walk, markup[1:-1])
        else:  # a comment, an instruction or a DOCTYPE, whose entities are never expanded
            walk.line(markup)
    walk.flush()
    return walk.lines + list(walk.extra)


def _between(walk: _Walk, text: str) -> None:
    if text and (text.strip() or _in_text_element(walk)):
        walk.text(html.unescape(text), _in_deleted_text(walk))


def _markup_end(xml: str, start: int) -> tuple[int, str]:
    """Where the markup at `start` ends (-1: never) and what it is."""
    if xml.startswith("<![CDATA[", start):
        end = xml.find("]]>", start + 9)
        return (end + 3 if end >= 0 else -1), "cdata"
    for opening, closing in _SPECIAL:
        if xml.startswith(opening, start):
            end = xml.find(closing, start + len(opening))
            return (end + len(closing) if end >= 0 else -1), "other"
    end = xml.find(">", start)
    if xml.startswith("<!", start):
        bracket = xml.find("[", start, end if end >= 0 else len(xml))
        if bracket >= 0:  # a DOCTYPE's internal subset
            end = xml.find("]", bracket)
            end = xml.find(">", end) if end >= 0 else -1
        return (end + 1 if end >= 0 else -1), "other"
    return (end + 1 if end >= 0 else -1), "tag"


def _attributes(tag: str):
    """(name, raw value) of each attribute of a tag; an unclosed value runs to the tag's end."""
    position = 0
    while found := _ATTRIBUTE.search(tag, position):
        close = tag.find(found[2], found.end())
        yield found[1], tag[found.end() : close if close >= 0 else len(tag)]
        if close < 0:
            return
        position = close + 1


def _in_text_element(walk: _Walk) -> bool:
    """Whitespace counts as text only inside an element holding text (`<w:t> </w:t>`)."""
    return bool(walk.stack) and walk.stack[-1].name in ("t", "delText", "instrText", "v")


def _in_deleted_text(walk: _Walk) -> bool:
    return bool(walk.stack) and walk.stack[-1].name in _DELETED_TEXT


def _tag(walk: _Walk, tag: str) -> None:
    name = _local(_NAME.match(tag)[1])
    if tag.startswith("/"):
        _close(walk, name)
        return
    for attribute, value in _attributes(tag):
        key = _local(attribute)
        link = name == "Relationship" and key == "Target" and "External" in tag
        if key in _SHOWN_ATTRIBUTES or (name, key) in _SHOWN_BY_ELEMENT or link:
            walk.line(html.unescape(value))
    if name in _BREAKS:
        walk.flush()
        return
    if name == "tab":
        walk.text("\t")
        return
    if tag.endswith("/"):
        return
    block = name not in _INLINE
    if len(walk.stack) >= MAX_NESTING:
        raise TooNested
    walk.stack.append(_Open(name, walk.seq))
    walk.open_names[name] = walk.open_names.get(name, 0) + 1
    walk.pending += block
    walk.final_only += name in _FINAL_ONLY
    walk.original_only += name in _ORIGINAL_ONLY
    if name == "AlternateContent":
        walk.alternates.append(set())
    elif name in ("Choice", "Fallback"):
        walk.marks.append(len(walk.lines) if len(walk.marks) < MAX_ALTERNATES else -1)


def _close(walk: _Walk, name: str) -> None:
    # the innermost open element of that name; a stray end tag closes nothing
    if not walk.open_names.get(name):
        return
    for index in range(len(walk.stack) - 1, -1, -1):
        if walk.stack[index].name == name:
            break
    else:
        return
    while len(walk.stack) > index:
        entry = walk.stack.pop()
        _closed(walk, entry)


def _closed(walk: _Walk, entry: _Open) -> None:
    name = entry.name
    walk.open_names[name] -= 1
    had_text = walk.seq != entry.seq
    if name not in _INLINE:
        if had_text:
            walk.break_next = True
        else:
            walk.pending = max(0, walk.pending - 1)  # counted at its opening, no text since
    walk.final_only -= name in _FINAL_ONLY
    walk.original_only -= name in _ORIGINAL_ONLY
    if name in ("Choice", "Fallback") and walk.marks:
        mark = walk.marks.pop()
        if had_text:
            walk.flush()
        if walk.alternates and mark >= 0:
            branch = walk.lines[mark:]
            seen = walk.alternates[-1]
            if name == "Fallback" and set(branch) <= seen:
                del walk.lines[mark:]  # Word's copy of the same text for older readers
            seen.update(branch)
    elif name == "AlternateContent" and walk.alternates:
        walk.alternates.pop()
