"""Confidentiality and privacy screening (保密审查) of every item and its attachments.

Findings show values masked (`1101**********123X`, `138****5678`): CI logs are public, so the
screen must never print what it found. An item may exempt one finding, by its kind and masked
value, with a written reason under `screening_exempt`. `mask_personal` hides the same numbers in
any text the tool prints (generator/core/problems.py, generator/cli/main.py). The text of attachments
comes from generator/core/doctext.py.

Text is folded before matching: every character whose NFKC form is one letter, digit or one of
`+-.@_` (full-width `１１０１０５`, mathematical digits, CJK compatibility ideographs) and every
other script's decimal digit becomes that character. The fold keeps the text's length, so a
finding's position is its position in the original text. Numbers may be written with spaces,
full-width spaces, hyphens or dots between their digits, as people write them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from generator.core.clock import beijing_today
from generator.core.sanitize import DIRECTION_CONTROL, NEVER_SHOWN, sub_never_shown

# Unicode blocks holding every character the fold changes (tests/test_screening.py checks this
# against all of Unicode): scanning 20,000 code points at import instead of 1.1 million.
_FOLD_BLOCKS = (
    (0x0, 0x400), (0x600, 0x800), (0x900, 0x1100), (0x1700, 0x2200), (0x2300, 0x2500),
    (0x2C00, 0x3300), (0xA600, 0xAC00), (0xF900, 0xFC00), (0xFE00, 0x10000), (0x10400, 0x10500),
    (0x10700, 0x10800), (0x10D00, 0x10E00), (0x11000, 0x11300), (0x11400, 0x11500),
    (0x11600, 0x11A00), (0x11C00, 0x11E00), (0x16A00, 0x16C00), (0x1D400, 0x1D800),
    (0x1E100, 0x1E300), (0x1E900, 0x1EA00), (0x1EE00, 0x1EF00), (0x1F100, 0x1F300),
    (0x1FB00, 0x1FC00), (0x2F800, 0x2FB00),
)  # fmt: skip
_FOLD_KEEP = frozenset("+-.@_")  # ASCII punctuation the patterns use; the rest need no folding


def fold_of(char: str) -> str | None:
    """What `char` becomes before matching, or None when it stays as it is."""
    nfkc = unicodedata.normalize("NFKC", char)
    if len(nfkc) == 1 and nfkc != char:
        if nfkc.isascii() and not (nfkc.isalnum() or nfkc in _FOLD_KEEP):
            return None  # full-width ,:() and the ideographic space: common, and never needed
        return nfkc
    if not char.isascii() and unicodedata.category(char) == "Nd" and nfkc == char:
        return str(unicodedata.decimal(char))  # other scripts' digits (not NFKC, but digits)
    return None


def _fold_table() -> dict[int, str]:
    table = {}
    for low, high in _FOLD_BLOCKS:
        for code in range(low, high):
            if not 0xD800 <= code < 0xE000 and (folded := fold_of(chr(code))) is not None:
                table[code] = folded
    return table


FOLD = _fold_table()
# Where ordinary Chinese text lives (ASCII, Latin-1, punctuation, CJK ideographs, full-width
# forms), less what the fold changes: text with nothing outside needs no fold. A short class of
# ranges is searched about 30 times faster than one listing the 4,000 characters of FOLD.
_COMMON = ((0x0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF))


def _spans(codes: list[int]) -> str:
    """Sorted code points as the inside of a regular expression's character class."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


def _outside_common(skipped) -> re.Pattern:
    """A character outside ordinary Chinese text (_COMMON, full-width forms), or one of it for
    which `skipped(code)` holds."""
    kept = [
        code
        for low, high in (*_COMMON, (0xFF00, 0xFFEF))
        for code in range(low, high + 1)
        if not skipped(code)
    ]
    return re.compile(f"[^{_spans(kept)}]")


_UNCOMMON = _outside_common(FOLD.__contains__)


def fold(text: str) -> str:
    """`text` as the patterns read it: same length, same positions (see the module docstring)."""
    return text.translate(FOLD) if _UNCOMMON.search(text) else text


# A number: digit groups, one separator between groups (a dash or dot with spaces around it, or
# one or two spaces), an ID's check letter at the end; letters or digits on neither side.
_SPACE = "[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_MARK = "[-.\u2010-\u2015\u2212\u00b7\u30fb]"
_SEP = f"(?:{_SPACE}{{0,2}}{_MARK}{_SPACE}{{0,2}}|{_SPACE}{{1,2}})"
_RUN = re.compile(f"(?<![0-9A-Za-z])[0-9]+(?:{_SEP}[0-9]+)*(?:[Xx])?(?![0-9A-Za-z])")
_GROUP = re.compile("[0-9]+[Xx]?")
_DOTS = frozenset(".\u00b7\u30fb")
_MOBILE = re.compile("1[3-9][0-9]{9}")
# First two digits of a resident ID: the province (GB/T 2260); 9 starts permanent-residence IDs.
PROVINCES = frozenset(
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82", "83",
    ]
)  # fmt: skip
_COUNTRY = ("86", "0086")
_DIGITS = re.compile("[0-9]{2}")  # every number below has two digits in a row somewhere

# a marking may be written with spaces inside it (机 密★), as it is read
_GAP = "[ \\t\\u00a0\\u2000-\\u200a\\u202f\\u3000]*"  # spaces inside or around a marking
SECRET = re.compile(
    rf"([绝机秘]{_GAP}密)\s*★\s*(?:[0-9一二三四五六七八九十]+\s*年)?"
    # alone on its line, also as a list item, a quotation, a heading (closing #s too) or a cell
    # (possessive, one way to read each run of marks: a line of many # took hours before)
    rf"|^{_GAP}(?:(?:[-*+>|]|[0-9]{{1,9}}[.)]|#+){_GAP})*+"
    rf"([绝机秘]{_GAP}密)[{_GAP[1:-2]}|#.。]*+$",
    re.MULTILINE,
)
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
    end: int


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= beijing_today()


def valid_id18(number: str) -> bool:
    digits = number.upper()
    if not _province(digits):
        return False
    if not _valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def valid_id15(number: str) -> bool:
    return _province(number) and _valid_date(
        1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
    )


def _province(digits: str) -> bool:
    return digits[:2] in PROVINCES or digits[0] == "9"


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
    """ID, mobile and card numbers in folded text, each claimed by its strongest reading."""
    for run in _RUN.finditer(text):
        if run.end() - run.start() >= 11:  # the shortest number below has 11 digits
            yield from _run_hits(text, run.start(), run.group(), allow)


def _separator(between: str) -> str:
    mark = between.strip(
        " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    )
    return "." if mark in _DOTS else "-" if mark else " "


def _run_hits(text: str, base: int, run: str, allow: frozenset[str]) -> Iterator[Hit]:
    groups = list(_GROUP.finditer(run))
    seps = [_separator(run[a.end() : b.start()]) for a, b in zip(groups, groups[1:], strict=False)]
    i = 0
    while i < len(groups):
        best: tuple[int, str, str] | None = None
        size = 0
        for j in range(i, len(groups)):
            size += len(groups[j].group())
            # a one-digit group is a list ("1 2 3"), never part of a separated number
            if size > 19 or (j > i and min(len(groups[i].group()), len(groups[j].group())) < 2):
                break
            found = _reading(groups, seps, i, j, allow)
            if found and (best is None or _RANK[found[0]] < _RANK[best[1]]):
                best = (j, *found)
        if best is None:
            i += 1
            continue
        j, kind, masked = best
        start = base + groups[i].start()
        yield Hit(kind, masked, _line_of(text, start), start, base + groups[j].end())
        i = j + 1


_RANK = {"id": 0, "mobile": 1, "card": 2}


def _reading(
    groups: list[re.Match], seps: list[str], i: int, j: int, allow: frozenset[str]
) -> tuple[str, str] | None:
    """(kind, masked value) of groups i..j read as one number, or None."""
    kinds = set(seps[i:j])
    if len(kinds) > 1:
        return None  # "2026-03-05 138…": a date next to a number, not one number
    sep = kinds.pop() if kinds else None
    digits = "".join(g.group() for g in groups[i : j + 1]).upper()
    sizes = tuple(len(g.group()) for g in groups[i : j + 1])
    # a separated number is the whole stretch written with its separator: in "100 150 2000 3000
    # 4000" (a table row) no three of the numbers are one phone number
    after = j + 1 == len(groups) or seps[j] != sep
    before = i == 0 or seps[i - 1] != sep
    if sep is not None and not after:
        return None
    if digits[-1] == "X":
        return _id(digits, sizes, sep) if before else None
    if len(digits) in (15, 18) and before and (found := _id(digits, sizes, sep)):
        return found
    country = i > 0 and groups[i - 1].group() in _COUNTRY
    if (before or country) and (found := _mobile(digits, sizes, sep, allow)):
        return found
    if before and (found := _card(digits, sizes, allow)):
        return found
    return None


def _id(digits: str, sizes: tuple[int, ...], sep: str | None) -> tuple[str, str] | None:
    if len(digits) == 18 and digits[0] != "0" and valid_id18(digits):
        return "id", mask(digits, 4, 4)
    shaped = sizes in ((15,), (6, 6, 3))  # a separated old ID keeps its region-date-serial
    if (
        len(digits) == 15
        and shaped
        and digits.isdigit()
        and digits[0] != "0"
        and valid_id15(digits)
    ):
        return "id", mask(digits, 4, 3)
    return None


_MOBILE_SHAPES = {None: ((11,),), "-": ((3, 4, 4), (3, 8), (7, 4)), ".": ((3, 4, 4),)}
_MOBILE_SHAPES[" "] = _MOBILE_SHAPES["-"]


def _mobile(
    digits: str, sizes: tuple[int, ...], sep: str | None, allow: frozenset[str]
) -> tuple[str, str] | None:
    if sep is None and len(digits) in (13, 15) and digits.startswith(("86", "0086")):
        digits, sizes = digits[-11:], (11,)  # +8613812345678
    if sizes in _MOBILE_SHAPES[sep] and _MOBILE.fullmatch(digits) and digits not in allow:
        return "mobile", mask(digits, 3, 4)
    return None


def _card(digits: str, sizes: tuple[int, ...], allow: frozenset[str]) -> tuple[str, str] | None:
    if not (16 <= len(digits) <= 19 and digits[0] in "3456"):
        return None
    grouped = len(sizes) == 1 or (
        len(sizes) >= 2 and all(n == 4 for n in sizes[1:-1]) and sizes[0] in (4, 6)
    )
    if grouped and luhn(digits) and digits not in allow:
        return "card", mask(digits, 4, 4)
    return None


def mask_personal(text: str) -> str:
    """`text` with every ID, mobile and card number the screen finds masked, as the screen
    shows them: the one mask for everything the tool prints (messages, file names, reports)."""
    folded = fold(text)
    if not _DIGITS.search(folded):
        return text
    for hit in reversed(list(_numbers(folded, frozenset()))):
        text = text[: hit.start] + hit.masked + text[hit.end :]
    return text


def _markings(text: str, words: tuple[str, ...]) -> Iterator[Hit]:
    yield from _classified(text)
    for word in words:
        for m in re.finditer(re.escape(word), text):
            yield Hit("word", mask(word, 1, 0), _line_of(text, m.start()), *m.span())


def _classified(text: str) -> Iterator[Hit]:
    # the patterns are tried at every position; a plain substring test first is far cheaper
    if "密" in text:
        for m in SECRET.finditer(text):
            shown = m.group(2) or m.group().strip()  # alone on its line: the marking itself
            yield Hit("secret", shown, _line_of(text, m.start()), *m.span())
    if any(word in text for word in INTERNAL_WORDS):
        for m in INTERNAL.finditer(text):
            yield Hit("secret", m.group(), _line_of(text, m.start()), *m.span())


def _emails(text: str, allow: frozenset[str]) -> Iterator[Hit]:
    if "@" not in text:  # the pattern is slow on long Chinese runs, which are all word characters
        return
    for m in EMAIL.finditer(text):
        domain = m.group(2).lower()
        if domain in PERSONAL_DOMAINS and m.group().lower() not in allow:
            masked = mask(m.group(1), 1, 0) + "@" + domain
            yield Hit("email", masked, _line_of(text, m.start()), *m.span())


def screen_text(
    text: str, words: tuple[str, ...] = (), allow: frozenset[str] = frozenset()
) -> list[Hit]:
    """Every finding in `text` and in the text a reader is shown from it (`displayed`), in
    order of appearance; lines are those of `text` (`displayed` keeps them), and positions too
    for what `text` holds as written (the start of its line for what only the shown text has)."""
    hits = _screen(text, words, allow)
    shown = displayed(text)
    if shown == text:
        return hits
    lines, shown_lines = text.split("\n"), shown.split("\n")
    # only the lines the reading changed are screened again, the others left empty in place
    changed = "\n".join(s if s != t else "" for t, s in zip(lines, shown_lines, strict=True))
    seen = {(h.kind, h.masked, h.line) for h in hits}
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    rereads = [changed]
    if (reordered := _reordered(text)) is not None:
        rereads.append(displayed(reordered))
    for hit in (h for reread in rereads for h in _screen(reread, words, allow)):
        if (hit.kind, hit.masked, hit.line) not in seen:
            seen.add((hit.kind, hit.masked, hit.line))
            start = starts[hit.line - 1]
            hits.append(Hit(hit.kind, hit.masked, hit.line, start, start))
    return sorted(hits, key=lambda h: h.start)


def _reordered(text: str) -> str | None:
    """The lines holding direction controls with the pieces between them in reverse order
    (the other lines empty, in place), or None when there are none: the screen reads both
    orders rather than guess what the bidirectional algorithm does with them."""
    if not DIRECTION_CONTROL.search(text):
        return None
    return "\n".join(
        "".join(reversed(DIRECTION_CONTROL.split(line))) if DIRECTION_CONTROL.search(line) else ""
        for line in text.split("\n")
    )


# Characters that show nothing or only mark the one before them: 138\u200b1234\u200b5678 and
# 1\u03323\u03328… are shown as one number. By their Unicode category, not a list: every format
# character (Cf: zero-width spaces and joiners, soft hyphen, direction marks, tags, musical and
# shorthand format controls) and every combining mark (Mn, Me: accents, variation selectors);
# also every code point Unicode reserves as default ignorable (U+2065, U+FFF0–FFF8, E0000–E0FFF:
# a browser draws them as nothing even unassigned), the whole of the blocks of combining marks,
# and the Hangul fillers, letters drawn blank.
_MARK_BLOCKS = (
    (0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x2060, 0x206F), (0x20D0, 0x20FF),
    (0xFE00, 0xFE0F), (0xFE20, 0xFE2F), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF),
)  # fmt: skip
_FILLERS = (0x115F, 0x1160, 0x3164, 0xFFA0)
_PLANES = ((0x0, 0x20000), (0xE0000, 0xE1000))  # where Unicode assigns any Cf, Mn or Me


def is_invisible(code: int) -> bool:
    if code in _FILLERS or any(low <= code <= high for low, high in _MARK_BLOCKS):
        return True
    # Cn: unassigned in this Python's Unicode, perhaps a mark in the reader's browser's
    return unicodedata.category(chr(code)) in ("Cf", "Mn", "Me", "Cn")


INVISIBLE = re.compile(
    f"[{_spans([c for low, high in _PLANES for c in range(low, high) if is_invisible(c)])}]"
)
# The characters of ordinary Chinese text (_COMMON, full-width forms) that are not invisible: text with nothing
# else needs no search of the long class above (25 times slower than this one)
_MAYBE_INVISIBLE = _outside_common(is_invisible)


def without_invisible(text: str) -> str:
    """`text` without the characters a page shows as nothing (`INVISIBLE`)."""
    return INVISIBLE.sub("", text) if _MAYBE_INVISIBLE.search(text) else text


# A right-to-left override shows what follows it reversed, up to its end or the line's
_OVERRIDDEN = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069\n]*)")
# What the page does not show: comments and their like (sanitize.NEVER_SHOWN), tags (a > inside a
# quoted attribute value does not end them; an unquoted < does, read as a tag from there)
_TAG = re.compile(rf"{NEVER_SHOWN}|</?[A-Za-z](?:\"[^\"]*\"|'[^']*'|[^'\"<>])*>", re.DOTALL)
# Markdown that shows only its text: a link's or image's address and title, an attribute list,
# emphasis and code marks (an underscore only at a word's edge: 13_81234_5678 is shown as
# written), an escape before punctuation.
_LINK_TARGET = re.compile(r"\]\((?:[^()\n]|\([^()\n]*\))*\)|\]\[[^\]\n]*\]")
_ATTRIBUTES = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
_INLINE = re.compile(r"[*`]+|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])|\\(?=[!-/:-@\[-`{-~])")
# spaces a browser shows as one
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}")
_LINE_START_DIGIT = re.compile(r"\n[ \t]*[0-9]")  # starts with a literal: found fast


def displayed(text: str) -> str:
    """`text` as a reader may be shown it, line for line, for the screen: what the page does not
    show (comments, tags, a link's address, attribute lists) dropped, entities read, invisible
    and combining characters dropped, an overridden run reversed, emphasis, code and escape
    marks dropped, table rules and runs of spaces as one space, and a number broken over lines
    joined on its first (the others left empty). Wider than any one renderer (a mark that shows
    would not hide a finding, it only costs a second look), so `138**1234**5678`,
    `1381234<!-- -->5678`, `[138](x)12345678` and `&#49;3812345678` are screened as the page
    shows them. Each step runs only when its characters are there."""
    if "<" in text:
        lines_of = lambda m: "\n" * m.group().count("\n")  # noqa: E731
        text = sub_never_shown(_TAG, lines_of, text)
    if "&" in text:  # line by line, and &#10; shown as a space: the lines stay the lines
        text = "\n".join(_unescaped(line) for line in text.split("\n"))
    if "\u202e" in text:
        text = _OVERRIDDEN.sub(lambda m: m.group(1)[::-1], text)
    text = without_invisible(text)
    if "](" in text or "][" in text:  # a link or an image: its text (or alt) only
        text = _LINK_TARGET.sub("", text).replace("[", "")
    if "{" in text:
        text = _ATTRIBUTES.sub("", text)
    if "*" in text or "_" in text or "`" in text or "\\" in text:
        text = _INLINE.sub("", text)
    text = _SPACES.sub(" ", fold(text.replace("|", " ")))
    for m in _LINE_START_DIGIT.finditer(text):
        end = m.start()
        while end > 0 and text[end - 1] in " \t":
            end -= 1
        if end > 0 and text[end - 1].isdigit():
            return _joined(text)
    return text


def screen_shown(
    text: str, words: tuple[str, ...] = (), allow: frozenset[str] = frozenset()
) -> list[Hit]:
    """Every finding in text a browser shows, as the inspection reads it from a built page (one
    line a block, entities read, tags gone): invisible and combining characters dropped, an
    overridden run reversed, runs of spaces as one. Lines are not joined: a page's lines are
    the blocks a reader sees apart."""
    hits = _screen(_shown_only(text), words, allow)
    if (reordered := _reordered(text)) is not None:
        seen = {(h.kind, h.masked, h.line) for h in hits}
        again = _screen(_shown_only(reordered), words, allow)
        hits += [h for h in again if (h.kind, h.masked, h.line) not in seen]
    return hits


def _shown_only(text: str) -> str:
    if "\u202e" in text:
        text = _OVERRIDDEN.sub(lambda m: m.group(1)[::-1], text)
    return _SPACES.sub(" ", without_invisible(text))


def _unescaped(line: str) -> str:
    return html.unescape(line).replace("\n", " ") if "&" in line else line


def _joined(text: str) -> str:
    """Each line ending in a digit, with the lines after it while they start with one: joined
    with spaces, as a browser shows a paragraph's line breaks, the lines it took left empty."""
    lines = text.split("\n")
    n = 0
    while n < len(lines) - 1:
        after = n + 1
        while after < len(lines):
            here, there = lines[n].rstrip(" \t"), lines[after].lstrip(" \t")
            if not (here[-1:].isdigit() and there[:1].isdigit()):
                break
            lines[n], lines[after] = here + " " + there, ""
            after += 1
        n = after
    return "\n".join(lines)


def _screen(text: str, words: tuple[str, ...], allow: frozenset[str]) -> list[Hit]:
    text = fold(text)
    words = tuple(fold(w) for w in words)
    hits = [*_numbers(text, _allowed(allow)), *_markings(text, words), *_emails(text, allow)]
    id_lines = {h.line for h in hits if h.kind == "id"}
    for m in PERSONAL_CONTEXT.finditer(text):
        line = _line_of(text, m.start())
        if line not in id_lines:
            hits.append(Hit("context", m.group(), line, *m.span()))
    return sorted(hits, key=lambda h: h.start)


def _allowed(allow: frozenset[str]) -> frozenset[str]:
    """Allowed numbers as the screen compares them: digits only (`138-0013-8000` too)."""
    if not allow:
        return allow
    return frozenset(allow | {re.sub("[^0-9]", "", fold(a)) for a in allow})
