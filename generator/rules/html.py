"""GK901–GK903: raw HTML and link targets in Markdown, against a safe list.

Content comes from many people through pull requests; nothing in it may run script in a
visitor's browser. Code spans and fenced code blocks are text, not HTML, and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..loader import Project
from ..model import Item
from ..problems import Problem, error

SAFE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
SAFE_ATTRIBUTES = frozenset(
    [
        "alt",
        "align",
        "class",
        "colspan",
        "headers",
        "height",
        "href",
        "id",
        "lang",
        "rowspan",
        "scope",
        "span",
        "src",
        "title",
        "width",
    ]
)
BAD_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>", re.IGNORECASE)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_MD_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")


def _html_lines(body: str) -> Iterator[tuple[int, str]]:
    """(line number within the body, text) of lines outside fenced code, code spans removed."""
    fence = None
    for number, line in enumerate(body.splitlines(), 1):
        marker = _FENCE.match(line)
        if fence is None and marker:
            fence = marker.group(1)[0]
            continue
        if fence is not None:
            if marker and marker.group(1)[0] == fence:
                fence = None
            continue
        yield number, _CODE_SPAN.sub("", line) if "`" in line else line


def _attribute_problems(tag: str, attributes: str) -> Iterator[str]:
    for name, value in _ATTR.findall(attributes):
        name = name.lower()
        bare = value.strip("\"'")
        if name.startswith("on"):
            yield f"HTML 事件属性 {name} 会在读者浏览器中运行脚本,不允许使用"
        elif name not in SAFE_ATTRIBUTES:
            yield f"<{tag}> 的属性 {name} 不在允许范围内(允许:{'、'.join(sorted(SAFE_ATTRIBUTES))})"
        elif name in ("href", "src") and BAD_SCHEMES.match(bare):
            yield f"链接地址“{bare[:30]}”使用了 javascript:/data: 等不允许的协议"


def raw_html(item: Item, project: Project) -> Iterator[Problem]:
    """GK901 a tag outside the safe list; GK902 an attribute outside it; GK903 a bad link."""
    body = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), item.body)
    for number, line in _html_lines(body):
        if "<" not in line and "]" not in line:  # no tag, no link: most lines
            continue
        at = item.body_line + number - 1
        text = _AUTOLINK.sub("", line)
        for closing, tag, attributes in _TAG.findall(text):
            name = tag.lower()
            if name not in SAFE_TAGS:
                yield error(
                    item.path,
                    at,
                    "GK901",
                    f"正文中不允许使用 HTML 标签 <{name}>(可能运行脚本或改变页面):请改用 Markdown 写法;"
                    "允许的标签有表格、span、div、img、链接等",
                )
            elif not closing:
                for message in _attribute_problems(name, attributes):
                    yield error(item.path, at, "GK902", message)
        for target in [*_MD_LINK.findall(line), *_MD_REF.findall(line)]:
            if BAD_SCHEMES.match(target):
                yield error(
                    item.path,
                    at,
                    "GK903",
                    f"链接地址“{target[:30]}”使用了 javascript:/data: 等不允许的协议,请改为 https:// 地址或相对路径",
                )
