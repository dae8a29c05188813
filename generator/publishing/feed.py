"""The RSS feed of the newest listed items (feedgen writes the XML)."""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from generator.core.public_set import PublicSet, item_path

FEED_FILE = "feed.xml"
BEIJING = timezone(timedelta(hours=8))


def write_feed(site: PublicSet, site_dir: Path, base_url: str, count: int = 20) -> Path:
    base = base_url if base_url.endswith("/") else base_url + "/"
    feed = FeedGenerator()
    # feedgen refuses an empty title; the catalog check reports a missing site.name
    feed.title(site.catalog.site_name or site.catalog.org_name or "政府信息公开")
    feed.link(href=base, rel="alternate")
    feed.description(html.escape(f"{site.catalog.org_name}最新主动公开的政府信息"))
    feed.language("zh-CN")
    newest = site.latest(count)
    # when the newest item was published, not when the feed was written: the same content
    # builds the same site, byte for byte
    changed = newest[0].date if newest and newest[0].date else site.today
    feed.lastBuildDate(datetime.combine(changed, time(9, 0), BEIJING))
    for item in reversed(newest):  # feedgen prepends: add oldest first
        entry = feed.add_entry()
        url = urljoin(base, item_path(item.index_no or ""))
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(item.title or "")
        entry.link(href=url)
        # RSS readers show a description as HTML: the summary is text, so it is escaped once more
        entry.description(html.escape(item.summary or item.title or ""))
        if item.date:
            entry.pubDate(datetime.combine(item.date, time(9, 0), BEIJING))
        category = site.catalog.categories.get(item.category or "")
        # an unknown category is an error of the checks (GK120), which run beside the build
        entry.category(term=category.name if category else "")
    target = site_dir / FEED_FILE
    feed.rss_file(str(target), pretty=True)
    return target
