"""Readers of single YAML values for the declared shapes (generator/core/yamlshape.py): each
returns the value typed or raises Invalid saying, in Chinese, how it should be written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from generator.core import schema
from generator.core.yamlshape import Invalid, did_you_mean


def text(value: Any) -> str:
    """Words (numbers too, as written); blank is ""."""
    if isinstance(value, dict | list | bool):
        raise Invalid("应为文字")
    return str(value).strip()


def as_is(value: Any) -> Any:
    """A value another part of the shape reads (a tree's children)."""
    return value


def url(value: Any) -> str:
    found = text(value)
    if found and not found.startswith(("https://", "http://")):
        raise Invalid("应为以 https:// 开头的网址")
    return found


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("应为 true 或 false")
    return value


def choice(choices: dict[str, str]) -> Callable[[Any], str]:
    """One of `choices` (value -> Chinese meaning)."""
    said = "、".join(f"{k}（{v}）" if v else k for k, v in choices.items())

    def read(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise Invalid(f"只能是 {said}")
        return value

    return read


def whole(low: int, high: int, wording: str = "") -> Callable[[Any], int]:
    """A whole number from `low` to `high` (a huge one would make day counting never end)."""
    said = wording or f" {low} 到 {high} 之间的整数"

    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"应为{said}")
        return value

    return read


def positive(high: int) -> Callable[[Any], int]:
    return whole(1, high, f"不超过 {high} 的正整数")


def words(value: Any) -> tuple[str, ...]:
    """A list of words (numbers as written), blanks left out."""
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise Invalid("应为文字列表")
    return tuple(str(v).strip() for v in value if str(v).strip())


def day(value: Any) -> date:
    """A date written YYYY-MM-DD (PyYAML's own dates are kept strings by yamlsrc)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(f"应为日期，写作 YYYY-MM-DD，收到“{value}”") from None


def front_matter_key(value: Any) -> str:
    """A key of an item's front matter (generator/core/schema.py)."""
    if not isinstance(value, str):
        raise Invalid("应为元数据键名，例如 doc_no", code="GK003")
    if value not in schema.FIELDS:
        raise Invalid(f"“{value}”不是元数据键。{did_you_mean(value, list(schema.FIELDS))}")
    return value
