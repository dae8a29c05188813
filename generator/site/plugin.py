"""The `gongkai` mkdocs plugin: validates, then adds every generated page as a virtual file.

The pages come from the page plan (`generator/pages/plan.py`), made without mkdocs; this module
only turns the plan into mkdocs files and renders them. Items never enter mkdocs' navigation
(the nav is the catalog tree), so an item page's size does not grow with the number of items.

Lifecycle: `gongkai build` loads mkdocs' configuration, calls `prepare` with the project it has
validated, and runs mkdocs' build; a plain `mkdocs build` or `mkdocs serve` loads and checks the
project itself. The plugin defines `on_startup`, so mkdocs keeps one plugin object for the whole
process (every `mkdocs serve` rebuild, every build in a test run): what one build computes is
reset in `on_config`, what `prepare` gives is used by one build only, and what serve keeps from
build to build (parsed items, check findings, the first build's search index) lives in `_Serving`,
removed in `on_shutdown`.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.checks import CheckCache, check
from generator.core import scratch
from generator.core.catalog import CatalogError
from generator.core.clock import beijing_today
from generator.core.failure import os_error_text, unexpected
from generator.core.interrupts import sigterm_as_ctrl_c
from generator.core.portal import template_data
from generator.core.problems import Problem, display_path, format_text
from generator.core.project import ParseCache, Project, load_project
from generator.core.public_set import ITEM_ROOT, PublicSet, public_set
from generator.core.repo_files import build_refusal, unpublishable
from generator.core import sanitize
from generator.core.sanitize import Removal
from generator.core.textfile import read_text
from generator.pages.plan import GeneratedPage, NavEntry, PagePlan, PlanOptions, plan_pages
from generator.pages.portal_pages import lastmod
from generator.pages.versions import EARLIER_VERSION
from generator.publishing import outdir
from generator.publishing.feed import write_feed
from generator.search.tokens import GROUP_PAGES, SHARD_PAGES
from generator.search.worker import SearchIndexError, ShardedIndex
from generator.site import completeness as verify
from generator.site import fastpages, safepage
from generator.site.fastpages import PageRenderer, translator

log = get_plugin_logger(__name__)


class AttachmentFile(File):
    """An attachment copied as it is: a download, not a page (a Markdown attachment is planned
    as a page of its own, generator/pages/plan.py)."""

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


class _Day(c.OptionallyRequired[date]):
    """A date written YYYY-MM-DD (YAML may already have read it as a date)."""

    def run_validation(self, value: object) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                f"today 应为 YYYY-MM-DD 格式的日期，例如 2026-12-01（收到“{value}”）"
            ) from None


class GongkaiConfig(base.Config):
    root = c.Type(str, default="")  # repository root; default: the folder of mkdocs.yml
    page_size = c.Type(int, default=20)
    latest = c.Type(int, default=10)
    today = c.Optional(_Day())  # build "as of" a date (YYYY-MM-DD); default: today
    search = c.Type(bool, default=True)  # build the Pagefind index
    search_group_pages = c.Type(int, default=GROUP_PAGES)  # see generator/search/tokens.py
    search_shard_pages = c.Type(int, default=SHARD_PAGES)
    # Markup the sanitiser removes stops the build (it is always removed from the pages);
    # off only to look at such pages, e.g. tests/browser/test_xss.py
    stop_on_removed_markup = c.Type(bool, default=True)


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
    """What `mkdocs serve` keeps from build to build: parsed items, their checks' findings, and
    the search index of the first build (in a temporary folder, removed when serve stops)."""

    PREFIX = "gongkai-serve-index-"

    def __init__(self, parsed: ParseCache, checked: CheckCache) -> None:
        self.parsed, self.checked = parsed, checked
        for parent in scratch.temp_parents():  # what serves killed outright left behind
            scratch.remove_stale(parent, self.PREFIX)
        self.index = scratch.new_dir(self.PREFIX)
        # on_shutdown removes it; this covers Ctrl-C, or SIGTERM, which then acts as Ctrl-C
        scratch.removed_at_exit(self.index)
        sigterm_as_ctrl_c()

    def close(self) -> None:
        shutil.rmtree(self.index, ignore_errors=True)


@dataclass
class _Prepared:
    """What `gongkai build` gives one build (see `GongkaiPlugin.prepare`)."""

    project: Project
    preview: bool
    progress: Callable[[int, int], None] | None
    # run once every page is written, while the search worker indexes the last ones
    while_indexing: Callable[[Path], None] | None = None


class _Build:
    """What one build computes, from `on_config` to `on_post_build`."""

    def __init__(self, project: Project, site: PublicSet, plan: PagePlan) -> None:
        self.project, self.site, self.plan = project, site, plan
        self.pages = {page.address: page for page in plan.pages}
        self.index: ShardedIndex | None = None
        self.env: jinja2.Environment | None = None
        self.item_nav: dict[str, str] = {}  # folder -> rendered navigation
        self.removed: list[tuple[Page, list[Removal]]] = []  # what sanitising removed
        self.done = 0
        self.total = 0


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    fast_pages = fastpages.AVAILABLE  # see generator/site/fastpages.py; tests compare both ways

    def __init__(self) -> None:
        self._serving: _Serving | None = None  # from `mkdocs serve`'s first build on
        self._prepared: _Prepared | None = None
        self._build: _Build | None = None
        self._renderer = PageRenderer()
        self._parsed: tuple[ParseCache, CheckCache] = ({}, {})
        # Read after a build (by `gongkai build`, tests and benchmarks):
        self.site: PublicSet | None = None  # the published set the pages show
        self.plan: PagePlan | None = None
        self.files: Files | None = None  # what mkdocs writes, checked before the site is used
        self.markup_problems: list[Problem] = []  # what sanitising removed, where
        self.timings: dict[str, float] = {}  # seconds, read by bench/
        self.failure: Exception | None = None  # the error that ended the build, as raised

    def prepare(
        self,
        project: Project,
        *,
        preview: bool = True,
        progress: Callable[[int, int], None] | None = None,
        today: date | None = None,
        options: dict[str, Any] | None = None,
        while_indexing: Callable[[Path], None] | None = None,
    ) -> None:
        """For the next build only: the project `gongkai build` has loaded and validated (the
        plugin neither loads nor checks it again, nor guards or marks the output folder, which
        `gongkai build` does), whether the site is an unreviewed preview (no gate ran), a
        progress callback (pages rendered, pages in all), the day the site is built as of,
        settings that override mkdocs.yml's (tests and benchmarks), and work on the written
        pages to do while the search index is finished (called with the site folder, on a
        complete build with search only; this process has one thread then)."""
        self._prepared = _Prepared(project, preview, progress, while_indexing)
        if today is not None:
            self.config.today = today
        for key, value in (options or {}).items():
            self.config[key] = value

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that mkdocs keeps this object for the whole process (see the module's
        docstring); nothing to set up before the first build."""

    def on_shutdown(self) -> None:
        """`mkdocs serve` stops: its search index copy goes."""
        if self._serving is not None:
            self._serving.close()
            self._serving = None

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(self.config.root or Path(config.config_file_path).parent)

    def _load(self, config: MkDocsConfig) -> Project:
        """A plain `mkdocs build` or `serve`: load and check the project here. Errors stop the
        build; the checks' warnings go to mkdocs' log at INFO level (each says [警告]), so that
        `mkdocs build --strict` keeps failing on mkdocs' own warnings only, as `gongkai build`
        publishes despite the checks' warnings."""
        root = self._root(config)
        # kept by `mkdocs serve` for the rebuilds, from the first build on
        serving = self._serving
        self._parsed = (serving.parsed, serving.checked) if serving else ({}, {})
        parsed, checked = self._parsed
        try:
            project = load_project(root, parsed)
        except CatalogError as exc:
            raise PluginError(format_text([exc.problem])) from None
        if self.config.today:  # the deadline checks count to the day the site is built as of
            project.today = self._today()
        problems = check(project, checked)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise PluginError("信息有错误，未生成网站：\n" + format_text(errors))
        for problem in problems:
            log.info(format_text([problem]).strip())
        return project

    def _today(self) -> date:
        """The day the site is built as of (a test may set the option to its text)."""
        value = self.config.today
        if isinstance(value, str):
            return date.fromisoformat(value)
        return value or beijing_today()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _use_packaged_theme(config)
        self._build = None
        self.site = self.plan = self.files = self.failure = None
        self.markup_problems, self.timings = [], {}
        prepared = self._prepared
        if prepared is None:  # mkdocs empties site_dir before it builds: only a folder it made
            reason = outdir.refusal(self._root(config), Path(config.site_dir), outdir.PREVIEW)
            if reason is not None:
                raise PluginError(reason)
        project = prepared.project if prepared else self._load(config)
        # before mkdocs walks docs_dir (following links) and copies what it finds
        refusal = build_refusal(project, config.docs_dir, config.theme.custom_dir)
        if refusal is not None:
            raise PluginError(refusal)
        if project.catalog.base_url and not config.site_url:
            config.site_url = project.catalog.base_url
        self.site = site = public_set(project, self._today())
        options = PlanOptions(
            page_size=self.config.page_size,
            latest=self.config.latest,
            search=self.config.search,
            group_pages=self.config.search_group_pages,
            shard_pages=self.config.search_shard_pages,
            stale_index=self._serving is not None,
            base_url=config.site_url or "/",
        )
        self.plan = plan_pages(project, site, options)
        self._build = _Build(project, site, self.plan)
        config.extra["gk_preview"] = prepared.preview if prepared else True
        config.site_name = project.catalog.site_name
        config.copyright = config.copyright or f"主办单位：{project.catalog.org_name}"
        config.extra["gk_portal"] = template_data(project.catalog.portal, lastmod(site))
        config.nav = _navigation(self.plan.nav, config.nav or [])
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        build = self._build
        assert build is not None
        found = [(f.src_uri, f.abs_src_path or "") for f in files]
        for src_uri in unpublishable(build.project, config.docs_dir, found):
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
        for page in build.plan.pages:
            files.append(self._file(config, page))
        for extra in build.plan.files:
            if extra.source is not None:
                files.append(
                    AttachmentFile.generated(config, extra.address, abs_src_path=str(extra.source))
                )
            else:
                files.append(File.generated(config, extra.address, content=extra.content))
        build.total = sum(1 for f in files if f.is_documentation_page())
        escaping = outdir.escaping(files, Path(config.site_dir))
        if escaping:  # a path with `..` would write outside the site, into the repository
            raise PluginError(
                "以下文件的网站路径超出了网站文件夹，未生成网站：" + "、".join(escaping[:5])
            )
        if self.config.search:
            # `mkdocs serve` rebuilds keep the first build's index and write only the texts
            build.index = ShardedIndex(
                Path(config.site_dir), build.plan.shards, pagefind=self._serving is None
            )
        return files

    def _file(self, config: MkDocsConfig, page: GeneratedPage) -> File:
        kind = ItemPageFile if page.sources else File
        if self._reads_sources(config):
            file = kind.generated(config, page.address, content=_source(page.front, page.body))
        else:  # given its metadata and body as they are (on_pre_page): no source text to keep
            file = kind.generated(config, page.address, content="")
        if page.sources:
            file.sources = page.sources
        return file

    def _reads_sources(self, config: MkDocsConfig) -> bool:
        """Whether mkdocs reads generated pages from their source text: unless Gongkai renders
        them itself (generator/site/fastpages.py), or another plugin reads page sources."""
        return not self.fast_pages or bool(config.plugins.events["page_read_source"])

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """Every page's Markdown is rendered and sanitised by now: markup the sanitiser removed
        stops the build here, before any template. Every value the templates print is escaped
        from now on, unless it is Markup (sanitised content, the table of contents).
        The theme may include templates shipped with the package (the annual report's tables).

        In `gongkai build` (which calls `prepare`) the objects made so far (items, files, page
        contexts) live until the build ends: frozen, Python's cyclic garbage collector stops
        scanning them again and again while the pages render (1.3 s at 10,000 items).
        `build_site_dir` unfreezes them after."""
        build = self._build
        assert build is not None
        contexts = {address: page.context for address, page in build.pages.items()}
        self.markup_problems = safepage.removed_problems(
            build.removed, contexts, config, stop=self.config.stop_on_removed_markup
        )
        env.autoescape = True
        if self._prepared is not None:
            gc.freeze()
        env.loader = jinja2.ChoiceLoader(
            [env.loader, jinja2.PackageLoader("generator", "templates")]
        )
        env.globals["gk_t"] = translator(env, config.theme["language"])
        build.env = env
        self.files = files
        return env

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """A generated page skips mkdocs' parsing of its front matter and shares one Markdown
        converter (generator/site/fastpages.py)."""
        build = self._build
        planned = build.pages.get(page.file.src_uri) if build else None
        if planned is not None and not self._reads_sources(config):
            self._renderer.adopt(page, planned.front, planned.body)
        return page

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        build, prepared = self._build, self._prepared
        if build is None or page.file.src_uri not in build.pages:
            # a fixed page (content/pages/) never chooses a theme template (validate: GK159)
            page.meta.pop("template", None)
        if build is not None and prepared is not None and prepared.progress is not None:
            build.done += 1
            prepared.progress(build.done, build.total)
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
        build = self._build
        if build is None:
            return html
        planned = build.pages.get(page.file.src_uri)
        if planned is not None and planned.meta.get(EARLIER_VERSION):
            # an earlier version (pages/versions.py): its own links may be gone, and what today's
            # rules remove from it is removed without stopping the build
            return sanitize.unlinked(html)
        if removed:
            build.removed.append((page, removed))
        if build.index is not None and planned is not None and planned.search is not None:
            build.index.add(planned.search, page.file.dest_uri, html)
        return html

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuilds while previewing reuse the parsed items and the first build's search index
        (copied back after each rebuild), so an edit shows after the pages alone are rebuilt."""
        serving = self._serving = _Serving(*self._parsed)
        site_dir = Path(config.site_dir)
        for bundle in site_dir.glob("pagefind*"):
            shutil.copytree(bundle, serving.index / bundle.name)
        return server

    def on_build_error(self, error: Exception) -> None:
        """Stops the search worker. `gongkai build` reports the error itself (mkdocs replaces
        it with its own Abort); a plain `mkdocs build` or `mkdocs serve` says it in Chinese
        instead of a traceback."""
        self.failure = error
        prepared, self._prepared = self._prepared, None
        build = self._build
        if build is not None and build.index is not None:
            build.index.close()
            build.index = None
        if prepared is not None or isinstance(error, MkDocsException):
            return
        if isinstance(error, OSError):
            raise Abort(f"生成网站失败：{os_error_text(error)}") from None
        raise Abort(unexpected(error)) from None

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        build = self._build
        planned = build.pages.get(page.file.src_uri) if build else None
        context["gk"] = gk = planned.context if planned else {}
        outside_nav = gk.get("kind") in ("item", "attachment") or (gk.get("kind") == "category" and gk["page"] > 1)
        if outside_nav and build is not None and build.env is not None:
            context["gk_nav"] = self._shared_nav(build, context, page)
        return context

    def _shared_nav(self, build: _Build, context: dict, page: Page) -> str:
        """Items, and category pages after the first, are not in the navigation, so no entry is
        active on them, and pages in the same folder (items of one organization, the pages of one
        category) link to every navigation entry the same way: render the navigation once per
        folder and build, instead of once per page (the largest per-page cost at 10,000 items).
        Its indentation is dropped (a third of an item page's bytes, written, hashed and
        inspected 10,000 times): each run of white space with a line break becomes one line
        break, which the browser shows the same (the navigation holds no preformatted text)."""
        folder = page.url.rstrip("/").rpartition("/")[0]
        if folder not in build.item_nav:
            assert build.env is not None
            template = build.env.from_string(
                '{% import "partials/language.html" as lang with context %}'
                "{% set features = config.theme.features or [] %}"
                '{% include "partials/nav.html" %}'
            )
            build.item_nav[folder] = Markup(_INDENTED.sub("\n", template.render(context)))
        return build.item_nav[folder]

    def on_post_build(self, config: MkDocsConfig) -> None:
        build = self._build
        assert build is not None
        prepared, self._prepared = self._prepared, None
        site_dir = Path(config.site_dir)
        write_feed(build.site, site_dir, config.site_url or "/")
        if self._serving is not None and self.config.search:
            for bundle in self._serving.index.iterdir():
                if not (site_dir / bundle.name).exists():  # still there after a --dirty rebuild
                    shutil.copytree(bundle, site_dir / bundle.name, copy_function=_link_or_copy)
        # earlier versions and Markdown attachments' pages are under item/ too
        pages = len(build.site.pages) + build.plan.versions + build.plan.attachment_pages
        files, items = self.files, (f"{ITEM_ROOT}/", pages)
        complete = self._serving is None and files is not None  # serve rebuilds: texts only
        if complete:  # while the search worker indexes the last pages
            self._verify(verify.check_written, site_dir, files, items)
            if build.index is not None and prepared is not None and prepared.while_indexing:
                build.index.send_rest()
                prepared.while_indexing(site_dir)
        self._finish_search(build)
        if complete:
            listed = [
                f.dest_uri
                for f in files.documentation_pages()
                if (planned := build.pages.get(f.src_uri)) is not None and planned.search
            ]
            shards = build.plan.shards if self._serving is None else {}
            self._verify(verify.check_search, site_dir, listed, shards)
        if prepared is None:  # `gongkai build` marks its own folder
            outdir.write_marker(site_dir, outdir.PREVIEW)

    def _verify(self, check: Callable[..., None], *args: Any) -> None:
        """Every file written in full, the search index readable (generator/site/completeness.py)."""
        try:
            check(*args)
        except verify.Incomplete as exc:
            raise PluginError(str(exc)) from None

    def _finish_search(self, build: _Build) -> None:
        """Wait for the search worker; raises PluginError when the index is not complete."""
        if build.index is None:
            return
        started = time.perf_counter()
        index, build.index = build.index, None
        try:
            indexed = index.finish()
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        self.timings["search_wait"] = time.perf_counter() - started  # after the pages were done
        self.timings["search"] = index.seconds  # Pagefind's own time, mostly beside the pages
        listed = len(build.site.listed)
        if self._serving is None and indexed != listed:  # serve: texts only
            raise PluginError(f"全文检索索引不完整：应索引 {listed} 条信息，实际 {indexed} 条")


_INDENTED = re.compile(r"\s*\n\s*")  # white space with a line break in it


def _navigation(planned: list[NavEntry], own: list) -> list:
    """The planned navigation, then mkdocs.yml's own entries (the bureau's fixed pages) except
    those for pages the plan already places (an older mkdocs.yml listed 首页, 指南 and so on)."""
    placed = set()

    def addresses(entry: NavEntry) -> None:
        placed.add(entry.address)
        for child in entry.children:
            addresses(child)

    for entry in planned:
        addresses(entry)
    kept = [e for e in own if not (isinstance(e, dict) and set(e.values()) <= placed)]
    kept = [e for e in kept if not (isinstance(e, str) and e in placed)]
    return [*map(_nav_entry, planned), *kept]


def _nav_entry(entry: NavEntry) -> dict:
    """A catalog entry as mkdocs' nav configuration writes it."""
    if not entry.children:
        return {entry.title: entry.address}
    return {entry.title: [entry.address, *map(_nav_entry, entry.children)]}
