"""Index-number (索引号) templates: parse, match, format, and hand out the next serial."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

NATIONAL_TEMPLATE = "{org}/{year}-{serial:05d}"
FIELDS = ("org", "category", "year", "serial")
SCOPES = ("year", "category")
_WIDTH = re.compile(r"^0?(\d*)d$")


class TemplateError(ValueError):
    """A template the catalog cannot use; the message is in Chinese and says how to fix it."""


@dataclass(frozen=True)
class IndexMatch:
    org: str | None
    category: str | None
    year: int | None
    serial: int


@dataclass(frozen=True)
class IndexTemplate:
    template: str
    scope: str
    org: str
    _regex: re.Pattern[str]

    @classmethod
    def compile(cls, template: str, scope: str, org: str) -> IndexTemplate:
        parts = _parse(template)
        names = {name for _, name, _ in parts if name}
        if scope not in SCOPES:
            raise TemplateError(f"编号范围 scope 只能是 {' 或 '.join(SCOPES)}，当前为“{scope}”")
        if scope == "year" and "year" not in names:
            raise TemplateError("按年编号（scope: year）时模板必须包含 {year}，否则不同年份会重号")
        if scope == "category" and "category" not in names:
            raise TemplateError(
                "按分类编号（scope: category）时模板必须包含 {category}，否则不同分类会重号"
            )
        if "org" in names and not org:
            raise TemplateError("模板使用了 {org}，但 organization.code（组织机构代码）未填写")
        regex = "".join(re.escape(lit) + _field_regex(name, spec) for lit, name, spec in parts)
        return cls(template, scope, org, re.compile(f"^{regex}$"))

    def match(self, value: str) -> IndexMatch | None:
        m = self._regex.match(value)
        if not m:
            return None
        groups = m.groupdict()
        year = groups.get("year")
        return IndexMatch(
            org=groups.get("org"),
            category=groups.get("category"),
            year=int(year) if year else None,
            serial=int(groups["serial"]),
        )

    def format(self, *, category: str, year: int, serial: int) -> str:
        return self.template.format(org=self.org, category=category, year=year, serial=serial)

    def scope_key(self, *, category: str, year: int) -> tuple[str, str | int]:
        return ("year", year) if self.scope == "year" else ("category", category)

    def example(self) -> str:
        return self.format(category="分类代码", year=2026, serial=1)

    def next_serial(self, used: Iterable[str], *, category: str, year: int) -> int:
        """One past the highest serial ever used in this scope (numbers are never reused)."""
        key = self.scope_key(category=category, year=year)
        highest = 0
        for value in used:
            m = self.match(value)
            if m and self.scope_key(category=m.category or "", year=m.year or 0) == key:
                highest = max(highest, m.serial)
        return highest + 1


def _parse(template: str) -> list[tuple[str, str | None, str]]:
    if not isinstance(template, str) or not template.strip():
        raise TemplateError("索引号模板不能为空，国家标准格式为 " + NATIONAL_TEMPLATE)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(
            f"索引号模板的花括号不成对（{exc}），字段应写作 {{serial:05d}}"
        ) from None
    parts: list[tuple[str, str | None, str]] = []
    serials = 0
    for literal, name, spec, conversion in parsed:
        if name is not None and name not in FIELDS:
            raise TemplateError(
                f"索引号模板中的字段 {{{name}}} 不认识，只能使用 "
                + "、".join("{" + f + "}" for f in FIELDS)
            )
        if conversion:
            raise TemplateError(f"索引号模板字段 {{{name}}} 不能带 !{conversion}")
        if name == "serial":
            serials += 1
            if not _WIDTH.match(spec or "d"):
                raise TemplateError(
                    f"流水号格式“{spec}”不正确，应写作 {{serial:05d}}（5 位，不足补零）"
                )
        elif name and spec:
            raise TemplateError(f"字段 {{{name}}} 不支持格式说明“{spec}”")
        parts.append((literal, name, spec or ""))
    if serials != 1:
        raise TemplateError("索引号模板必须恰好包含一个流水号字段 {serial}(例如 {serial:05d})")
    return parts


def _field_regex(name: str | None, spec: str) -> str:
    if name is None:
        return ""
    if name == "org":
        return r"(?P<org>[0-9A-Za-z]+?)"
    # [0-9], not \d, which also matches full-width and other scripts' digits: an index number
    # is ASCII, or its page address would lose the digits (generator/core/public_set.py item_path)
    if name == "year":
        return r"(?P<year>[0-9]{4})"
    if name == "category":
        return r"(?P<category>[0-9A-Za-z_.-]+?)"
    width = int(_WIDTH.match(spec or "d").group(1) or 0)  # type: ignore[union-attr]
    return rf"(?P<serial>[0-9]{{{width}}})" if width else r"(?P<serial>[0-9]+)"
