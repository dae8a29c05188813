"""Items as data: a JSON record beside each item's page (`index.json`), and the catalogue of
the whole site (`data/items.json`, `data/items.csv` with a BOM for Excel), split by category for
large sites (`data/category/<code>/items.json` and `.csv`, indexed by `data/categories.json`). Schema:
docs/item.schema.json (`gongkai-item/1`).

Made from the same PublicSet the pages were rendered from, after they were written: only published
items, with their attachments hashed as the site holds them (a Markdown attachment, read as a
page, as its Markdown file). The approval (the pull request and
its approvers' names, never e-mail addresses) comes from the publish record in the site, matched
to the item's file by its Git blob id, so it exists only for gated builds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core import schema
from generator.core.attachments import attached_files
from generator.core.markup import without_comments
from generator.core.project import Project
from generator.core.public_set import PublicSet, item_path
from generator.core.versions import versions_data

SCHEMA = "gongkai-item/1"
CATEGORIES_SCHEMA = "gongkai-categories/1"
CATEGORY_FOLDER = "data/category/"  # + <code>/items.json and items.csv: one category's items
RECORD_FILE = "index.json"
CSV_COLUMNS = (
    "index_no",
    "title",
    "category_name",
    "publisher",
    "doc_no",
    "written",
    "date",
    "effective",
    "expires",
    "validity",
    "url",
)


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # Git's object id


def _approvals(site_dir: Path) -> tuple[dict[str, str], dict[str, Any]]:
    try:
        record = json.loads((site_dir / "gongkai-publish.json").read_text(encoding="utf-8"))
        return dict(record.get("approvals") or {}), dict(record.get("pulls") or {})
    except (OSError, ValueError, AttributeError, TypeError):
        return {}, {}


def _approval(item: Any, project: Project, approvals: dict, pulls: dict) -> dict | None:
    try:
        key = approvals.get(_blob_id(item.path.read_bytes()))
    except OSError:
        return None
    pull = pulls.get(key) if key else None
    if not isinstance(pull, dict):
        return None
    names = {}
    for department in project.catalog.departments.values():
        for reviewer in department.reviewers:
            if reviewer.login:  # the name only, never the e-mail address
                names[reviewer.login] = reviewer.name or reviewer.login
    return {
        "pull": pull.get("number"),
        "link": pull.get("link"),
        "approvers": [names.get(a, a) for a in pull.get("approvers") or []],
        "approved_at": pull.get("approved_at"),
        "merged_at": pull.get("merged_at"),
        "commit": pull.get("commit"),
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def record(site: PublicSet, item: Any, project: Project, site_dir: Path, approval: Any) -> dict:
    """The item's record, as its page shows it."""
    base = item_path(item.index_no or "")
    category = site.catalog.categories.get(item.category or "")
    department = site.catalog.departments.get(item.department or "")
    validity = site.validity(item)
    attachments = []
    for found in attached_files(item, project):
        # a Markdown attachment is read as a page (its address), but hashed as the approved
        # Markdown file: the page around it changes with every build (the navigation's counts)
        data = (found.path if found.is_page else site_dir / base / found.site_path).read_bytes()
        attachments.append(
            {
                "name": found.attachment.name,
                "url": base + found.site_path,
                "type": "网页" if found.is_page else found.type.label,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    withdrawn = item.withdrawn
    return {
        "schema": SCHEMA,
        "index_no": item.index_no,
        "url": base,
        "title": item.title,
        "type": item.type,
        "type_label": schema.TYPE_LABELS.get(item.type, ""),
        "category": {
            "code": item.category,
            "name": category.name if category else None,
            "path": [c.name for c in site.catalog.ancestry(item.category or "")],
        },
        "publisher": item.publisher,
        "department": department.name if department else None,
        "doc_no": item.doc_no,
        "written": _text(item.written),
        "date": _text(item.date),
        "effective": _text(item.effective),
        "expires": _text(item.expires),
        "keywords": list(item.keywords),
        "summary": item.summary,
        "disclosure": item.disclosure,
        "validity": validity.label if validity else None,
        "validity_by": [i.index_no for i in validity.by] if validity else [],
        "interprets": item.interprets,
        "repeals": list(item.repeals),
        "amends": list(item.amends),
        "withdrawn": {"date": str(withdrawn.date), "reason": withdrawn.reason}
        if withdrawn
        else None,
        "text": without_comments(item.body),
        "attachments": attachments,
        "approval": approval,
        "change_note": item.change_note,
        "versions": versions_data(item, project.versions.get(item.index_no or "", [])),
    }


def write_item_data(site_dir: Path, site: PublicSet, project: Project) -> int:
    """Write every item's record and the catalogue; returns how many records were written."""
    approvals, pulls = _approvals(site_dir)
    records = []
    for item in site.pages:
        approval = _approval(item, project, approvals, pulls) if approvals else None
        data = record(site, item, project, site_dir, approval)
        path = site_dir / data["url"] / RECORD_FILE
        path.write_text(indented(data), encoding="utf-8")
        records.append(data)
    folder = site_dir / "data"
    folder.mkdir(exist_ok=True)
    listed = [r for r in records if r["withdrawn"] is None]
    texts = [_Serialised(json.dumps(r, ensure_ascii=False), _csv_row(r)) for r in listed]
    _write_catalogue(folder, texts)
    split = _by_category(site, listed, texts)
    for code, own in split.items():
        _write_catalogue(folder / "category" / code, own)
    index = [_category_entry(site, code, len(own)) for code, own in split.items()]
    categories = {"schema": CATEGORIES_SCHEMA, "count": len(index), "categories": index}
    (folder / "categories.json").write_text(indented(categories), encoding="utf-8")
    return len(records)


@dataclass(frozen=True)
class _Serialised:
    """A record as the catalogues hold it, made once for the whole site's and its category's."""

    json: str
    csv: str


def _write_catalogue(folder: Path, listed: list[_Serialised]) -> None:
    """`items.json` (byte for byte `json.dumps` of the catalogue) and `items.csv` with a BOM."""
    folder.mkdir(parents=True, exist_ok=True)
    head = f'{{"schema": "gongkai-items/1", "count": {len(listed)}, "items": ['
    text = head + ", ".join(r.json for r in listed) + "]}"
    (folder / "items.json").write_text(text, encoding="utf-8")
    rows = _CSV_HEADER + "".join(r.csv for r in listed)
    (folder / "items.csv").write_bytes(rows.encode("utf-8-sig"))  # BOM: Excel reads UTF-8


def _by_category(
    site: PublicSet, listed: list[dict], texts: list[_Serialised]
) -> dict[str, list[_Serialised]]:
    """The listed records by their own category, in the catalogue's order of categories (the
    records already made: no second pass over the items)."""
    grouped: dict[str, list[_Serialised]] = {}
    for r, text in zip(listed, texts, strict=True):
        grouped.setdefault(r["category"]["code"] or "", []).append(text)
    order = {code: n for n, code in enumerate(site.catalog.categories)}
    known = sorted((c for c in grouped if c in order), key=order.__getitem__)
    return {code: grouped[code] for code in known}  # an unknown category has no page either


def _category_entry(site: PublicSet, code: str, count: int) -> dict:
    category = site.catalog.categories[code]
    return {
        "code": code,
        "name": category.name,
        "path": [c.name for c in site.catalog.ancestry(code)],
        "count": count,
        "json": f"{CATEGORY_FOLDER}{code}/items.json",
        "csv": f"{CATEGORY_FOLDER}{code}/items.csv",
    }


_STRING = json.encoder.encode_basestring  # json's own C quoting, as with ensure_ascii=False


def indented(value: Any, pad: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, byte for byte, several times faster
    (json's indentation is pure Python; this quotes strings with json's C function)."""
    if isinstance(value, str):
        return _STRING(value)
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    inner = pad + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [_STRING(_key(k)) + ": " + indented(v, inner) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(parts) + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(indented(v, inner) for v in value) + pad + "]"
    return json.dumps(value, ensure_ascii=False, indent=1)  # anything else: json's own error


def _key(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(key).strip('"')


def _csv_line(values: Any) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(values)
    return out.getvalue()


def _csv_row(r: dict) -> str:
    row = {**r, "category_name": r["category"]["name"]}
    return _csv_line([_cell(row.get(c)) for c in CSV_COLUMNS])


_CSV_HEADER = _csv_line(CSV_COLUMNS)


def _cell(value: Any) -> str:
    """A cell Excel will not run as a formula (=, +, -, @ at the start)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
