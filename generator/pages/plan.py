"""The page plan: every page and file the portal generates, as plain data, made without mkdocs.

The catalog, items and rules become a list of typed pages (address, title, template, context,
body, sources, search entry) and of files (generated content, or a source file copied as it is),
with the catalog navigation and the search shards. The mkdocs plugin (`generator/site/plugin.py`)
only turns this plan into mkdocs files; another site generator would consume the same plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.attachments import AttachedFile, attached_files
from generator.core.catalog import Category
from generator.core.item import Item
from generator.core.markup import page_body
from generator.core.project import CATALOG_FILE, Project
from generator.core.public_set import PublicSet, category_path, item_path
from generator.core.textfile import read_text
from generator.pages.harvest import harvest_files
from generator.pages.portal_pages import sitemap_context
from generator.pages.requests_pages import FORM_DOCX, form_docx
from generator.pages.requests_pages import context as requests_context
from generator.pages.versions import EARLIER_VERSION, history_rows, version_notice, version_path
from generator.pages.views import (
    attachment_context,
    category_context,
    home_context,
    item_context,
    search_facets,
)
from generator.reports.annual import annual_years, chart_svg, load_annual, report_docx
from generator.reports.annual import template_context as annual_context
from generator.reports.annual_export import report_csv, report_json
from generator.reports.catalog_report import rows as catalog_rows
from generator.search.tokens import (
    GROUP_PAGES,
    SHARD_PAGES,
    SearchEntry,
    group_count,
    group_label,
    groups_per_shard,
    shard_count,
)
from generator.search.words import WORDS_FILE, words_json


@dataclass(frozen=True)
class PlanOptions:
    """The `gongkai` plugin's settings that shape the plan (mkdocs.yml)."""

    page_size: int = 20  # items per category page
    latest: int = 10  # items on the home page
    search: bool = True  # plan the Pagefind index
    group_pages: int = GROUP_PAGES  # see generator/search/tokens.py
    shard_pages: int = SHARD_PAGES
    stale_index: bool = False  # `mkdocs serve` rebuilds keep the first build's index
    base_url: str = "/"  # the site's address, for sitemaps and feeds


@dataclass
class GeneratedPage:
    """One page: rendered by `template` with `context` (as `gk`), `body` as its Markdown."""

    address: str  # its source address, e.g. "item/000014349/2026-00001/index.md"
    title: str
    template: str
    context: dict[str, Any]
    body: str = ""
    meta: dict[str, Any] = field(default_factory=dict)  # more front matter (`listed: false`)
    sources: tuple[Path, ...] = ()  # files whose change makes the built page stale
    search: SearchEntry | None = None  # listed items only

    @property
    def front(self) -> dict[str, Any]:
        """The page's metadata, as its front matter would give it."""
        return {"title": self.title, "template": self.template, **self.meta}


@dataclass(frozen=True)
class GeneratedFile:
    """A file that is not a page: `content` generated, or `source` copied as it is."""

    address: str
    content: str | bytes | None = None
    source: Path | None = None


@dataclass(frozen=True)
class NavEntry:
    """A category in the navigation: its title with its count, its first page, its children."""

    title: str
    address: str
    children: tuple[NavEntry, ...] = ()


@dataclass
class PagePlan:
    pages: list[GeneratedPage]
    files: list[GeneratedFile]
    nav: list[NavEntry]  # the portal's navigation; mkdocs.yml's own entries follow it
    groups: int  # search token groups
    shards: dict[int, int]  # search shard -> pages planned for it (empty: no index)
    versions: int = 0  # pages of earlier versions of items (under item/, beside the items')
    attachment_pages: int = 0  # Markdown attachments' pages (under item/, in their items' folders)

    def page(self, address: str) -> GeneratedPage | None:
        return next((p for p in self.pages if p.address == address), None)


def plan_pages(project: Project, site: PublicSet, options: PlanOptions) -> PagePlan:
    """Every generated page and file of the portal, in build order."""
    pages: list[GeneratedPage] = []
    files: list[GeneratedFile] = []
    catalog = site.catalog
    pages.append(
        GeneratedPage(
            "index.md", catalog.site_name, "home.html", home_context(site, options.latest)
        )
    )
    pages += _request_pages(site)
    files.append(GeneratedFile(FORM_DOCX, content=form_docx(catalog)))
    _annual(project, site, pages, files)
    catalog_page = {
        "kind": "catalog",
        "rows": catalog_rows(site),
        "total": len(site.listed),
        "today": site.today,
    }
    pages.append(
        GeneratedPage("catalog/index.md", "政府信息公开目录", "catalog.html", catalog_page)
    )
    pages.append(GeneratedPage("wzdt/index.md", "网站地图", "site-map.html", sitemap_context(site)))
    for category in catalog.categories.values():
        pages += _category_pages(site, category, options.page_size)
    groups = group_count(len(site.listed), options.group_pages)
    slots = _search_slots(site, options, groups) if options.search else {}
    item_pages = list(_item_pages(project, site, slots, files))
    pages += item_pages
    version_pages = list(_version_pages(project, site))
    pages += version_pages
    search = {
        "facets": search_facets(catalog, [p.context.get("search") for p in item_pages]),
        "groups": groups,
        "shards": shard_count(groups, options.group_pages, options.shard_pages)
        if site.listed
        else 0,  # no pages, no index
        "stale_index": options.stale_index,
    }
    pages.append(GeneratedPage("search/index.md", "全文检索", "search.html", search))
    if site.listed:  # the search page's suggestions for a query that finds nothing
        titles = [i.title or "" for i in site.listed]
        keywords = [k for i in site.listed for k in i.keywords]
        files.append(GeneratedFile(WORDS_FILE, content=words_json(titles, keywords)))
    files += [GeneratedFile(a, content=c) for a, c in harvest_files(site, options.base_url)]
    shards: dict[int, int] = {}
    if options.search:
        shards = dict.fromkeys(range(search["shards"]), 0)
        for page in item_pages:
            if page.search is not None:
                shards[page.search.shard] += 1
    attachment_pages = sum(1 for p in item_pages if p.context["kind"] == "attachment")
    return PagePlan(pages, files, _nav(site), groups, shards, len(version_pages), attachment_pages)


def _request_pages(site: PublicSet) -> list[GeneratedPage]:
    """依申请公开: the 公开指南, the 依申请公开 page and the application form."""
    requests = requests_context(site.catalog)
    return [
        GeneratedPage("gkzn/index.md", "政府信息公开指南", "requests-guide.html", requests),
        GeneratedPage("ysqgk/index.md", "依申请公开", "requests.html", requests),
        GeneratedPage("ysqgk/form/index.md", "政府信息公开申请表", "request-form.html", requests),
    ]


def _annual(
    project: Project, site: PublicSet, pages: list[GeneratedPage], files: list[GeneratedFile]
) -> None:
    """The annual reports' index, and each year's page, chart and Word document."""
    org = site.catalog.org_name
    years = annual_years(project)
    pages.append(
        GeneratedPage(
            "ndbg/index.md",
            "政府信息公开工作年度报告",
            "annual-index.html",
            {"years": years, "org_name": org},
        )
    )
    for year in years:
        annual = load_annual(project, year)
        if annual is None:
            continue
        base = f"ndbg/{year}/"
        title = f"{org}{year}年政府信息公开工作年度报告"
        context = {"kind": "annual", **annual_context(annual, org)}
        pages.append(GeneratedPage(base + "index.md", title, "annual.html", context))
        files.append(GeneratedFile(base + "chart.svg", content=chart_svg(annual)))
        files.append(GeneratedFile(base + "report.docx", content=report_docx(annual, org)))
        files.append(GeneratedFile(base + "report.json", content=report_json(annual, org)))
        files.append(GeneratedFile(base + "report.csv", content=report_csv(annual)))


def _category_pages(site: PublicSet, category: Category, size: int) -> list[GeneratedPage]:
    """A category's list, `size` items a page."""
    items = site.items_under(category)
    count = max(1, math.ceil(len(items) / size))
    pages = []
    for number in range(1, count + 1):
        chunk = items[(number - 1) * size : number * size]
        context = category_context(site, category, chunk, number, count, len(items))
        title = category.name if number == 1 else f"{category.name}（第 {number} 页）"
        address = category_path(category.code, number) + "index.md"
        pages.append(GeneratedPage(address, title, "category.html", context))
    return pages


def _search_slots(site: PublicSet, options: PlanOptions, groups: int) -> dict[str, tuple[int, str]]:
    """Each listed item's page -> its search shard and token group label, in build order."""
    per_group = max(1, options.group_pages)
    per_shard = groups_per_shard(per_group, options.shard_pages)
    slots = {}
    for ordinal, item in enumerate(site.listed):
        group = ordinal // per_group
        slots[item_path(item.index_no or "") + "index.md"] = (
            group // per_shard,
            group_label(group, groups),
        )
    return slots


def _item_pages(
    project: Project,
    site: PublicSet,
    slots: dict[str, tuple[int, str]],
    files: list[GeneratedFile],
):
    """Each published item's page, its Markdown attachments' pages, and its other attachments
    as files copied as they are."""
    catalog_file = project.root / CATALOG_FILE
    for item in site.pages:
        base = item_path(item.index_no or "")
        attached = attached_files(item, project)  # the one decision validate makes
        context = item_context(site, item, attached)
        context["history"] = history_rows(item, project.versions.get(item.index_no or "", []))
        address = base + "index.md"
        entry = None
        if address in slots:
            shard, group = slots[address]
            entry = SearchEntry(
                shard, group, item.title or "", context["search"], item.index_no, item.doc_no
            )
        yield GeneratedPage(
            address,
            item.title or "",
            "item.html",
            context,
            item.body,
            {"listed": False} if item.withdrawn else {},
            (item.path, catalog_file),
            entry,
        )
        for found in attached:
            if found.is_page:
                yield _attachment_page(site, item, found, (item.path, catalog_file))
            else:
                files.append(GeneratedFile(base + found.site_path, source=found.path))


def _attachment_page(
    site: PublicSet, item: Item, found: AttachedFile, sources: tuple[Path, ...]
) -> GeneratedPage:
    """A Markdown attachment as a page of its own (not listed, not searched), rendered and
    sanitised as an item's body is; the raw Markdown is not published beside it."""
    text, _ = read_text(found.path)  # validate refuses an attachment that is not UTF-8 text
    body, _ = page_body(text)  # as mkdocs reads a page: not its front matter
    return GeneratedPage(
        item_path(item.index_no or "") + found.site_path + "index.md",
        f"{found.attachment.name}（{item.title or ''}）",
        "attachment.html",
        attachment_context(site, item, found),
        body,
        {},
        (found.path, *sources),
    )


def _version_pages(project: Project, site: PublicSet):
    """Each earlier version of a published item, read-only at `<item>/v/<N>/`: not listed, not
    searched, without its attachments and its links within the site (the current version's page
    carries the attachments; the plugin unlinks the rest)."""
    catalog_file = project.root / CATALOG_FILE
    for item in site.pages:
        for version in project.versions.get(item.index_no or "", []):
            context = item_context(site, version.item)
            context["version"] = version_notice(item, version)
            yield GeneratedPage(
                version_path(item.index_no or "", version.number) + "index.md",
                f"{version.item.title or ''}（历史版本）",
                "item.html",
                context,
                version.item.body,
                {"listed": False, EARLIER_VERSION: True},
                (item.path, catalog_file),
            )


RULES_SUFFIX = "信息公开制度"  # a top category named so is 61号's 政府信息公开制度 column


def _nav(site: PublicSet) -> list[NavEntry]:
    """The portal's navigation, in the column structure of 国办公开办函〔2019〕61号: 政府信息公开
    指南, 政府信息公开制度, 法定主动公开内容 (the catalog tree with item counts), 政府信息公开年报,
    then 依申请公开 and search."""

    def entry(code: str) -> NavEntry:
        category = site.catalog.categories[code]
        title = f"{category.name}（{site.count(category)}）"
        children = tuple(entry(child) for child in category.children)
        return NavEntry(title, f"{category_path(code)}index.md", children)

    roots = site.catalog.roots
    rules = [c for c in roots if c.name.endswith(RULES_SUFFIX)]
    content = tuple(entry(c.code) for c in roots if c not in rules)
    return [
        NavEntry("首页", "index.md"),
        NavEntry("政府信息公开指南", "gkzn/index.md"),
        *(NavEntry(c.name, f"{category_path(c.code)}index.md") for c in rules[:1]),
        NavEntry("法定主动公开内容", "catalog/index.md", content),
        NavEntry("政府信息公开年报", "ndbg/index.md"),
        NavEntry("依申请公开", "ysqgk/index.md"),
        NavEntry("全文检索", "search/index.md"),
    ]
