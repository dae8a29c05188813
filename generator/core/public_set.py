"""What the public site shows, computed once from the project: which items are published,
their addresses, validity, relations, and the catalog tree with counts."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from generator.core.catalog import Catalog, Category
from generator.core.item import Item
from generator.core.project import Project
from generator.core.schema import PUBLIC

ITEM_ROOT = "item"
CATEGORY_ROOT = "category"


def item_path(index_no: str) -> str:
    """The item's address, from its index number alone, so renaming a file never breaks a link."""
    safe = re.sub(r"[^0-9A-Za-z_.\-/]+", "-", index_no).strip("-/")
    return f"{ITEM_ROOT}/{safe}/"


def category_path(code: str, page: int = 1) -> str:
    return f"{CATEGORY_ROOT}/{code}/" + (f"{page}/" if page > 1 else "")


@dataclass(frozen=True)
class Validity:
    label: str  # 尚未生效 / 有效 / 已失效 / 已废止 / 已修改
    by: tuple[Item, ...] = ()  # the repealing or amending items
    pending: tuple[Item, ...] = ()  # published repeals that take effect after the build date

    @property
    def in_force(self) -> bool:
        return self.label in ("有效", "已修改")


@dataclass
class PublicSet:
    """Published items and their relations, as of one build date."""

    catalog: Catalog
    today: date
    pages: list[Item]  # every item with a page: published, including withdrawn ones
    listed: list[Item]  # items in lists, feeds, sitemap and search: published and not withdrawn
    by_index: dict[str, Item]
    interpretations: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    repealed_by: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    amended_by: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    feedback: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    by_category: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))

    def in_force(self, items: list[Item]) -> tuple[Item, ...]:
        """The items already in force at build time: a repeal or an amendment published today
        but taking effect later changes nothing yet."""
        return tuple(i for i in items if i.takes_effect and i.takes_effect <= self.today)

    def validity(self, item: Item) -> Validity | None:
        """有效性 at build time; None for items without any validity facts."""
        number = item.index_no or ""
        repeals = self.repealed_by.get(number, [])
        if self.in_force(repeals):
            return Validity("已废止", self.in_force(repeals))
        if item.expires and item.expires < self.today:
            return Validity("已失效")
        pending = tuple(i for i in repeals if i not in self.in_force(repeals))
        if item.effective and item.effective > self.today:
            return Validity("尚未生效", pending=pending)
        if self.in_force(self.amended_by.get(number, [])):
            return Validity("已修改", self.in_force(self.amended_by[number]), pending)
        if item.effective or item.expires or pending or self.catalog_normative(item):
            return Validity("有效", pending=pending)
        return None

    def catalog_normative(self, item: Item) -> bool:
        category = self.catalog.categories.get(item.category or "")
        return bool(category and category.normative)

    def count(self, category: Category) -> int:
        """Listed items in the category and all its descendants."""
        own = len(self.by_category.get(category.code, ()))
        return own + sum(self.count(self.catalog.categories[c]) for c in category.children)

    def items_under(self, category: Category) -> list[Item]:
        """Listed items of the category and its descendants, newest first."""
        codes = [category.code]
        for code in codes:
            codes.extend(self.catalog.categories[code].children)
        found = [i for code in codes for i in self.by_category.get(code, ())]
        return sorted(found, key=newest_first)

    def latest(self, count: int) -> list[Item]:
        return self.listed[:count]

    def refs(self, numbers: tuple[str, ...]) -> list[Item]:
        return [self.by_index[n] for n in numbers if n in self.by_index]


def newest_first(item: Item) -> tuple:
    return (-(item.date or date.min).toordinal(), item.index_no or "")


def is_published(item: Item, today: date) -> bool:
    """主动公开 and due: scheduled items wait for a later build; others never go public."""
    return item.disclosure == PUBLIC and item.date is not None and item.date <= today


def public_set(project: Project, today: date) -> PublicSet:
    """What is public as of `today` (the project is already the approved state when gated)."""
    pages = sorted((i for i in project.items if is_published(i, today)), key=newest_first)
    listed = [i for i in pages if i.withdrawn is None]
    site = PublicSet(
        catalog=project.catalog,
        today=today,
        pages=pages,
        listed=listed,
        by_index={i.index_no: i for i in pages if i.index_no},
    )
    for item in listed:
        site.by_category[item.category or ""].append(item)
        if item.interprets:
            site.interpretations[item.interprets].append(item)
        if item.feedback_for:
            site.feedback[item.feedback_for].append(item)
        for number in item.repeals:
            site.repealed_by[number].append(item)
        for number in item.amends:
            site.amended_by[number].append(item)
    return site
