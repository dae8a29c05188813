"""Earlier versions of items: which were published, as the approved history names them.

The history is index number -> the blobs (Git object ids) of the item's earlier versions that a
gated publication put online, oldest first, each with the date a newer version replaced it
(`generator/publishing/review/versions.py` keeps it in the publish record). Only the approved
history makes versions: a blob nobody approved and published is never one. A withdrawn item, or
one whose current version is marked `change: redact`, shows none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from generator.core.item import Item, ItemVersion
from generator.core.project import Project, apply_defaults, item_from_bytes
from generator.core.public_set import item_path

History = dict[str, list[dict[str, str]]]  # index number -> [{"blob", "until"}], oldest first


def blob_id(data: bytes) -> str:
    """Git's object id of a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def hides_history(item: Item) -> bool:
    """Whether the item's earlier versions must not be shown (withdrawn, or a redaction)."""
    return item.withdrawn is not None or item.change == "redact"


def earlier_versions(
    history: History, texts: Mapping[str, bytes], project: Project
) -> dict[str, list[ItemVersion]]:
    """Index number -> the item's earlier versions, for the current items that may show them."""
    found: dict[str, list[ItemVersion]] = {}
    for item in project.items:
        entries = history.get(item.index_no or "")
        if not entries or hides_history(item):
            continue
        versions: list[ItemVersion] = []
        since = ""
        for number, entry in enumerate(entries, 1):  # by place in the history: stable
            data = texts.get(entry["blob"])
            old = None
            if data is not None and blob_id(data) == entry["blob"]:  # the very blob approved
                old = item_from_bytes(data, item.path, project.content_dir)
                if old is not None:
                    apply_defaults(old, project.catalog)  # as the current version has them
            if old is not None and old.index_no == item.index_no:
                start = since or (str(old.date) if old.date else entry["until"])
                versions.append(ItemVersion(number, start, entry["until"], old))
            since = entry["until"]
        if versions:
            found[item.index_no or ""] = versions
    return found


FIRST = "首次发布"
MINOR = "细微修改（文字、格式）"


def version_path(index_no: str, number: int) -> str:
    """The stable address of an item's version `number` (1: the first)."""
    return f"{item_path(index_no)}v/{number}/"


def version_note(item: Item, first: bool) -> str:
    if item.change_note and not first:
        return item.change_note
    if first:
        return FIRST
    return MINOR if item.change == "minor" else "未写修订说明"


def versions_data(item: Item, versions: list[ItemVersion]) -> list[dict[str, Any]]:
    """The versions as the item's JSON record lists them (docs/item.schema.json), oldest first."""
    return [
        {
            "version": v.number,
            "date": v.since,
            "until": v.until,
            "note": version_note(v.item, v.number == 1),
            "url": version_path(item.index_no or "", v.number),
        }
        for v in versions
    ]
