"""Markdown rendered as the site renders it, and what the sanitiser removes, at a source line.

`gongkai validate` and the build both call `problems`: the body is rendered with the site's
Markdown configuration (the `markdown_extensions` of mkdocs.yml, with mkdocs' built-in ones),
`generator.core.sanitize.removals` says what the published page would lack, and each removal is
placed on the line whose arrival makes it appear (growing prefixes of the body, by bisection),
checked by blanking that line; failing that, the first line that names it; failing that, the
body's first line.
"""

from __future__ import annotations

import copy
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load

from generator.core.problems import Problem, error
from generator.core.sanitize import NEVER_SHOWN, Removal, message, removals, sub_never_shown

_COMMENT = re.compile(NEVER_SHOWN, re.DOTALL)


def without_comments(markdown: str) -> str:
    """A body as the open data publishes it: without the comments no page shows (staff may keep
    internal notes in them)."""
    if "<!" in markdown or "<?" in markdown:
        return sub_never_shown(_COMMENT, "", markdown)
    return markdown


def page_body(text: str) -> tuple[str, int]:
    """A page's Markdown as mkdocs reads it (after its front matter), and the line it starts on:
    fixed pages and Markdown attachments alike."""
    body, _ = get_data(text)
    head = text[: len(text) - len(body)] if text.endswith(body) else ""
    return body, head.count("\n") + 1


# Markdown as the repository's own mkdocs.yml sets it, for a bureau without one (tests)
DEFAULT_EXTENSIONS: list[Any] = [
    {"tables": {"use_align_attribute": True}},
    "attr_list",
    {"toc": {"permalink": False}},
]
# Extensions whose output, from a body without any of these characters, provably holds nothing
# the sanitiser removes: no raw HTML, links or images, attribute lists or ids starting "__"
# (tests/test_markup_property.py); bodies of sites with other extensions are always rendered.
KNOWN_EXTENSIONS: dict[str, frozenset[str]] = {  # name -> settings that keep the proof
    "toc": frozenset({"permalink", "permalink_title", "permalink_leading", "toc_depth", "title"}),
    "tables": frozenset({"use_align_attribute"}),
    "fenced_code": frozenset(),
    "attr_list": frozenset(),
}
_TRIGGERS = re.compile(r"[<\[\]{}_]")
MAX_LOCATED = 30  # removals placed on their lines per file; the rest are counted
MAX_RENDERED = 20_000_000  # characters rendered to place them (a few seconds), then: by name


class MarkdownSettingsError(Exception):
    """mkdocs.yml's `markdown_extensions` cannot be used; the message is in Chinese."""


@dataclass
class SiteMarkdown:
    """One reusable converter with the site's extensions."""

    extensions: list[str]
    configs: dict[str, dict] = field(default_factory=dict)
    _md: markdown.Markdown | None = None

    def render(self, body: str) -> str:
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=self.extensions, extension_configs=copy.deepcopy(self.configs)
            )
        self._md.reset()
        return self._md.convert(body)

    @property
    def may_skip(self) -> bool:
        """Whether a body without `_TRIGGERS` may go unrendered (see KNOWN_EXTENSIONS)."""
        for name in self.extensions:
            short = name.removeprefix("markdown.extensions.")
            settings = self.configs.get(name) or self.configs.get(short) or {}
            if short not in KNOWN_EXTENSIONS or not set(settings) <= KNOWN_EXTENSIONS[short]:
                return False
        return True


def site_markdown(extensions: Any) -> SiteMarkdown:
    """The converter mkdocs would make from this `markdown_extensions` value."""
    option = copy.deepcopy(dict(MkDocsConfig._schema)["markdown_extensions"])
    try:
        names = option.validate(copy.deepcopy(extensions))
    except Exception as exc:  # mkdocs' ValidationError, or an extension failing to load
        raise MarkdownSettingsError(f"markdown_extensions 无法使用：{exc}") from None
    return SiteMarkdown(list(names), dict(getattr(option, "configdata", {})))


@lru_cache(maxsize=4)
def _for_file(path: Path, stamp: tuple) -> SiteMarkdown:
    try:
        with path.open("rb") as stream:
            settings = yaml_load(stream) or {}
    except Exception as exc:  # unreadable, or mkdocs' ConfigurationError for bad YAML
        raise MarkdownSettingsError(f"无法读取：{exc}") from None
    if not isinstance(settings, dict):
        raise MarkdownSettingsError("内容应是“键: 值”形式的设置")
    return site_markdown(settings.get("markdown_extensions", []))


def for_project(root: Path) -> SiteMarkdown:
    """The site's Markdown settings from `root`/mkdocs.yml (DEFAULT_EXTENSIONS without one)."""
    path = root / "mkdocs.yml"
    try:
        stat = path.stat()
    except OSError:
        return site_markdown(DEFAULT_EXTENSIONS)
    return _for_file(path, (stat.st_mtime_ns, stat.st_size, stat.st_ino))


def needs_render(body: str, settings: SiteMarkdown) -> bool:
    """False only for a body whose page provably keeps everything (see KNOWN_EXTENSIONS)."""
    if not settings.may_skip:
        return True
    return bool(_TRIGGERS.search(body) or _TRIGGERS.search(unicodedata.normalize("NFKC", body)))


class _OverBudget(Exception):
    """Placing removals has rendered MAX_RENDERED characters of this body already."""


class _Renders:
    """Removals of the body's prefixes and of the body with one line blanked, each computed
    once, within a budget (a hostile body must not keep validation busy for minutes)."""

    def __init__(self, lines: list[str], settings: SiteMarkdown) -> None:
        self.lines, self.settings = lines, settings
        self._prefix: dict[int, Counter] = {}
        self._blanked: dict[int, Counter] = {}
        self.budget = MAX_RENDERED

    def _count(self, text: str) -> Counter:
        self.budget -= len(text)
        if self.budget < 0:
            raise _OverBudget
        return Counter(r.key for r in removals(self.settings.render(text)))

    def prefix(self, n: int) -> Counter:
        if n not in self._prefix:
            self._prefix[n] = self._count("".join(self.lines[:n]))
        return self._prefix[n]

    def blanked(self, n: int) -> Counter:
        if n not in self._blanked:
            lines = list(self.lines)
            lines[n - 1] = "\n" if lines[n - 1].endswith("\n") else ""
            self._blanked[n] = self._count("".join(lines))
        return self._blanked[n]


def _named_in(line: str, removal: Removal) -> bool:
    """Whether the line names what is removed: the element, the attribute, or the URL or its
    attribute, however encoded."""
    text = re.sub(r"[\t\r\n]", "", html.unescape(unicodedata.normalize("NFKC", line))).lower()
    if removal.code == "GK905":
        return False  # no one line holds it
    if removal.code == "GK901":
        words = [removal.tag]
    elif removal.code == "GK902":
        words = [removal.attribute]
    else:
        url = re.sub(r"[\t\r\n]", "", removal.value).strip().lower()[:20]
        words = [url, removal.attribute]
    return any(word and word.lower() in text for word in words)


def _line_of(renders: _Renders, removal: Removal, nth: int, total: Counter) -> int:
    """The body line (1-based) of the `nth` removal with this key: the line whose arrival makes
    it appear, or the nearest line before it that names it (a tag split across lines, a link
    whose URL was defined earlier), each checked by blanking the line."""
    key = removal.key
    low, high = 1, len(renders.lines)
    while low < high:  # the first prefix holding `nth` of them
        middle = (low + high) // 2
        if renders.prefix(middle)[key] >= nth:
            high = middle
        else:
            low = middle + 1

    def holds(number: int) -> bool:
        return renders.blanked(number)[key] < total[key]

    if renders.prefix(low)[key] >= nth and holds(low):
        if _named_in(renders.lines[low - 1], removal):
            return low
        earlier = (n for n in range(low - 1, 0, -1) if _named_in(renders.lines[n - 1], removal))
        return next((n for n in earlier if holds(n)), low)
    named = [n for n, line in enumerate(renders.lines, 1) if _named_in(line, removal)]
    return next((n for n in named if holds(n)), named[0] if named else 1)


def located(body: str, settings: SiteMarkdown, found: list[Removal]) -> list[tuple[Removal, int]]:
    """(removal, body line) for the first MAX_LOCATED of `found`, removals from the body."""
    if not found:
        return []
    renders = _Renders(body.splitlines(keepends=True) or [""], settings)
    total = renders.prefix(len(renders.lines))
    seen: Counter = Counter()
    placed = []
    for removal in found[:MAX_LOCATED]:
        seen[removal.key] += 1
        try:
            line = _line_of(renders, removal, seen[removal.key], total)
        except _OverBudget:  # the first line that names it, unchecked
            named = (n for n, text in enumerate(renders.lines, 1) if _named_in(text, removal))
            line = next(named, 1)
        placed.append((removal, line))
    return placed


def problems(
    path: Path | str,
    body: str,
    body_line: int,
    settings: SiteMarkdown,
    found: list[Removal] | None = None,
) -> list[Problem]:
    """GK901–GK903 for the body of the file at `path`, whose first body line is `body_line`.
    `found`: the removals the build saw on the page, if they are known already."""
    if found is None:
        found = removals(settings.render(body))
    placed = located(body, settings, found)
    result = [error(path, body_line + n - 1, r.code, message(r)) for r, n in placed]
    if len(found) > len(placed):
        last, line = placed[-1]
        result.append(
            error(
                path,
                body_line + line - 1,
                last.code,
                f"此外还有 {len(found) - len(placed)} 处不允许的标记，发布时都会被删除："
                "请先改正上面列出的问题",
            )
        )
    return result
