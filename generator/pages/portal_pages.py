"""Pages and data the portal derives from the catalog for the national rules: the 网站地图 page
and each page's own date for sitemap.xml's lastmod (harvesters read it, not the build date)."""

from __future__ import annotations

from typing import Any

from generator.core.portal import SITEMAP_PAGE
from generator.core.public_set import PublicSet, category_path, item_path


def lastmod(site: PublicSet) -> dict[str, str]:
    """Each generated page's own date (page URL -> YYYY-MM-DD) for sitemap.xml: an item's
    publication date, a list's newest item, the home page's newest item."""
    dates: dict[str, str] = {}
    for item in site.listed:
        dates[item_path(item.index_no or "")] = str(item.date)
    for category in site.catalog.categories.values():
        items = site.items_under(category)
        if items:
            dates[category_path(category.code)] = str(items[0].date)
    if site.listed:
        newest = str(max(i.date for i in site.listed))
        for path in ("", "catalog/", SITEMAP_PAGE):
            dates[path] = newest
    return dates


def sitemap_context(site: PublicSet) -> dict[str, Any]:
    """The 网站地图 page: the catalog tree with each column's address and item count."""

    def tree(category: Any) -> dict[str, Any]:
        return {
            "name": category.name,
            "path": category_path(category.code),
            "count": site.count(category),
            "children": [tree(site.catalog.categories[c]) for c in category.children],
        }

    return {"kind": "sitemap", "tree": [tree(c) for c in site.catalog.roots]}
