"""What an item page shows of the item's earlier versions (修订记录), and what an earlier
version's own page says on top. The versions themselves come from `Project.versions`
(generator/core/versions.py): in a gated build the approved history, otherwise none."""

from __future__ import annotations

from typing import Any

from generator.core.item import Item, ItemVersion
from generator.core.public_set import item_path
from generator.core.versions import version_note as _note
from generator.core.versions import version_path

EARLIER_VERSION = "gk_earlier_version"  # the front matter key of an earlier version's page


def history_rows(item: Item, versions: list[ItemVersion]) -> list[dict[str, Any]]:
    """修订记录, newest first: the current version (no link), then each earlier one with the
    address of its page. Empty when the item has no earlier published version."""
    if not versions:
        return []
    rows = [{"date": versions[-1].until, "note": _note(item, False), "path": None}]
    for version in reversed(versions):
        rows.append(
            {
                "date": version.since,
                "note": _note(version.item, version.number == 1),
                "path": version_path(item.index_no or "", version.number),
                "number": version.number,
            }
        )
    return rows


def version_notice(item: Item, version: ItemVersion) -> dict[str, Any]:
    """What the top of an earlier version's page says, with the current version's address."""
    return {
        "number": version.number,
        "since": version.since,
        "until": version.until,
        "current": item_path(item.index_no or ""),
        "title": item.title or "",
    }
