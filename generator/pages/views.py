"""Plain data each template receives: the markup itself lives in theme/ templates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from generator.core import schema
from generator.core.attachments import AttachedFile
from generator.core.catalog import Catalog, Category
from generator.core.item import Item
from generator.core.portal import pub_date
from generator.core.public_set import PublicSet, Validity, category_path, item_path


@dataclass(frozen=True)
class Link:
    title: str
    path: str  # from the site root; templates apply the `url` filter
    index_no: str = ""
    date: str = ""
    doc_no: str = ""
    summary: str = ""  # 内容概述 and 生成日期 (成文日期): the catalog's columns (条例第十二条)
    written: str = ""
    validity: str = ""  # 有效性 in lists (category and home pages), "" without validity facts
    in_force: bool = True


@dataclass(frozen=True)
class AttachmentView:
    name: str
    href: str  # relative to the item page, percent-encoded
    kind: str
    size: str
    page: bool = False  # a Markdown attachment, read as a page of the site


def link(item: Item, validity: Validity | None = None) -> Link:
    return Link(
        title=item.title or "",
        path=item_path(item.index_no or ""),
        index_no=item.index_no or "",
        date=str(item.date or ""),
        doc_no=item.doc_no or "",
        summary=item.summary or "",
        written=str(item.written or ""),
        validity=validity.label if validity else "",
        in_force=validity.in_force if validity else True,
    )


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def breadcrumbs(site: PublicSet, code: str) -> list[Link]:
    return [Link(c.name, category_path(c.code)) for c in site.catalog.ancestry(code)]


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _end_label(validity: Validity | None) -> str:
    """What the item's `expires` is called in its state: the day it lapsed, or the last day of
    its validity while it is still (or not yet) in force."""
    return "失效日期" if validity and validity.label == "已失效" else "有效期至"


def _header_rows(site: PublicSet, item: Item, validity: Validity | None) -> list[tuple[str, str]]:
    category = " > ".join(c.name for c in site.catalog.ancestry(item.category or ""))
    department = site.catalog.departments.get(item.department or "")
    rows = [
        ("索引号", item.index_no),
        ("主题分类", category),
        ("发布机构", item.publisher),
        ("责任科室", department.name if department else None),
        ("成文日期", item.written),
        ("发布日期", item.date),
        ("文号", item.doc_no),
        ("生效日期", item.effective),
        *_repeal_rows(validity),
        (_end_label(validity), item.expires),
        ("主题词", "、".join(item.keywords)),
    ]
    return [(label, str(value)) for label, value in rows if value]


def _kind_rows(site: PublicSet, item: Item) -> list[tuple[str, str]]:
    """Rows only consultations and responses have: what the public needs to know of them."""
    if item.type == "consultation" and item.opens and item.closes:
        return [
            ("征求意见时间", f"{item.opens} 至 {item.closes}"),
            ("征求意见状态", consultation_state(site, item)),
        ]
    if item.type == "response":
        level = {"major": "重大", "general": "一般"}.get(item.level or "", "")
        times = [
            ("关切出现时间", item.concern_at),
            ("关切级别", level),
            ("权威信息发布时间", item.responded_at),
            ("新闻发布会时间", item.press_conference_at),
        ]
        return [
            (label, f"{v:%Y-%m-%d %H:%M}" if hasattr(v, "hour") else str(v))
            for label, v in times
            if v
        ]
    return []


def consultation_state(site: PublicSet, item: Item) -> str:
    """征求意见中 (with days left), 已结束, or 已结束 with 结果反馈 published."""
    assert item.opens and item.closes
    if site.today < item.opens:
        return f"尚未开始（{item.opens} 开始）"
    if site.today <= item.closes:
        left = (item.closes - site.today).days
        return "征求意见中（今天截止）" if left == 0 else f"征求意见中（还剩 {left} 天）"
    if site.feedback.get(item.index_no or ""):
        return "已结束，已公布结果反馈"
    return "已结束"


def _related(site: PublicSet, item: Item) -> list[tuple[str, list[Link]]]:
    number = item.index_no or ""
    groups = [
        ("政策解读", site.interpretations.get(number, [])),
        ("解读的文件", site.refs((item.interprets,) if item.interprets else ())),
        ("本文件废止的文件", site.refs(item.repeals)),
        ("本文件修改的文件", site.refs(item.amends)),
        ("废止本文件的文件", site.repealed_by.get(number, [])),
        ("修改本文件的文件", site.amended_by.get(number, [])),
        ("征求意见结果反馈", site.feedback.get(number, [])),
        ("对应的征求意见", site.refs((item.feedback_for,) if item.feedback_for else ())),
    ]
    return [(heading, [link(i) for i in items]) for heading, items in groups if items]


def _attachments(files: Iterable[AttachedFile]) -> list[AttachmentView]:
    """Accepted attachments only (generator/core/attachments.py): the type is what the content is,
    the link is percent-encoded and relative; templates escape every field."""
    return [
        AttachmentView(
            f.attachment.name,
            f.href,
            "网页" if f.is_page else f.type.label,
            human_size(f.size),
            f.is_page,
        )
        for f in files
    ]


def _page_meta(site: PublicSet, item: Item) -> dict[str, str]:
    """The <meta> names national portals use, so aggregators and search engines read them."""
    category = site.catalog.categories.get(item.category or "")
    department = site.catalog.departments.get(item.department or "")
    return {
        "ArticleTitle": item.title or "",
        "PubDate": pub_date(item.date),
        "ContentSource": item.publisher or "",
        "Keywords": ",".join(item.keywords) or (category.name if category else ""),
        "Author": department.name if department else item.publisher or "",
        "Description": item.summary or item.title or "",
        "Url": site.catalog.base_url + item_path(item.index_no or "")
        if site.catalog.base_url
        else "",
        "ColumnName": category.name if category else "",
    }


NO_LONGER_IN_FORCE = ("已废止", "已失效")


def _interpreted(site: PublicSet, item: Item) -> Item | None:
    """The published document an interpretation interprets."""
    return site.by_index.get(item.interprets) if item.interprets else None


def _interpreted_validity(site: PublicSet, item: Item) -> str:
    """For an interpretation of a document no longer in force: 解读的文件已废止 (or 已失效)."""
    target = _interpreted(site, item)
    validity = site.validity(target) if target else None
    if validity and validity.label in NO_LONGER_IN_FORCE:
        return "解读的文件" + validity.label
    return ""


def _ranked_lower(site: PublicSet, item: Item, validity: Validity | None) -> bool:
    """Repealed or expired, or interpreting a document that is: found, but after the others."""
    if validity and validity.label in NO_LONGER_IN_FORCE:
        return True
    return bool(_interpreted_validity(site, item))


def _search(site: PublicSet, item: Item, validity: Validity | None) -> dict[str, list] | None:
    """Filters, metadata and sort key for the search index; None keeps the page out of it."""
    if item.withdrawn is not None:
        return None
    category = site.catalog.categories.get(item.category or "")
    filters = [
        ("主题分类", category.name if category else ""),
        ("年份", str(item.date.year) if item.date else ""),
        ("发布机构", item.publisher or ""),
        ("类型", schema.TYPE_LABELS.get(item.type, "")),
        ("有效性", validity.label if validity else ""),
    ]
    meta = [
        ("index_no", item.index_no or ""),
        ("doc_no", item.doc_no or ""),
        ("date", str(item.date)),
        ("validity", validity.label if validity else ""),
        ("validity_note", _interpreted_validity(site, item)),
    ]
    return {
        "filters": [f for f in filters if f[1]],
        "meta": [m for m in meta if m[1]],
        "date": str(item.date),  # the sort key
        "lower": _ranked_lower(site, item, validity),  # ranked after the others (tokens.py)
    }


@dataclass(frozen=True)
class StateNotice:
    """The notice above an item's title when it is no longer (or soon not) in force as published
    (国办发〔2017〕47号: an amended, repealed or expired document is marked on its own page)."""

    kind: str  # expired | repealed | amended | pending
    day: str  # 2026年5月14日
    by: tuple[Link, ...] = ()
    about: Link | None = None  # the document an interpretation interprets, when it is its state


def _repeal_day(items: Iterable[Item]) -> date | None:
    days = [i.takes_effect for i in items if i.takes_effect]
    return min(days) if days else None


def state_notice(item: Item, validity: Validity | None) -> StateNotice | None:
    if validity is None:
        return None
    by = tuple(link(i) for i in validity.by)
    day = _repeal_day(validity.by)
    if validity.label == "已废止" and day:
        return StateNotice("repealed", chinese_date(day), by)
    if validity.label == "已失效" and item.expires:
        return StateNotice("expired", chinese_date(item.expires))
    if validity.label == "已修改" and day:
        return StateNotice("amended", chinese_date(day), by)
    pending = _repeal_day(validity.pending)
    if pending:
        return StateNotice("pending", chinese_date(pending), tuple(map(link, validity.pending)))
    return None


def notice_of(site: PublicSet, item: Item) -> StateNotice | None:
    """The notice above `item`: its own state, else (for an interpretation in force) the state of
    the document it interprets, which a reader must not mistake for one in force."""
    notice = state_notice(item, site.validity(item))
    target = _interpreted(site, item)
    if notice is None and target is not None:
        interpreted = state_notice(target, site.validity(target))
        if interpreted is not None:
            return replace(interpreted, about=link(target))
    return notice


def _repeal_rows(validity: Validity | None) -> list[tuple[str, str]]:
    """废止日期 of a repealed item: the day the repealing document took effect."""
    day = _repeal_day(validity.by) if validity and validity.label == "已废止" else None
    return [("废止日期", str(day))] if day else []


VALIDITY_ORDER = ("有效", "已修改", "尚未生效", "已失效", "已废止")


def search_facets(
    catalog: Catalog, searches: Iterable[dict[str, list] | None]
) -> list[tuple[str, list[tuple[str, int]]]]:
    """The search page's filters with how many indexed items hold each value, in reading order:
    categories as in the catalog, newest year first, types and validity in their fixed order,
    publishers by count. `searches` are the item pages' search data (`item_context`); rendered
    into the page, so the browser need not load every filter. A filter that cannot narrow a
    search (no value, or one value that every indexed item holds) is left out."""
    counts: dict[str, Counter] = {}
    indexed = 0
    for search in searches:
        indexed += search is not None
        for name, value in search["filters"] if search else ():
            counts.setdefault(name, Counter())[value] += 1
    orders = {
        "主题分类": [c.name for c in catalog.categories.values()],
        "类型": list(schema.TYPE_LABELS.values()),
        "有效性": list(VALIDITY_ORDER),
    }
    facets = []
    for name in ("主题分类", "年份", "发布机构", "类型", "有效性"):
        found = counts.get(name, Counter())
        if name == "年份":
            values = sorted(found, reverse=True)
        elif name in orders:
            rank = {v: i for i, v in enumerate(orders[name])}
            values = sorted(found, key=lambda v: (rank.get(v, len(rank)), v))
        else:
            values = sorted(found, key=lambda v: (-found[v], v))
        if len(values) > 1 or (values and found[values[0]] < indexed):
            facets.append((name, [(v, found[v]) for v in values]))
    return facets


def item_context(site: PublicSet, item: Item, files: Iterable[AttachedFile] = ()) -> dict[str, Any]:
    """`files`: the item's attachments that may be published (`attachments.attached_files`)."""
    validity = site.validity(item)
    return {
        "kind": "item",
        "item": item,
        "type_label": schema.TYPE_LABELS.get(item.type, ""),
        "rows": _header_rows(site, item, validity) + _kind_rows(site, item),
        "validity": validity,
        "notice": notice_of(site, item),
        "repealed_by": [link(i) for i in validity.by]
        if validity and validity.label == "已废止"
        else [],
        "validity_links": [link(i) for i in validity.by] if validity else [],
        "validity_pending": [
            (link(i), str(i.takes_effect)) for i in (validity.pending if validity else ())
        ],
        "breadcrumbs": breadcrumbs(site, item.category or ""),
        "attachments": _attachments(files),
        "related": _related(site, item),
        "meta": _page_meta(site, item),
        "forms": "、".join(item.form),
        "search": _search(site, item, validity),
    }


def attachment_context(site: PublicSet, item: Item, file: AttachedFile) -> dict[str, Any]:
    """A Markdown attachment's page: its item (to go back to), and the monitoring meta tags of an
    item page (it lies under item/), titled with the attachment's name."""
    meta = _page_meta(site, item)
    meta["ArticleTitle"] = f"{item.title or ''}（附件：{file.attachment.name}）"
    if meta.get("Url"):
        meta["Url"] += file.href.removeprefix("./")  # percent-encoded, as the item links it
    return {
        "kind": "attachment",
        "item": link(item),
        "name": file.attachment.name,
        "source": file.path,  # where removed markup is reported (generator/site/safepage.py)
        "breadcrumbs": breadcrumbs(site, item.category or ""),
        "meta": meta,
        # read on its own (it is in sitemap.xml), the page says what its item's page says first
        "withdrawn": item.withdrawn,
        "notice": notice_of(site, item),
    }


def category_context(
    site: PublicSet, category: Category, items: list[Item], page: int, pages: int, total: int
) -> dict[str, Any]:
    children = [site.catalog.categories[c] for c in category.children]
    return {
        "kind": "category",
        "category": category,
        "breadcrumbs": breadcrumbs(site, category.code),
        "children": [(Link(c.name, category_path(c.code)), site.count(c)) for c in children],
        "entries": [link(i, site.validity(i)) for i in items],
        "page": page,
        "pages": pages,
        "total": total,
        "page_links": [(n, category_path(category.code, n)) for n in range(1, pages + 1)],
        "department": site.catalog.departments.get(category.department),
    }


def home_context(site: PublicSet, latest: int) -> dict[str, Any]:
    def tree(category: Category) -> dict[str, Any]:
        return {
            "link": Link(category.name, category_path(category.code)),
            "count": site.count(category),
            "children": [tree(site.catalog.categories[c]) for c in category.children],
        }

    return {
        "kind": "home",
        "latest": [link(i, site.validity(i)) for i in site.latest(latest)],
        "tree": [tree(c) for c in site.catalog.roots],
        "total": len(site.listed),
    }
