"""`catalog.yml`: the bureau, its departments, its disclosure catalog tree and its rules.

The file is read by its declared shape (generator/core/catalog_schema.py), which reports every
badly written value once, at its line; the rules between keys (generator/core/catalog_rules.py,
generator/core/catalog_limits.py) then run once each, and build the typed objects below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.core import catalog_rules, inspection_settings, portal, yamlsrc
from generator.core.catalog_limits import RULE_LABELS, Rules, day_set, official_years, rules
from generator.core.catalog_rules import (
    ATTACHMENT_FOLDERS,
    RESERVED_FOLDERS,
    Department,
    Reviewer,
    folder_refusal,
)
from generator.core.catalog_schema import CATALOG
from generator.core.indexno import IndexTemplate
from generator.core.problems import Problem, error
from generator.core.signing import KeySpec, signing_section
from generator.core.textfile import read_text
from generator.core.yamlshape import Checked, Walk, did_you_mean

__all__ = [
    "ATTACHMENT_FOLDERS",
    "RESERVED_FOLDERS",
    "RULE_LABELS",
    "Catalog",
    "CatalogError",
    "Category",
    "Department",
    "Reviewer",
    "Rules",
    "did_you_mean",
    "folder_refusal",
    "load_catalog",
]


class CatalogError(Exception):
    """The catalog cannot be used at all (missing, unreadable, not YAML): exit status 2."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Category:
    code: str
    name: str
    department: str
    folder: str  # POSIX path under content/
    line: int
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    required: tuple[str, ...] = ()
    normative: bool = False  # 行政规范性文件
    regulation: bool = False  # 规章 (issued by governments with rule-making power)
    interpretation: str | None = None
    description: str = ""
    frequency: str | None = None


@dataclass
class Catalog:
    path: Path
    site_name: str
    base_url: str
    org_name: str
    org_code: str
    index: IndexTemplate | None
    departments: dict[str, Department]
    categories: dict[str, Category]  # catalog order, parents before children
    rules: Rules
    problems: list[Problem]
    escalate: frozenset[str] = frozenset()  # deadline codes this bureau treats as errors
    review: dict = field(default_factory=dict)  # provider, office
    max_item_bytes: int = 1024 * 1024  # limits.max_item_kb: a larger item file is refused unread
    requests: dict = field(default_factory=dict)  # 依申请公开 受理机构 and how to reach it
    sensitive_words: tuple[str, ...] = ()  # words the screen blocks (catalog screening.words)
    screening_allow: frozenset[str] = frozenset()  # public numbers and e-mails never flagged
    holidays: frozenset = frozenset()  # the bureau's own days off
    workdays: frozenset = frozenset()  # and its own extra working days
    official_years: dict = field(default_factory=dict)  # State Council notices it entered
    portal: portal.Portal = field(default_factory=portal.Portal)  # footer, meta (site section)
    inspection: inspection_settings.Settings = field(default_factory=inspection_settings.Settings)
    signing: tuple[KeySpec, ...] = ()  # the site manifest's keys (generator/core/signing.py)

    @property
    def roots(self) -> list[Category]:
        return [c for c in self.categories.values() if c.parent is None]

    def ancestry(self, code: str) -> list[Category]:
        """The category and its ancestors, root first (the breadcrumb)."""
        chain: list[Category] = []
        current = self.categories.get(code)
        while current is not None:
            chain.insert(0, current)
            current = self.categories.get(current.parent) if current.parent else None
        return chain

    def category_of_folder(self, folder: PurePosixPath) -> Category | None:
        """The category whose folder is the nearest ancestor of `folder` (relative to content/)."""
        by_folder = {c.folder: c for c in self.categories.values()}
        for candidate in (folder, *folder.parents):
            if candidate.as_posix() in by_folder:
                return by_folder[candidate.as_posix()]
        return None


def load_catalog(path: Path) -> Catalog:
    """Read and check `catalog.yml`. Raises CatalogError when it cannot be used at all."""
    text, problem = read_text(path)
    if problem is not None:
        raise CatalogError(problem)
    try:
        located = yamlsrc.load(text)
    except yamlsrc.YamlSyntaxError as exc:
        raise CatalogError(error(path, exc.line, "GK001", exc.message)) from None
    if not isinstance(located.data, dict):
        raise CatalogError(
            error(path, 1, "GK001", "catalog.yml 应为键值结构（site、organization、categories 等）")
        )
    walk = Walk(path, located)
    walk.duplicates("GK005")
    data = walk.walk(CATALOG, located.data)
    return _catalog(data, walk)


def _catalog(data: Checked, walk: Walk) -> Catalog:
    """The typed catalog from the checked data, after the rules between keys."""
    org = data["organization"]
    catalog_rules.organization_code(org["code"], walk)
    departments = catalog_rules.departments(data["departments"], walk)
    categories = _categories(data["categories"], departments, walk)
    calendar = data["calendar"]
    return Catalog(
        path=walk.file,
        site_name=data["site"]["name"],
        base_url=data["site"]["base_url"],
        org_name=org["name"],
        org_code=org["code"],
        index=catalog_rules.index_template(data["index_number"], org["code"], walk),
        departments=departments,
        categories=categories,
        rules=rules(data["rules"], walk),
        problems=walk.problems,
        escalate=data["rules"]["errors"],
        review=catalog_rules.review(data["review"], departments, walk),
        max_item_bytes=data["limits"]["max_item_kb"] * 1024,
        requests=catalog_rules.requests(data["requests"], walk),
        sensitive_words=data["screening"]["words"],
        screening_allow=frozenset(data["screening"]["allow"]),
        holidays=frozenset(day_set(calendar["holidays"])),
        workdays=frozenset(day_set(calendar["workdays"])),
        official_years=official_years(calendar["official"], walk),
        portal=portal.settings(data["site"], org["name"], walk),
        inspection=inspection_settings.parse(data["inspection"], walk),
        signing=signing_section(data["signing"], walk),
    )


def _categories(
    tree: list[Checked], departments: dict[str, Department], walk: Walk
) -> dict[str, Category]:
    """Categories in catalog order, parents before children: each code and folder once."""
    result: dict[str, Category] = {}
    folders: dict[str, str] = {}
    pending: list[tuple[Checked, Category | None]] = [(entry, None) for entry in reversed(tree)]
    while pending:  # depth first, in the order written
        entry, parent = pending.pop()
        category = _category(entry, parent, departments, walk)
        if category is None:
            continue
        if category.code in result:
            first = result[category.code].line
            walk.error(
                "GK011",
                f"分类代码“{category.code}”重复（第 {first} 行已使用），分类代码必须唯一",
                *entry.path,
                "code",
            )
            continue
        if category.folder in folders:
            walk.error(
                "GK018",
                f"文件夹 content/{category.folder} 已被分类“{folders[category.folder]}”使用",
                *entry.path,
            )
            continue
        folders[category.folder] = category.code
        result[category.code] = category
        if parent:
            parent.children.append(category.code)
        pending += [(child, category) for child in reversed(entry["children"])]
    if not result:
        walk.error("GK002", "catalog.yml 至少要有一个目录分类（categories）", "categories")
    return result


def _category(
    entry: Checked, parent: Category | None, departments: dict[str, Department], walk: Walk
) -> Category | None:
    if not entry["code"]:
        return None  # missing or refused: reported
    inherited = parent.department if parent else None  # children inherit their parent's
    dept = catalog_rules.category_department(entry, inherited, departments, walk)
    folder = catalog_rules.category_folder(entry, parent.folder if parent else "", walk)
    if folder is None:
        return None
    return Category(
        code=entry["code"],
        name=entry["name"],
        department=dept,
        folder=folder,
        line=walk.src.line(*entry.path),
        parent=parent.code if parent else None,
        required=tuple(entry["required"]),
        normative=entry["normative"],
        regulation=entry["regulation"],
        interpretation=entry["interpretation"],
        description=entry["description"],
        frequency=entry["frequency"],
    )
