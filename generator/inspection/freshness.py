"""单项否决 freshness checks of 国办秘函〔2019〕19号: the home page and each column updated within
its age, blank columns, and a warning some days before a column goes stale."""

from __future__ import annotations

from datetime import date

from generator.core.catalog import Category
from generator.core.inspection_settings import Settings
from generator.core.problems import Problem, error, warning
from generator.core.public_set import PublicSet
from generator.reports.catalog_report import FREQUENCY_DAYS

STALE_CODES = frozenset({"GK401", "GK402", "GK404"})  # block `gongkai build` only if configured


def column_days(category: Category, settings: Settings) -> int | None:
    """The longest a column may go without a new item: the catalog's own number for it, else the
    strictest of its frequency and the 19号 age of its kind (by name); None: no limit."""
    if category.code in settings.column_days:
        return settings.column_days[category.code]
    limits = [days for word, days in settings.column_days_by_name.items() if word in category.name]
    if category.frequency in FREQUENCY_DAYS:
        limits.append(FREQUENCY_DAYS[category.frequency])
    return min(limits) if limits else None


def freshness_problems(site: PublicSet, settings: Settings) -> list[Problem]:
    catalog = site.catalog.path
    found = _home(site, settings)
    blank = _blank_columns(site)
    for category in site.catalog.categories.values():
        items = site.items_under(category)
        limit = column_days(category, settings)
        if not items or limit is None:
            continue
        latest = items[0].date or date.min
        left = limit - (site.today - latest).days
        where = f"栏目“{category.name}”（{category.code}）最近一次更新为 {latest}"
        if left < 0:
            found.append(
                error(
                    catalog,
                    category.line,
                    "GK402",
                    f"{where}，已超过 {limit} 天未更新（单项否决：栏目不更新）。请发布新的信息，"
                    "或在 catalog.yml 的 inspection.column_days 中按本地规定调整期限",
                )
            )
        elif left <= settings.warn_days:
            found.append(
                warning(
                    catalog,
                    category.line,
                    "GK403",
                    f"{where}，还有 {left} 天将超过 {limit} 天的更新期限，请及时更新",
                )
            )
    for category in blank:
        found.append(
            warning(
                catalog,
                category.line,
                "GK405",
                f"栏目“{category.name}”（{category.code}）是空白栏目，没有任何已公开的信息",
            )
        )
    if len(blank) >= settings.blank_columns:
        names = "、".join(c.name for c in blank[:10])
        found.append(
            error(
                catalog,
                1,
                "GK404",
                f"共有 {len(blank)} 个空白栏目（{names}），达到 {settings.blank_columns} 个"
                "（单项否决：空白栏目）。请发布信息，或删除确实不需要的栏目",
            )
        )
    return found


def _home(site: PublicSet, settings: Settings) -> list[Problem]:
    catalog = site.catalog.path
    if not site.listed:
        return [error(catalog, 1, "GK401", "首页没有任何已公开的信息（单项否决：首页不更新）")]
    latest = max(i.date for i in site.listed if i.date)
    left = settings.home_days - (site.today - latest).days
    if left < 0:
        return [
            error(
                catalog,
                1,
                "GK401",
                f"首页最近一次更新为 {latest}，已超过 {settings.home_days} 天未更新"
                "（单项否决：首页栏目信息超过两周未更新）。请发布新的信息",
            )
        ]
    if left <= min(settings.warn_days, settings.home_days // 2):
        return [
            warning(
                catalog,
                1,
                "GK403",
                f"首页最近一次更新为 {latest}，还有 {left} 天将超过 {settings.home_days} 天的更新期限",
            )
        ]
    return []


def _blank_columns(site: PublicSet) -> list[Category]:
    """Columns without any listed item; a blank parent stands for its blank children."""
    blank = []
    for category in site.catalog.categories.values():
        parent = site.catalog.categories.get(category.parent or "")
        if site.count(category) == 0 and not (parent and site.count(parent) == 0):
            blank.append(category)
    return blank
