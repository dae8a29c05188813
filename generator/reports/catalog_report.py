"""Catalog ⇄ content (目录与实际发布内容互为一致): every category with its published items,
the latest date, empty categories, and categories not updated as often as the catalog says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.core.catalog import Category
from generator.core.public_set import PublicSet

# How long a category with this `frequency` may go without a new item.
FREQUENCY_DAYS = {"monthly": 31, "quarterly": 92, "halfyearly": 183, "yearly": 366}
FREQUENCY_LABELS = {
    "monthly": "每月",
    "quarterly": "每季度",
    "halfyearly": "每半年",
    "yearly": "每年",
}


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    depth: int
    count: int  # published items in the category and its children
    own: int  # published items filed directly in it
    latest: date | None
    frequency: str  # Chinese label, empty when the catalog sets none
    stale: bool  # not updated within its frequency

    @property
    def state(self) -> str:
        if self.count == 0:
            return "暂无信息"
        return "未按期更新" if self.stale else "正常"


def rows(site: PublicSet) -> list[CategoryRow]:
    """One row per category, in catalog order."""
    result = []
    for category in site.catalog.categories.values():
        items = site.items_under(category)
        latest = items[0].date if items else None
        limit = FREQUENCY_DAYS.get(category.frequency or "")
        stale = bool(limit and (latest is None or (site.today - latest).days > limit))
        result.append(
            CategoryRow(
                category=category,
                depth=len(site.catalog.ancestry(category.code)) - 1,
                count=len(items),
                own=len(site.by_category.get(category.code, ())),
                latest=latest,
                frequency=FREQUENCY_LABELS.get(category.frequency or "", category.frequency or ""),
                stale=stale,
            )
        )
    return result


def as_dicts(site: PublicSet) -> list[dict[str, object]]:
    return [
        {
            "code": r.category.code,
            "name": r.category.name,
            "department": (
                site.catalog.departments.get(r.category.department).name
                if r.category.department in site.catalog.departments
                else r.category.department
            ),
            "count": r.count,
            "latest": str(r.latest) if r.latest else None,
            "frequency": r.frequency,
            "state": r.state,
        }
        for r in rows(site)
    ]
