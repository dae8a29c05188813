"""`inspection:` in catalog.yml: the thresholds of the national government-website inspection
(检查指标, 国办秘函〔2019〕19号) as defaults, each overridable, and the 严重表述错误 word list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

KEYS = (
    "home_days",
    "column_days",
    "column_days_by_name",
    "blank_columns",
    "warn_days",
    "block_stale",
    "wording",
)
WORDING_KEYS = ("wrong", "right", "since")
# 19号 单项否决 “栏目不更新”: 动态、要闻类 2 weeks; 通知公告、政策文件类 6 months; 人事、规划计划类
# 1 year. A column is of a kind when its name contains the word.
COLUMN_DAYS_BY_NAME = {
    "动态": 14,
    "要闻": 14,
    "通知公告": 180,
    "政策文件": 180,
    "人事": 365,
    "规划计划": 365,
}
MAX_DAYS = 3660  # a threshold beyond ten years is a typing error


class _Builder(Protocol):
    src: Any  # yamlsrc.Located: the line of each key

    def err(self, code: str, message: str, *key: str | int) -> None: ...

    def unknown_keys(self, mapping: dict, known: tuple[str, ...], *where: str | int) -> None: ...


@dataclass(frozen=True)
class Wording:
    """A wrong or outdated expression and the one to use, from `since` on (None: always)."""

    wrong: str
    right: str
    since: date | None = None
    line: int = 1  # in catalog.yml


@dataclass(frozen=True)
class Settings:
    home_days: int = 14  # 19号: 首页栏目信息超过 2 周未更新
    column_days: dict[str, int] = field(default_factory=dict)  # category code -> days
    column_days_by_name: dict[str, int] = field(default_factory=lambda: dict(COLUMN_DAYS_BY_NAME))
    blank_columns: int = 5  # 19号: 空白栏目 5 个及以上
    warn_days: int = 14  # warn this many days before a column goes stale
    block_stale: bool = False  # whether stale columns also stop `gongkai build`
    wording: tuple[Wording, ...] = ()


def parse(builder: _Builder, spec: dict) -> Settings:
    builder.unknown_keys(spec, KEYS, "inspection")
    defaults = Settings()
    by_name = dict(COLUMN_DAYS_BY_NAME)
    by_name.update(_days_map(builder, spec, "column_days_by_name"))
    return Settings(
        home_days=_days(builder, spec, "home_days", defaults.home_days),
        column_days=_days_map(builder, spec, "column_days"),
        column_days_by_name=by_name,
        blank_columns=_days(builder, spec, "blank_columns", defaults.blank_columns),
        warn_days=_days(builder, spec, "warn_days", defaults.warn_days),
        block_stale=_flag(builder, spec, "block_stale"),
        wording=_wording(builder, spec.get("wording")),
    )


def _days(builder: _Builder, spec: dict, key: str, default: int, *at: str) -> int:
    value = spec.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DAYS:
        builder.err(
            "GK027", f"inspection.{key} 应为 1 到 {MAX_DAYS} 之间的整数", "inspection", *at, key
        )
        return default
    return value


def _days_map(builder: _Builder, spec: dict, key: str) -> dict[str, int]:
    value = spec.get(key) or {}
    if not isinstance(value, dict):
        builder.err("GK027", f"inspection.{key} 应为键值结构（如 tzgg: 90）", "inspection", key)
        return {}
    days = {str(k): _days(builder, value, k, 0, key) for k in value}
    return {k: v for k, v in days.items() if v}


def _flag(builder: _Builder, spec: dict, key: str) -> bool:
    value = spec.get(key, False)
    if not isinstance(value, bool):
        builder.err("GK027", f"inspection.{key} 应为 true 或 false", "inspection", key)
        return False
    return value


def _wording(builder: _Builder, value: Any) -> tuple[Wording, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        builder.err(
            "GK027", "inspection.wording 应为列表（每项含 wrong、right）", "inspection", "wording"
        )
        return ()
    found = []
    for i, entry in enumerate(value):
        at = ("inspection", "wording", i)
        if not isinstance(entry, dict) or not str(entry.get("wrong") or "").strip():
            builder.err(
                "GK027", "wording 的每一项应写明 wrong（错误表述）和 right（正确表述）", *at
            )
            continue
        builder.unknown_keys(entry, WORDING_KEYS, *at)
        since = _date(builder, entry.get("since"), at)
        found.append(
            Wording(
                wrong=str(entry["wrong"]).strip(),
                right=str(entry.get("right") or "").strip(),
                since=since,
                line=builder.src.line(*at),
            )
        )
    return tuple(found)


def _date(builder: _Builder, value: Any, at: tuple) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        builder.err("GK027", f"since 应为日期，写作 YYYY-MM-DD，收到“{value}”", *at, "since")
        return None
