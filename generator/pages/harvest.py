"""For harvesters: a sitemap index with one sitemap per category (lastmod from the items' own
dates), and an Atom feed per category (政策文件 and 政策解读 among them) with its newest items.
Absolute addresses need the site's base address (catalog.yml `base_url` or mkdocs' `site_url`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

from generator.core.catalog import Category
from generator.core.public_set import PublicSet, category_path, item_path
from generator.core.textfile import xml_safe

SITEMAP_INDEX = "sitemaps/index.xml"
MAIN_SITEMAP = "sitemap.xml"  # every page (mkdocs-material's, from the theme)
FEED_ITEMS = 20
BEIJING = timezone(timedelta(hours=8))
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_file(code: str) -> str:
    return f"sitemaps/{code}.xml"


def feed_file(code: str) -> str:
    return f"{category_path(code)}atom.xml"


def harvest_files(site: PublicSet, base_url: str) -> list[tuple[str, str]]:
    """The sitemap index, each category's sitemap, and each category's Atom feed: (address,
    content) of each."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    files = []
    index = [(urljoin(base, MAIN_SITEMAP), _newest(site.listed))]
    by_category: dict[str, list] = {}
    for item in site.listed:  # one pass, not one a category
        by_category.setdefault(item.category, []).append(item)
    for category in site.catalog.categories.values():
        own = by_category.get(category.code, [])
        if own:
            files.append((sitemap_file(category.code), _urlset(own, base)))
            index.append((urljoin(base, sitemap_file(category.code)), _newest(own)))
        files.append((feed_file(category.code), _atom(site, category, base)))
    files.insert(0, (SITEMAP_INDEX, _sitemapindex(index)))
    return files


def _newest(items) -> str:
    return max((str(i.date) for i in items if i.date), default="")


def _urlset(items, base: str) -> str:
    rows = []
    for item in sorted(items, key=lambda i: i.index_no or ""):
        loc = escape(urljoin(base, item_path(item.index_no or "")))
        lastmod = f"<lastmod>{item.date}</lastmod>" if item.date else ""
        rows.append(f"  <url><loc>{loc}</loc>{lastmod}</url>")
    return _xml("urlset", rows)


def _sitemapindex(entries: list[tuple[str, str]]) -> str:
    rows = [
        f"  <sitemap><loc>{escape(loc)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</sitemap>"
        for loc, lastmod in entries
    ]
    return _xml("sitemapindex", rows)


def _xml(root: str, rows: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="{_NS}">\n' + "\n".join(rows) + f"\n</{root}>\n"
    )


def _atom(site: PublicSet, category: Category, base: str) -> str:
    """The category's newest items (its subcategories' too), as Atom. The feed's updated time is
    its newest item's date, so the same content builds the same file. Text XML cannot hold (a
    control character: validate refuses it, GK116) is left out rather than stopping the build."""
    items = site.items_under(category)[:FEED_ITEMS]
    feed = FeedGenerator()
    url = urljoin(base, category_path(category.code))
    feed.id(url)
    feed.title(xml_safe(f"{category.name} - {site.catalog.site_name or site.catalog.org_name}"))
    feed.author({"name": xml_safe(site.catalog.org_name or "政府信息公开")})
    feed.link(href=url, rel="alternate")
    feed.link(href=urljoin(base, feed_file(category.code)), rel="self")
    feed.language("zh-CN")
    changed = items[0].date if items and items[0].date else site.today
    feed.updated(datetime.combine(changed, time(9, 0), BEIJING))
    for item in reversed(items):  # feedgen prepends: add oldest first
        entry = feed.add_entry()
        link = urljoin(base, item_path(item.index_no or ""))
        entry.id(link)
        entry.title(xml_safe(item.title or ""))
        entry.link(href=link)
        entry.summary(xml_safe(item.summary or item.title or ""))
        day = datetime.combine(item.date or site.today, time(9, 0), BEIJING)
        entry.updated(day)
        entry.published(day)
    return feed.atom_str(pretty=True).decode("utf-8")
