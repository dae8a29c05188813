"""The approved history of items: which earlier versions the site shows (docs/publishing.md,
“修订记录”).

Each gated publication compares what the previous one put online (the walk's start: the
previous record's approved state) with what it approves now. An item whose approved file changed
adds the version that was online to its history, if it was published then (主动公开, dated no
later than the previous publication, not withdrawn). So a version is always a blob that a
gated publication approved and showed; commits nobody approved, and approved versions replaced
before any publication showed them, never become one. A withdrawal, a removal or
`change: redact` empties the item's history for good: the next build shows none of it.

The history travels in the publish record (public: index numbers, blob ids, dates) and in the
gate's result, with the versions' texts, to the build.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import PurePosixPath

from generator.core.item import Item
from generator.core.project import CONTENT_DIR, is_item_file, item_from_bytes
from generator.core.public_set import is_published
from generator.core.versions import History, hides_history
from generator.publishing.review.repo import Repo, Value, is_special

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_history(data: object) -> History | None:
    """The history as a record or result holds it; None when it is malformed."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        return None
    history: History = {}
    for number, entries in data.items():
        if not isinstance(number, str) or not isinstance(entries, list):
            return None
        for entry in entries:
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("blob"), str)
                and _SHA.match(entry["blob"])
                and isinstance(entry.get("until"), str)
                and _DATE.match(entry["until"])
            ):
                return None
        history[number] = [{"blob": e["blob"], "until": e["until"]} for e in entries]
    return history


def _item_path(path: str) -> bool:
    prefix = CONTENT_DIR + "/"
    return path.startswith(prefix) and is_item_file(PurePosixPath(path[len(prefix) :]))


def _items(repo: Repo, values: dict[str, Value]) -> dict[str, tuple[str, Item]]:
    """Index number -> (blob, item) of the item files among `values`."""
    wanted = {p: v for p, v in values.items() if v is not None and not is_special(v)}
    texts = dict(repo.blobs(wanted.values()))
    found: dict[str, tuple[str, Item]] = {}
    for path, blob in wanted.items():
        item = item_from_bytes(texts[blob], repo.root / path, repo.root / CONTENT_DIR)
        if item is not None and item.index_no:
            found.setdefault(item.index_no, (blob, item))
    return found


def advance(
    repo: Repo,
    earlier: History,
    online: dict[str, Value],
    approved: dict[str, Value],
    online_since: date | None,
    today: date,
) -> History:
    """The history after this publication. `online` and `approved`: the values, at the previous
    publication and now, of the gated paths that may differ; `online_since`: the date of the
    previous publication (None: there was none, so nothing was online)."""
    history = {n: list(e) for n, e in earlier.items()}
    paths = sorted(p for p in online if _item_path(p))
    before = {p: online[p] for p in paths}
    after = {p: approved.get(p) for p in paths}
    moved = [p for p in paths if before[p] != after[p]]
    old = _items(repo, {p: before[p] for p in moved})
    new = _items(repo, {p: after[p] for p in moved})
    for number, (_blob, item) in new.items():
        if hides_history(item):
            history.pop(number, None)
    for number, (blob, item) in old.items():
        if number not in new:
            history.pop(number, None)  # removed: its versions go with it
            continue
        if hides_history(new[number][1]) or new[number][0] == blob:
            continue
        if online_since is not None and _was_online(item, online_since):
            history.setdefault(number, []).append({"blob": blob, "until": today.isoformat()})
    return history


def _was_online(item: Item, day: date) -> bool:
    return is_published(item, day) and item.withdrawn is None


def version_texts(repo: Repo, history: History) -> dict[str, bytes]:
    """Blob id -> content of every version the history names (one `git cat-file`)."""
    return dict(repo.blobs(e["blob"] for entries in history.values() for e in entries))


def encode_texts(texts: dict[str, bytes]) -> dict[str, str]:
    return {b: base64.b64encode(t).decode("ascii") for b, t in sorted(texts.items())}


def decode_texts(data: object) -> dict[str, bytes]:
    """The texts as the result file carries them; what is malformed is left out (the build checks
    each text against its blob id anyway)."""
    if not isinstance(data, dict):
        return {}
    found = {}
    for blob, text in data.items():
        try:
            found[str(blob)] = base64.b64decode(str(text), validate=True)
        except ValueError:
            continue
    return found


def history_date(built_at: str) -> date | None:
    """The Beijing date of a record's `built_at`."""
    try:
        return date.fromisoformat(built_at[:10])
    except ValueError:
        return None
