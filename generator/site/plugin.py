"""The `gongkai` mkdocs plugin: validates, then adds every public page as a virtual file.

Items never enter mkdocs' navigation (the nav is the catalog tree), so an item page's size
does not grow with the number of items.
"""

from __future__ import annotations

import gc
import json
import math
import os
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.site import fastpages
from generator.publishing import outdir
from generator.site import safepage
from generator.core import scratch
from generator.site import completeness as verify
from generator.reports.annual import annual_years
from generator.reports.annual import chart_svg
from generator.reports.annual import load_annual
from generator.reports.annual import report_docx
from generator.reports.annual import template_context
from generator.core.attachments import attached_files
from generator.core.catalog import CatalogError
from generator.reports.catalog_report import rows as catalog_rows
from generator.core.clock import beijing_today
from generator.core.failure import os_error_text
from generator.core.failure import unexpected
from generator.site.fastpages import PageRenderer
from generator.site.fastpages import translator
from generator.publishing.feed import write_feed
from generator.core.interrupts import sigterm_as_ctrl_c
from generator.core.project import CATALOG_FILE
from generator.core.project import ParseCache
from generator.core.project import Project
from generator.core.project import load_project
from generator.core.portal import template_data
from generator.site.portal_pages import lastmod
from generator.site.portal_pages import sitemap_context
from generator.core.problems import Problem
from generator.core.problems import display_path
from generator.core.problems import format_text
from generator.core.repo_files import build_refusal
from generator.core.repo_files import unpublishable
from generator.site.requests_pages import FORM_DOCX
from generator.site.requests_pages import form_docx
from generator.site.requests_pages import context as requests_context
from generator.checks import CheckCache
from generator.checks import check
from generator.core.sanitize import Removal
from generator.search.tokens import GROUP_PAGES
from generator.search.tokens import SHARD_PAGES
from generator.search.tokens import group_count
from generator.search.tokens import group_label
from generator.search.tokens import groups_per_shard
from generator.search.tokens import shard_count
from generator.search.worker import SearchIndexError
from generator.search.worker import ShardedIndex
from generator.core.public_set import ITEM_ROOT
from generator.core.public_set import Site
from generator.core.public_set import build_site
from generator.core.public_set import category_path
from generator.core.public_set import item_path
from generator.core.textfile import read_text
from generator.site.views import category_context
from generator.site.views import home_context
from generator.site.views import item_context
from generator.site.views import search_facets


class AttachmentFile(File):
    """An attachment is copied as it is, even a Markdown one: it is a download, not a page."""

    def is_documentation_page(self) -> bool:
        return False


class ItemPageFile(File):
    """An item's page. Its Markdown is generated (front matter for the template), but it is
    up to date while its page is newer than the item's file and the catalog, so that
    `mkdocs serve --dirty` rebuilds only the items that changed (and every list page)."""

    sources: tuple[Path, ...] = ()

    def is_modified(self) -> bool:
        try:
            built = os.path.getmtime(self.abs_dest_path)
            return any(built < os.path.getmtime(source) for source in self.sources)
        except OSError:
            return True


class GongkaiConfig(base.Config):
    root = c.Type(str, default="")  # repository root; default: the folder of mkdocs.yml
    page_size = c.Type(int, default=20)
    latest = c.Type(int, default=10)
    today = c.Optional(c.Type(str))  # build "as of" a date (YYYY-MM-DD); default: today
    search = c.Type(bool, default=True)  # build the Pagefind index
    search_group_pages = c.Type(int, default=GROUP_PAGES)  # see generator/search/tokens.py
    search_shard_pages = c.Type(int, default=SHARD_PAGES)
    # Markup the sanitiser removes stops the build (it is always removed from the pages);
    # off only to look at such pages, e.g. tests/browser/test_xss.py
    stop_on_removed_markup = c.Type(bool, default=True)


def _front(title: str, template: str, **meta: Any) -> dict[str, Any]:
    """A generated page's metadata (its front matter)."""
    return {"title": title, "template": template, **meta}


def _source(front: dict[str, Any], body: str = "") -> str:
    """A generated page's Markdown source: its metadata as YAML front matter, then its body."""
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def _link_or_copy(source: str, target: str) -> None:
    """A hard link where the file system allows (10,000 index files in a moment), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


# The theme (templates, partials, assets) ships inside the package: no bureau copies it.
THEME = Path(__file__).parent / "theme"


def _use_packaged_theme(config: MkDocsConfig) -> None:
    """Put the packaged theme into mkdocs' template search path, before mkdocs-material's own
    folders and after the bureau's `custom_dir` (theme/), whose overrides therefore win."""
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


class _Serving:
    """What `mkdocs serve` keeps from build to build (mkdocs makes a new plugin each rebuild):
    parsed items, their checks' findings, and the search index of the first build."""

    PREFIX = "gongkai-serve-index-"

    def __init__(self) -> None:
        self.parsed: ParseCache = {}
        self.checked: CheckCache = {}
        for parent in scratch.temp_parents():  # what serves killed outright left behind
            scratch.remove_stale(parent, self.PREFIX)
        self.index = scratch.new_dir(self.PREFIX)
        # removed when serve stops: Ctrl-C, or SIGTERM, which then acts as Ctrl-C
        scratch.removed_at_exit(self.index)
        sigterm_as_ctrl_c()


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    serving: _Serving | None = None  # set once `mkdocs serve` has made its first build
    fast_pages = fastpages.AVAILABLE  # see generator/site/fastpages.py; tests compare both ways

    def __init__(self) -> None:
        self.site: Site | None = None
        self.contexts: dict[str, dict[str, Any]] = {}
        self.project: Project | None = None  # set by `gongkai build`, which has loaded it already
        self.preview = True  # no gate ran: every page says it is an unreviewed preview
        self.progress: Callable[[int, int], None] | None = None
        self._done = 0
        self._total = 0
        self._index: ShardedIndex | None = None
        self._slots: dict[str, tuple[int, str]] = {}  # item page -> (search shard, group label)
        self._project: Project | None = None
        self._env: jinja2.Environment | None = None
        self._item_nav: dict[str, str] = {}  # folder -> rendered navigation
        self._groups = 1
        self._shards = 1
        self.timings: dict[str, float] = {}  # seconds, read by bench/
        self._caches: tuple[ParseCache, CheckCache] = ({}, {})
        self._sources: dict[str, tuple[dict[str, Any], str]] = {}  # page -> (front, body)
        self._renderer = PageRenderer()
        self._removed: list[tuple[Page, list[Removal]]] = []  # what sanitising removed
        self.markup_problems: list[Problem] = []  # ... where, reported by on_env
        self.files: Files | None = None  # what mkdocs writes, checked before the site is used
        self._shard_pages: dict[int, int] = {}  # search shard -> pages given to Pagefind
        self.failure: Exception | None = None  # the error that ended the build, as raised

    # No on_startup hook: mkdocs would then keep one plugin object from build to build, with
    # the previous build's project, held items and contexts.

    def _direct(self) -> bool:
        """A plain `mkdocs build` or `mkdocs serve` (whose folder is then marked on its first
        build); `gongkai build` guards and marks its own output folder."""
        return self.project is None

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(self.config.root or Path(config.config_file_path).parent)

    def _load(self, config: MkDocsConfig) -> Project:
        root = self._root(config)
        # kept by `mkdocs serve` (on_serve) for the rebuilds, from the first build on
        serving = self.serving
        self._caches = (serving.parsed, serving.checked) if serving else ({}, {})
        parsed, checked = self._caches
        try:
            project = load_project(root, parsed)
        except CatalogError as exc:
            raise PluginError(format_text([exc.problem])) from None
        if self.config.today:  # the deadline checks count to the day the site is built as of
            project.today = date.fromisoformat(self.config.today)
        errors = [p for p in check(project, checked) if p.is_error]
        if errors:
            raise PluginError("信息有错误，未生成网站：\n" + format_text(errors))
        return project

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _use_packaged_theme(config)
        if self._direct():  # mkdocs empties site_dir before it builds: only a folder it made
            reason = outdir.refusal(self._root(config), Path(config.site_dir), outdir.PREVIEW)
            if reason is not None:
                raise PluginError(reason)
        project = self.project or self._load(config)
        # before mkdocs walks docs_dir (following links) and copies what it finds
        refusal = build_refusal(project, config.docs_dir, config.theme.custom_dir)
        if refusal is not None:
            raise PluginError(refusal)
        today = date.fromisoformat(self.config.today) if self.config.today else beijing_today()
        self.site = build_site(project, today)
        self._project = project
        config.extra["gk_preview"] = self.preview
        config.site_name = project.catalog.site_name
        config.copyright = config.copyright or f"主办单位：{project.catalog.org_name}"
        config.extra["gk_portal"] = template_data(project.catalog.portal, lastmod(self.site))
        if project.catalog.base_url and not config.site_url:
            config.site_url = project.catalog.base_url
        config.nav = self._nav(config.nav or [])
        self._groups = group_count(len(self.site.listed), self.config.search_group_pages)
        self._shards = shard_count(
            self._groups, self.config.search_group_pages, self.config.search_shard_pages
        )
        return config

    def _nav(self, pages: list) -> list:
        """Static pages from mkdocs.yml, then the catalog tree with item counts."""
        site = self.site
        assert site is not None

        def entry(code: str) -> dict:
            category = site.catalog.categories[code]
            title = f"{category.name}（{site.count(category)}）"
            index = f"{category_path(code)}index.md"
            if not category.children:
                return {title: index}
            return {title: [index, *(entry(child) for child in category.children)]}

        return [*pages, *(entry(c.code) for c in site.catalog.roots)]

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        site = self.site
        assert site is not None and self._project is not None
        found = [(f.src_uri, f.abs_src_path or "") for f in files]
        for src_uri in unpublishable(self._project, config.docs_dir, found):
            files.remove(files.src_uris[src_uri])  # refused by validate: never copied
        unreadable = [
            problem
            for page in files.documentation_pages()
            if (problem := read_text(Path(page.abs_src_path))[1]) is not None
        ]
        if unreadable:  # fixed pages (content/pages/) mkdocs would fail to read, in English
            raise PluginError(
                "、".join(f"{display_path(p.file)} 第 {p.line} 行：{p.message}" for p in unreadable)
            )
        files.append(
            self._page(
                config,
                "index.md",
                _front(site.catalog.site_name, "home.html"),
                home_context(site, self.config.latest),
            )
        )
        requests = requests_context(site.catalog)
        files.append(
            self._page(
                config, "gkzn/index.md", _front("政府信息公开指南", "requests-guide.html"), requests
            )
        )
        files.append(
            self._page(config, "ysqgk/index.md", _front("依申请公开", "requests.html"), requests)
        )
        files.append(
            self._page(
                config,
                "ysqgk/form/index.md",
                _front("政府信息公开申请表", "request-form.html"),
                requests,
            )
        )
        files.append(File.generated(config, FORM_DOCX, content=form_docx(site.catalog)))
        self._annual_pages(files, config)
        files.append(
            self._page(
                config,
                "catalog/index.md",
                _front("政府信息公开目录", "catalog.html"),
                {
                    "kind": "catalog",
                    "rows": catalog_rows(site),
                    "total": len(site.listed),
                    "today": site.today,
                },
            )
        )
        files.append(  # 网站地图 (generator/site/portal_pages.py)
            self._page(
                config, "wzdt/index.md", _front("网站地图", "site-map.html"), sitemap_context(site)
            )
        )
        for category in site.catalog.categories.values():
            self._category_pages(files, config, category)
        searches = []
        assert self._project is not None
        catalog_file = self._project.root / CATALOG_FILE
        for item in site.pages:
            base = item_path(item.index_no or "")
            meta = {"listed": False} if item.withdrawn else {}
            front = _front(item.title or "", "item.html", **meta)
            attached = attached_files(item, self._project)  # the one decision validate makes
            context = item_context(site, item, attached)
            searches.append(context["search"])
            page = self._page(config, base + "index.md", front, context, ItemPageFile, item.body)
            page.sources = (item.path, catalog_file)
            files.append(page)
            for found in attached:
                files.append(
                    AttachmentFile.generated(
                        config, base + found.within.as_posix(), abs_src_path=str(found.path)
                    )
                )
        search = {
            "facets": search_facets(site.catalog, searches),
            "groups": self._groups,
            "shards": self._shards if site.listed else 0,  # no pages, no index
            "stale_index": self.serving is not None,
        }
        files.append(
            self._page(config, "search/index.md", _front("全文检索", "search.html"), search)
        )
        self._total = sum(1 for f in files if f.is_documentation_page())
        escaping = outdir.escaping(files, Path(config.site_dir))
        if escaping:  # a path with `..` would write outside the site, into the repository
            raise PluginError(
                "以下文件的网站路径超出了网站文件夹，未生成网站：" + "、".join(escaping[:5])
            )
        if self.config.search:
            self._plan_search(config)
        return files

    def _plan_search(self, config: MkDocsConfig) -> None:
        """Each listed item's search group and shard, in build order (see generator/search/tokens.py)."""
        site = self.site
        assert site is not None
        per_group = max(1, self.config.search_group_pages)
        per_shard = groups_per_shard(per_group, self.config.search_shard_pages)
        expected = dict.fromkeys(range(self._shards), 0)
        self._slots = {}
        for ordinal, item in enumerate(site.listed):
            group = ordinal // per_group
            shard = group // per_shard
            self._slots[item_path(item.index_no or "") + "index.md"] = (
                shard,
                group_label(group, self._groups),
            )
            expected[shard] += 1
        self._shard_pages = expected if self.serving is None else {}
        # `mkdocs serve` rebuilds keep the first build's index and write only the excerpt texts
        self._index = ShardedIndex(Path(config.site_dir), expected, pagefind=self.serving is None)

    def _annual_pages(self, files: Files, config: MkDocsConfig) -> None:
        site, project = self.site, self._project
        assert site is not None and project is not None
        org = site.catalog.org_name
        years = annual_years(project)
        files.append(
            self._page(
                config,
                "ndbg/index.md",
                _front("政府信息公开工作年度报告", "annual-index.html"),
                {"years": years, "org_name": org},
            )
        )
        for year in years:
            annual = load_annual(project, year)
            if annual is None:
                continue
            base = f"ndbg/{year}/"
            title = f"{org}{year}年政府信息公开工作年度报告"
            context = {"kind": "annual", **template_context(annual, org)}
            files.append(
                self._page(config, base + "index.md", _front(title, "annual.html"), context)
            )
            files.append(File.generated(config, base + "chart.svg", content=chart_svg(annual)))
            files.append(
                File.generated(config, base + "report.docx", content=report_docx(annual, org))
            )

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """Every page's Markdown is rendered and sanitised by now: markup the sanitiser removed
        stops the build here, before any template. Every value the templates print is escaped
        from now on, unless it is Markup (sanitised content, the table of contents).
        The theme may include templates shipped with the package (the annual report's tables).

        In `gongkai build` (which sets `project`) the objects made so far (items, files, page
        contexts) live until the build ends: frozen, Python's cyclic garbage collector stops
        scanning them again and again while the pages render (1.3 s at 10,000 items).
        `build_site_dir` unfreezes them after."""
        self.markup_problems = safepage.removed_problems(
            self._removed, self.contexts, config, stop=self.config.stop_on_removed_markup
        )
        env.autoescape = True
        if self.project is not None:
            gc.freeze()
        env.loader = jinja2.ChoiceLoader(
            [env.loader, jinja2.PackageLoader("generator", "templates")]
        )
        env.globals["gk_t"] = translator(env, config.theme["language"])
        self._env = env
        self.files = files
        self._item_nav = {}
        return env

    def _category_pages(self, files: Files, config: MkDocsConfig, category) -> None:
        site = self.site
        assert site is not None
        items = site.items_under(category)
        size = self.config.page_size
        pages = max(1, math.ceil(len(items) / size))
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * size : number * size]
            context = category_context(site, category, chunk, number, pages, len(items))
            title = category.name if number == 1 else f"{category.name}（第 {number} 页）"
            src = category_path(category.code, number) + "index.md"
            files.append(self._page(config, src, _front(title, "category.html"), context))

    def _page(
        self,
        config: MkDocsConfig,
        src_uri: str,
        front: dict[str, Any],
        context: dict,
        kind: type[File] = File,
        body: str = "",
    ) -> File:
        self.contexts[src_uri] = context
        if self._reads_sources(config):
            return kind.generated(config, src_uri, content=_source(front, body))
        # the page is given its metadata and body as they are (on_pre_page): its source text
        # would only take memory (about 50 MB at 10,000 items)
        self._sources[src_uri] = (front, body)
        return kind.generated(config, src_uri, content="")

    def _reads_sources(self, config: MkDocsConfig) -> bool:
        """Whether mkdocs reads generated pages from their source text: unless Gongkai renders
        them itself (generator/site/fastpages.py), or another plugin reads page sources."""
        return not self.fast_pages or bool(config.plugins.events["page_read_source"])

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """A generated page skips mkdocs' parsing of its front matter and shares one Markdown
        converter (generator/site/fastpages.py)."""
        source = self._sources.get(page.file.src_uri)
        if source is not None:
            self._renderer.adopt(page, *source)
        return page

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self.progress is not None:
            self._done += 1
            self.progress(self._done, self._total)
        return markdown

    @event_priority(-100)  # last, so that what any other plugin adds is sanitised too
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Every page's content is sanitised here, the one point all of them pass through
        (generator/site/safepage.py); its table of contents and title are made from what is kept.

        A listed item then goes to the search worker as soon as its Markdown is rendered (mkdocs
        renders every page's Markdown before any template), so indexing runs beside the build
        from its start: its shadow page (tokens) for Pagefind and its readable text, written
        beside the page for search excerpts."""
        html, removed = safepage.sanitise(page, html)
        if removed:
            self._removed.append((page, removed))
        slot = self._slots.get(page.file.src_uri)
        if self._index is not None and slot is not None:
            context = self.contexts[page.file.src_uri]
            item = context["item"]
            shard, group = slot
            self._index.add(
                shard,
                page.file.dest_uri,
                item.title or "",
                html,
                context["search"],
                item.index_no,
                item.doc_no,
                group,
            )
        return html

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuilds while previewing reuse the parsed items and the first build's search index
        (copied back after each rebuild), so an edit shows after the pages alone are rebuilt."""
        serving = GongkaiPlugin.serving = _Serving()
        serving.parsed, serving.checked = self._caches
        site_dir = Path(config.site_dir)
        for bundle in site_dir.glob("pagefind*"):
            shutil.copytree(bundle, serving.index / bundle.name)
        return server

    def on_build_error(self, error: Exception) -> None:
        """Stops the search worker. `gongkai build` reports the error itself (mkdocs replaces
        it with its own Abort); a plain `mkdocs build` or `mkdocs serve` says it in Chinese
        instead of a traceback."""
        self.failure = error
        if self._index is not None:
            self._index.close()
            self._index = None
        if self.project is not None or isinstance(error, MkDocsException):
            return
        if isinstance(error, OSError):
            raise Abort(f"生成网站失败：{os_error_text(error)}") from None
        raise Abort(unexpected(error)) from None

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        context["gk"] = gk = self.contexts.get(page.file.src_uri, {})
        outside_nav = gk.get("kind") == "item" or (gk.get("kind") == "category" and gk["page"] > 1)
        if outside_nav and self._env is not None:
            context["gk_nav"] = self._shared_nav(context, page)
        return context

    def _shared_nav(self, context: dict, page: Page) -> str:
        """Items, and category pages after the first, are not in the navigation, so no entry is
        active on them, and pages in the same folder (items of one organization, the pages of one
        category) link to every navigation entry the same way: render the navigation once per
        folder and build, instead of once per page (the largest per-page cost at 10,000 items)."""
        folder = page.url.rstrip("/").rpartition("/")[0]
        if folder not in self._item_nav:
            template = self._env.from_string(
                '{% import "partials/language.html" as lang with context %}'
                "{% set features = config.theme.features or [] %}"
                '{% include "partials/nav.html" %}'
            )
            self._item_nav[folder] = Markup(template.render(context))
        return self._item_nav[folder]

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        write_feed(self.site, site_dir, config.site_url or "/")
        if self.serving is not None and self.config.search:
            for bundle in self.serving.index.iterdir():
                if not (site_dir / bundle.name).exists():  # still there after a --dirty rebuild
                    shutil.copytree(bundle, site_dir / bundle.name, copy_function=_link_or_copy)
        files, items = self.files, (f"{ITEM_ROOT}/", len(self.site.pages))
        complete = self.serving is None and files is not None  # serve rebuilds: texts only
        if complete:  # while the search worker indexes the last pages
            self._verify(verify.check_written, site_dir, files, items)
        self._finish_search()
        if complete:
            listed = [f.dest_uri for f in files.documentation_pages() if f.src_uri in self._slots]
            self._verify(verify.check_search, site_dir, listed, self._shard_pages)
        if self._direct():
            outdir.write_marker(site_dir, outdir.PREVIEW)

    def _verify(self, check: Callable[..., None], *args: Any) -> None:
        """Every file written in full, the search index readable (generator/site/completeness.py)."""
        try:
            check(*args)
        except verify.Incomplete as exc:
            raise PluginError(str(exc)) from None

    def _finish_search(self) -> None:
        """Wait for the search worker; raises PluginError when the index is not complete."""
        assert self.site is not None
        if self._index is None:
            return
        started = time.perf_counter()
        index, self._index = self._index, None
        try:
            indexed = index.finish()
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        self.timings["search_wait"] = time.perf_counter() - started  # after the pages were done
        self.timings["search"] = index.seconds  # Pagefind's own time, mostly beside the pages
        if self.serving is None and indexed != len(self.site.listed):  # serve: texts only
            raise PluginError(
                f"全文检索索引不完整：应索引 {len(self.site.listed)} 条信息，实际 {indexed} 条"
            )
