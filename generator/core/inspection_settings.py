"""`inspection:` in catalog.yml: the thresholds of the national government-website inspection
(检查指标, 国办秘函〔2019〕19号) as defaults, each overridable, and the 严重表述错误 word list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from generator.core import readers
from generator.core.yamlshape import Checked, Key, ListOf, MapOf, Mapping, Value, Walk

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


_DAYS = Value(readers.whole(1, MAX_DAYS), "GK027")
WORDING = Mapping(
    (
        Key("wrong", "错误表述", Value(readers.text, "GK027"), required=True, default=""),
        Key("right", "正确表述", Value(readers.text, "GK027"), default=""),
        Key("since", "起用日期", Value(readers.day, "GK027")),
    ),
    hint="每项含 wrong（错误表述）和 right（正确表述）",
    code="GK027",
    missing="GK027",
)
INSPECTION = Mapping(
    (
        Key("home_days", "首页更新期限（天）", _DAYS),
        Key("column_days", "各栏目更新期限（天）", MapOf(_DAYS, hint="如 tzgg: 90", code="GK027")),
        Key(
            "column_days_by_name",
            "按栏目名称的更新期限（天）",
            MapOf(_DAYS, hint="键为栏目名称中的词，值为天数", code="GK027"),
        ),
        Key("blank_columns", "空白栏目数上限", _DAYS),
        Key("warn_days", "提前提醒天数", _DAYS),
        Key(
            "block_stale", "栏目不更新是否阻止发布", Value(readers.boolean, "GK027"), default=False
        ),
        Key(
            "wording", "严重表述错误词表", ListOf(WORDING, hint="每项含 wrong、right", code="GK027")
        ),
    )
)


def parse(spec: Checked | None, walk: Walk) -> Settings:
    """The `inspection` section, read by INSPECTION."""
    if spec is None:
        return Settings()
    defaults = Settings()
    return Settings(
        home_days=spec["home_days"] or defaults.home_days,
        column_days=dict(spec["column_days"] or {}),
        column_days_by_name={**COLUMN_DAYS_BY_NAME, **(spec["column_days_by_name"] or {})},
        blank_columns=spec["blank_columns"] or defaults.blank_columns,
        warn_days=spec["warn_days"] or defaults.warn_days,
        block_stale=spec["block_stale"],
        wording=tuple(
            Wording(w["wrong"], w["right"], w["since"], walk.src.line(*w.path))
            for w in spec["wording"] or ()
            if w["wrong"]
        ),
    )
