"""Confidentiality and privacy screening (保密审查) of every item and its attachments.

Findings show values masked (`1101**********123X`, `138****5678`): CI logs are public, so the
screen must never print what it found. An item may exempt one finding, by its kind and masked
value, with a written reason under `screening_exempt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# Ordered so that a longer number is claimed by the strongest reading first.
FOUR_DIGITS = re.compile(r"\d{4}")
LONG_DIGITS = re.compile(r"\d{14}")  # an ID number holds at least 14 digits in a row
ID18 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{14}(?![0-9A-Za-z])")
MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])"
)
# The look-behind follows the first digit, so the regex engine can skip to a 3-6 quickly.
CARD = re.compile(r"[3-6](?<![0-9A-Za-z][3-6])\d{3}(?:[ -]?\d{4}){2}[ -]?\d{4,7}(?![0-9A-Za-z])")
MOBILE_CORE = re.compile(r"1[3-9]\d[- ]?\d{4}[- ]?\d{4}")  # cheap to look for: starts with "1"
SECRET = re.compile(
    r"(绝密|机密|秘密)\s*★\s*(?:[0-9一二三四五六七八九十]+\s*年)?|^\s*(绝密|机密|秘密)\s*[.。]?\s*$",
    re.MULTILINE,
)
SECRET_WORDS = ("绝密", "机密", "秘密")  # one is in every SECRET match
INTERNAL_WORDS = ("内部资料", "内部文件", "注意保密", "不得外传", "严禁外传", "内部传阅")
INTERNAL = re.compile("|".join(INTERNAL_WORDS))
EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
PERSONAL_DOMAINS = frozenset(
    [
        "qq.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "foxmail.com",
        "139.com",
        "189.cn",
        "aliyun.com",
        "icloud.com",
        "yahoo.com",
        "live.com",
    ]
)
PERSONAL_CONTEXT = re.compile(r"身份证号码?|公民身份号码|身份证件号|家庭住址|现住址|住址|户籍地")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

KINDS = {
    "id": ("GK801", "居民身份证号码"),
    "mobile": ("GK802", "手机号码"),
    "card": ("GK803", "银行卡号"),
    "secret": ("GK804", "密级或保密标志"),
    "word": ("GK805", "本单位规定的敏感词"),
    "email": ("GK806", "个人电子邮箱"),
    "context": ("GK807", "身份证号、住址等个人信息字样"),
}
WARNINGS = frozenset({"email", "context"})


@dataclass(frozen=True)
class Hit:
    kind: str
    masked: str
    line: int  # 1-based within the screened text
    start: int


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def valid_id18(number: str) -> bool:
    digits = number.upper()
    if not _valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def valid_id15(number: str) -> bool:
    return _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def mask(value: str, keep_start: int, keep_end: int) -> str:
    hidden = max(len(value) - keep_start - keep_end, 1)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _numbers(text: str, allow: frozenset[str]) -> Iterator[Hit]:
    if not FOUR_DIGITS.search(text):  # every number below has four digits in a row
        return
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    ids = LONG_DIGITS.search(text) is not None
    for m in ID18.finditer(text) if ids else ():
        if valid_id18(m.group()):
            taken.append(m.span())
            yield Hit("id", mask(m.group().upper(), 4, 4), _line_of(text, m.start()), m.start())
    for m in ID15.finditer(text) if ids else ():
        if free(m) and valid_id15(m.group()):
            taken.append(m.span())
            yield Hit("id", mask(m.group(), 4, 3), _line_of(text, m.start()), m.start())
    for m in MOBILE.finditer(text) if MOBILE_CORE.search(text) else ():
        number = "".join(m.groups())
        if free(m) and number not in allow:
            taken.append(m.span())
            yield Hit("mobile", mask(number, 3, 4), _line_of(text, m.start()), m.start())
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if free(m) and 16 <= len(digits) <= 19 and luhn(digits) and digits not in allow:
            taken.append(m.span())
            yield Hit("card", mask(digits, 4, 4), _line_of(text, m.start()), m.start())


def _markings(text: str, words: tuple[str, ...]) -> Iterator[Hit]:
    yield from _classified(text)
    for word in words:
        for m in re.finditer(re.escape(word), text):
            yield Hit("word", mask(word, 1, 0), _line_of(text, m.start()), m.start())


def _classified(text: str) -> Iterator[Hit]:
    # the patterns are tried at every position; a plain substring test first is far cheaper
    if any(word in text for word in SECRET_WORDS):
        for m in SECRET.finditer(text):
            yield Hit("secret", m.group().strip(), _line_of(text, m.start()), m.start())
    if any(word in text for word in INTERNAL_WORDS):
        for m in INTERNAL.finditer(text):
            yield Hit("secret", m.group(), _line_of(text, m.start()), m.start())


def _emails(text: str, allow: frozenset[str]) -> Iterator[Hit]:
    if "@" not in text:  # the pattern is slow on long Chinese runs, which are all word characters
        return
    for m in EMAIL.finditer(text):
        domain = m.group(2).lower()
        if domain in PERSONAL_DOMAINS and m.group().lower() not in allow:
            yield Hit(
                "email", mask(m.group(1), 1, 0) + "@" + domain, _line_of(text, m.start()), m.start()
            )


def screen_text(
    text: str, words: tuple[str, ...] = (), allow: frozenset[str] = frozenset()
) -> list[Hit]:
    """Every finding in `text`, in order of appearance."""
    hits = [*_numbers(text, allow), *_markings(text, words), *_emails(text, allow)]
    id_lines = {h.line for h in hits if h.kind == "id"}
    for m in PERSONAL_CONTEXT.finditer(text):
        line = _line_of(text, m.start())
        if line not in id_lines:
            hits.append(Hit("context", m.group(), line, m.start()))
    return sorted(hits, key=lambda h: h.start)


class UnreadableAttachment(Exception):
    """The attachment's text could not be extracted; the message says why, in Chinese.

    `unsupported` means a kind of file no screen reads (an image, a spreadsheet): a reviewer
    must look at it. Otherwise the file is broken and cannot be published as it is.
    """

    def __init__(self, message: str, unsupported: bool = False):
        super().__init__(message)
        self.unsupported = unsupported


TEXT_SUFFIXES = frozenset({".md", ".txt", ".csv", ".svg", ".html", ".htm", ".xml", ".json"})
SCREENED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


def attachment_text(path: Path) -> str:
    """The text of an attachment; raises UnreadableAttachment for a broken or unknown file."""
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            return path.read_bytes().decode("utf-8-sig")
        if suffix == ".docx":
            return _docx_text(path)
        if suffix == ".pdf":
            return _pdf_text(path)
    except UnicodeDecodeError:
        raise UnreadableAttachment("不是 UTF-8 编码的文本,请另存为 UTF-8") from None
    except UnreadableAttachment:
        raise
    except Exception:  # a corrupt document raises whatever its parser raises
        # not the parser's exception name: staff cannot act on it, and it is English
        raise UnreadableAttachment("文件已损坏或格式不对,请用原软件重新导出后上传") from None
    raise UnreadableAttachment(
        f"无法自动审查 {suffix or '无扩展名'} 类型的文件,审核人须人工审查其内容;"
        "能转为 PDF、DOCX 或文本的,请转换后上传",
        unsupported=True,
    )


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs] + [
            p.text for p in section.footer.paragraphs
        ]
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    if reader.pages and not any(p.strip() for p in pages):
        raise UnreadableAttachment(
            "PDF 中没有可提取的文字(可能是扫描件),请由审核人人工审查或提供文字版"
        )
    return "\n".join(pages)
