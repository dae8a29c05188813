"""The inspection of a built site: every page's elements, meta tags and links, the wording list,
and the freshness of the home page and columns. One finding repeated on many pages (a template's
fault) is reported once, with the number of pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from generator.core.attachments import attached_files
from generator.core.catalog import Catalog
from generator.core.problems import Problem, Severity, error, sort_problems, warning
from generator.core.project import Project
from generator.core.public_set import CATEGORY_ROOT, ITEM_ROOT, item_path, public_set
from generator.core.screening import KINDS, mask_personal
from generator.inspection import links
from generator.inspection.freshness import freshness_problems
from generator.inspection.pages import PageFacts, html_pages, read_pages, site_files
from generator.inspection.screen import PageJudge
from generator.inspection.wording import message as wording_message
from generator.inspection.wording import misworded

SITE_META = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_META = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE_META = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description")
PUB_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
ICP_PREFIX = "https://beian.miit.gov.cn"


@dataclass
class Report:
    problems: list[Problem]
    external: list[str]  # links that leave the site, for the optional network check
    pages: int


@dataclass
class _Found:
    file: str
    line: int
    pages: int = 1


@dataclass
class _Collector:
    """Findings by (code, severity, message, source): repeated ones are counted, not repeated."""

    found: dict[tuple, _Found] = field(default_factory=dict)

    def add(self, code: str, severity: Severity, message: str, file: Path, line: int) -> None:
        key = (code, severity, message, str(file))
        if key in self.found:
            self.found[key].pages += 1
        else:
            self.found[key] = _Found(str(file), line)

    def add_page(self, code: str, severity: Severity, message: str, file: Path, line: int) -> None:
        """A finding counted over pages: reported at the first page it was seen on."""
        key = (code, severity, message, None)
        if key in self.found:
            self.found[key].pages += 1
        else:
            self.found[key] = _Found(str(file), line)

    def problems(self) -> list[Problem]:
        made = []
        for (code, severity, message, _), where in self.found.items():
            if where.pages > 1:
                message += f"（共 {where.pages} 个页面有此问题）"
            make = error if severity is Severity.ERROR else warning
            made.append(make(where.file, where.line, code, message))
        return made


def inspect_site(
    project: Project,
    site_dir: Path,
    today: date | None = None,
    held: Mapping[str, str] | None = None,
) -> Report:
    """Inspect the site built from `project` in `site_dir`, as of `today` (Beijing date).
    `held`: address -> repository path of items the publish gate holds back; a link to one is a
    warning (GK413), since a held change must never stop approved ones."""
    site = public_set(project, today or project.today)
    catalog = project.catalog
    found = _Collector()
    sources = _Sources(project, site.pages)
    host = catalog.portal.domain.lower()
    base_path = urlsplit(catalog.base_url).path or "/"
    files = site_files(site_dir)
    external: set[str] = set()
    count = 0
    judge = PageJudge(
        links.LinkJudge(frozenset(files), host, base_path),
        catalog.sensitive_words,
        catalog.screening_allow,
    )
    for rel, page in read_pages(site_dir, list(html_pages(files)), judge):
        count += 1
        file = site_dir / rel
        if page.unreadable:
            found.add("GK422", Severity.ERROR, f"页面无法解析（{page.unreadable}）", file, 1)
            continue
        _structure(page, file, found)
        _meta(page, file, catalog, found)
        _footer(page, file, catalog, found)
        _links(page, file, sources, found, held or {})
        _wording(page, file, catalog, site.today, sources, found)
        _screened(page, file, sources, found)
        external |= page.external
    problems = [*freshness_problems(site, catalog.inspection), *_settings(catalog)]
    return Report(sort_problems([*problems, *found.problems()]), sorted(external), count)


def _settings(catalog: Catalog) -> list[Problem]:
    """Footer settings not filled in: one warning, at the catalog's `site` section."""
    missing = catalog.portal.missing() + ([] if catalog.base_url else ["网站地址（site.base_url）"])
    if not missing:
        return []
    return [
        warning(
            catalog.path,
            1,
            "GK423",
            "网站必备信息未填写：" + "、".join(missing) + "。请在 catalog.yml 的 site 中填写"
            "（见 docs/catalog.md），否则每个页面的页脚和元数据都缺少这些内容",
        )
    ]


def _structure(page: PageFacts, file: Path, found: _Collector) -> None:
    if not page.lang.lower().startswith("zh"):
        found.add_page("GK422", Severity.ERROR, '页面未声明中文语言(html lang="zh-CN")', file, 1)
    if not page.title:
        found.add_page("GK422", Severity.ERROR, "页面没有标题（title）", file, 1)
    if not page.h1:
        found.add_page("GK422", Severity.ERROR, "页面没有一级标题（h1）", file, 1)


def _meta(page: PageFacts, file: Path, catalog: Catalog, found: _Collector) -> None:
    portal = catalog.portal
    configured = {"SiteDomain": portal.domain, "SiteIDCode": portal.id_code}
    wanted = list(SITE_META)
    if page.path.startswith(CATEGORY_ROOT + "/"):
        wanted += COLUMN_META
    is_item = page.path.startswith(ITEM_ROOT + "/")
    if is_item:
        wanted += ARTICLE_META + (("Url",) if catalog.base_url else ())
    for name in wanted:
        value = page.meta.get(name)
        if value is None or (not value and configured.get(name, True)):
            found.add_page(
                "GK421", Severity.ERROR, f'页面缺少监测元数据 <meta name="{name}">', file, 1
            )
    pub = page.meta.get("PubDate", "")
    if is_item and not PUB_DATE.match(pub):
        found.add(
            "GK406",
            Severity.ERROR,
            f"信息页面没有发布日期（PubDate 应写作 YYYY-MM-DD HH:MM，实际为“{pub}”）",
            file,
            1,
        )


FOOTER = (
    ("footer", "页脚"),
    ("sponsor", "主办单位"),
    ("sitemap", "网站地图链接"),
)


def _footer(page: PageFacts, file: Path, catalog: Catalog, found: _Collector) -> None:
    portal = catalog.portal
    wanted = list(FOOTER)
    optional = (
        ("id-code", "网站标识码", portal.id_code),
        ("icp", "ICP备案号", portal.icp),
        ("police", "公安机关备案号", portal.police),
        ("contact", "联系方式", "".join(portal.contact.values())),
        ("mark", "党政机关网站标识", portal.mark),
        ("error-report", "“我为政府网站找错”链接", portal.error_report_url),
    )
    wanted += [(key, label) for key, label, value in optional if value]
    for key, label in wanted:
        if key not in page.footer:
            found.add_page("GK420", Severity.ERROR, f"页面页脚缺少{label}", file, 1)
    icp = page.footer.get("icp")
    if icp is not None and not icp.startswith(ICP_PREFIX):
        found.add_page(
            "GK420",
            Severity.ERROR,
            f"ICP备案号应链接到工业和信息化部备案系统 {ICP_PREFIX}/",
            file,
            1,
        )


def _links(
    page: PageFacts, file: Path, sources: _Sources, found: _Collector, held: Mapping[str, str]
) -> None:
    for broken in page.broken:
        if not broken.asset and broken.resolved in held:
            source = sources.find(page.url, broken.target) or (file, broken.line)
            text = (
                f"链接指向尚未获批准发布的信息：{broken.target}（{mask_personal(held[broken.resolved])}），"
                "它获批准发布后链接即可使用；在此之前读者打开会找不到页面"
            )
            found.add("GK413", Severity.WARNING, text, *source)
            continue
        code = "GK411" if broken.asset else "GK410"
        what = "附件或资源文件缺失" if broken.asset else "站内链接指向不存在的页面"
        source = sources.find(page.url, broken.target)
        if source is not None:  # as the author wrote it, at its line
            found.add(code, Severity.ERROR, f"{what}：{broken.target}", *source)
        else:  # from a template: the same missing file on every page is one finding
            text = f"{what}：{broken.resolved}（网站内的地址）"
            found.add_page(code, Severity.ERROR, text, file, broken.line)


def _wording(
    page: PageFacts, file: Path, catalog: Catalog, today: date, sources: _Sources, found: _Collector
) -> None:
    entries = catalog.inspection.wording
    if not entries:
        return
    try:
        dated = date.fromisoformat(page.meta.get("PubDate", "")[:10])
    except ValueError:
        dated = today
    for hit in misworded(page.text, entries, dated):
        source = sources.find(page.url, hit.entry.wrong)
        own = sources.path(page.url)  # written with characters between: the file, at its top
        where = source or ((own, 1) if own is not None else (file, 1))
        found.add("GK430", Severity.ERROR, wording_message(hit), *where)


def _screened(page: PageFacts, file: Path, sources: _Sources, found: _Collector) -> None:
    """GK431: what the page shows fails the privacy screen, although the staff check of its
    source, line by line, passed (it stops the build before the pages are read)."""
    own = sources.path(page.url)
    allowed = sources.exempt(page.url)
    for hit in page.screened:
        if (hit.kind, hit.masked) in allowed:
            continue
        label = KINDS[hit.kind][1]
        shown = f"发布的页面（{page.path} 第 {hit.line} 行）显示了{label}“{hit.masked}”"
        if own is not None:
            text = (
                f"{shown}：它在本文件中可能被 HTML 标记、字符实体、不可见字符或换行拆开，"
                "逐行检查时不易看出。请找到后删除或打码"
            )
            found.add("GK431", Severity.ERROR, text, own, 1)
        else:
            text = f"{shown}：请检查生成该页面的模板（theme/）或 catalog.yml，删除或打码"
            found.add("GK431", Severity.ERROR, text, file, hit.line)


class _Sources:
    """The staff-written file behind a page (an item, a fixed page), to report at its line."""

    def __init__(self, project: Project, items: list) -> None:
        self.items: dict[str, Path] = {}
        # what a reviewer let an item show (screening_exempt), by the item's own pages
        self.exempted: dict[str, frozenset[tuple[str, str]]] = {}
        for i in items:  # its page, and each Markdown attachment's page: the attachment's file
            if not i.index_no:
                continue
            url = item_path(i.index_no)
            self.items[url] = i.path
            pages = [f for f in attached_files(i, project) if f.is_page]
            self.items.update({url + f.site_path: f.path for f in pages})
            allowed = frozenset((e.kind, e.value) for e in i.screening_exempt)
            self.exempted.update({u: allowed for u in [url] + [url + f.site_path for f in pages]})
        self.pages = project.content_dir / "pages"
        self._texts: dict[Path, list[str]] = {}

    def exempt(self, url: str) -> frozenset[tuple[str, str]]:
        """What page `url` may show of what the screen finds: its own item's exemptions, never
        another item's (the masked 138****5678 would let any number of that shape through),
        and none on any other page (lists, the home page, fixed pages: the header, navigation
        and footer every page shares are read on one of them, never against an item's)."""
        return self.exempted.get(url, frozenset())

    def path(self, url: str) -> Path | None:
        if url in self.items:
            return Path(self.items[url])
        stem = url.rstrip("/")
        for candidate in (f"{stem}.md", f"{stem}/index.md") if stem else ():
            if (self.pages / candidate).is_file():
                return self.pages / candidate
        return None

    def find(self, url: str, needle: str) -> tuple[Path, int] | None:
        """The source file and the line that holds `needle`; None when the page has no source
        or the source does not hold it (it came from a template)."""
        path = self.path(url)
        if path is None:
            return None
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._texts[path] = []
        lines = self._texts[path]
        body = lines.index("---", 1) + 1 if lines[:1] == ["---"] and "---" in lines[1:] else 0
        for number, line in enumerate(lines[body:], body + 1):  # in the body, not the metadata
            if needle in line:
                return path, number
        return None
