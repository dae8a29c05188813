"""The HTML that mammoth makes of a Word document, as Markdown in which Word's text stays text.

Everything Word holds is text: `<script>` typed in a document shows as those characters on the
page, and Markdown syntax typed in it (`**`, `[…](…)`, `{: …}`, `# `, `- `) is escaped. The only
markup in the result is what this converter writes itself: paragraphs, headings, lists, tables,
bold and italic, links to http, https and mailto addresses, and the images the importer saved.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote

from markdownify import MarkdownConverter

from generator.authoring.docx_archive import shown

ALLOWED_SCHEMES = ("http", "https", "mailto")
MAX_URL = 2048  # longer link targets are dropped: browsers and servers cut them anyway
_DECODINGS = 8
# Python-Markdown's backslash escapes (the tables extension adds "|").
_BACKSLASHED = re.compile(r"([\\`*_{}\[\]#|])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# At the start of a line these begin a list, a heading underline or a numbered list.
_LINE_START = re.compile(r"^(\s*)(?:([-+])|(=)|(\d+)([.)]))")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_KEEP = "!#$%&*+,-./:;=?@~"  # with letters, digits and "_": the rest is percent-encoded


def plain(text: str) -> str:
    """Text without control and format characters (escape codes, zero-width and bidi marks);
    line and paragraph separators and tabs become spaces."""
    return "".join(_plain_char(c) for c in text)


def _plain_char(c: str) -> str:
    kind = unicodedata.category(c)
    if c in "\t\n\r" or kind in ("Zl", "Zp"):
        return " "
    return "" if kind in ("Cc", "Cf") else c


def markdown_text(text: str) -> str:
    """Markdown that shows exactly `text`, wherever it stands in a line."""
    text = _BACKSLASHED.sub(r"\\\1", plain(text))
    text = "".join(_ENTITIES.get(c, c) for c in text).replace("](", "]\\(")  # no "](" to misread
    return _LINE_START.sub(_line_start, text, count=1)


def _line_start(m: re.Match[str]) -> str:
    space, sign, equals, digits, stop = m.groups()
    if sign:
        return f"{space}\\{sign}"
    if equals:
        return f"{space}&#61;"
    return f"{space}{digits}\\{stop}"


def safe_url(href: str) -> str | None:
    """The link target as the browser would read it, if it is an http, https or mailto address.

    Entities are decoded until nothing changes (a few rounds at most), then the browser's own
    clean-up is applied (leading and trailing control characters and spaces removed, tabs and
    newlines removed anywhere) before the scheme is read, so `jav&#x61;script:` and
    `java\\tscript:` are refused.
    """
    if len(href) > MAX_URL:
        return None
    url = href
    for _ in range(_DECODINGS):
        if (decoded := html.unescape(url)) == url:
            break
        url = decoded
    else:
        return None  # entities nested deeper than any real address
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    m = _SCHEME.match(url)
    if not m or m.group(1).lower() not in ALLOWED_SCHEMES:
        return None
    return quote(url, safe=_URL_KEEP)


class WordMarkdown(MarkdownConverter):
    """markdownify with every text node escaped, links checked and only known images kept."""

    def __init__(self, images: set[str], notes: list[str]) -> None:
        super().__init__(heading_style="ATX", table_infer_header=True, bullets="-")
        self.images = images  # the src of every image the importer saved
        self.notes = notes  # what was dropped, in Chinese, for the author
        self.numbers: dict[int, int] = {}  # the next number in each numbered list

    def process_text(self, el, parent_tags: set[str] | None = None) -> str:  # type: ignore[no-untyped-def]
        # Word has no code or preformatted text: every text node is escaped, whatever encloses it.
        return super().process_text(el, (parent_tags or set()) - {"_noformat", "pre"})

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return markdown_text(text)

    def convert_hN(self, n: int, el, text: str, parent_tags: set[str]) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        # A heading left empty (only control characters) would be an empty entry in the contents.
        return super().convert_hN(n, el, text, parent_tags) if text.strip() else ""

    def convert_li(self, el, text: str, parent_tags: set[str]) -> str:  # type: ignore[no-untyped-def]
        # markdownify numbers an item by counting the items before it, which is quadratic in a
        # long list; items are converted in order, so one counter per list gives the same numbers.
        parent = el.parent
        if parent is None or parent.name != "ol":
            return super().convert_li(el, text, parent_tags)
        start = int(parent["start"]) if str(parent.get("start", "")).isdigit() else 1
        number = self.numbers.get(id(parent), start)
        self.numbers[id(parent)] = number + 1
        text = (text or "").strip()
        if not text:
            return "\n"
        bullet = f"{number}. "
        text = re.sub(r"^(?=.)", " " * len(bullet), text, flags=re.MULTILINE)
        return f"{bullet}{text[len(bullet) :]}\n"

    def convert_code(self, el, text: str, parent_tags: set[str]) -> str:  # type: ignore[no-untyped-def]
        return text  # escaped text: a code span would show the escapes

    convert_kbd = convert_samp = convert_code

    def convert_pre(self, el, text: str, parent_tags: set[str]) -> str:  # type: ignore[no-untyped-def]
        return f"\n\n{text}\n\n"

    def convert_a(self, el, text: str, parent_tags: set[str]) -> str:  # type: ignore[no-untyped-def]
        href = el.get("href") or ""
        if not text.strip():
            return text
        if href.startswith("#") or not href:  # Word's bookmarks and footnote marks: text only
            return text
        url = safe_url(href)
        if url is None:
            label = shown(plain(el.get_text()).strip(), 30)
            why = "过长" if len(href) > MAX_URL else "不是 http、https 或 mailto 地址"
            self.notes.append(
                f"链接“{label}”的地址（{shown(href, 60)}）{why}，已去掉链接、保留文字"
            )
            return text
        prefix, suffix = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return f"{prefix}[{text.strip()}]({url}){suffix}"

    def convert_img(self, el, text: str, parent_tags: set[str]) -> str:  # type: ignore[no-untyped-def]
        src = el.get("src") or ""
        if src not in self.images:
            return ""
        return f"![{markdown_text(el.get('alt') or '')}]({src})"


def to_markdown(html_text: str, images: set[str], notes: list[str]) -> str:
    """The Markdown of mammoth's HTML; what it drops is added to `notes`."""
    markdown = WordMarkdown(images, notes).convert(html_text)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
