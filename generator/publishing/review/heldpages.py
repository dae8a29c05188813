"""The addresses of items that exist in the repository but are held (not approved, or withheld):
an approved page may link to them before they are approved, and the inspection before the swap
then warns instead of stopping every approved change (a held change never stops approved ones)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.core.project import UnusableFile, is_item_file, split_front_matter
from generator.core.public_set import item_path
from generator.publishing.review.repo import Repo, Value, is_special


def held_pages(repo: Repo, versions: dict[str, list[Value]]) -> dict[str, str]:
    """ "/item/…/" address -> repository path, for every held item version in `versions`
    (path -> the versions that are not published: HEAD's, a withheld approved one)."""
    items = [p for p in versions if p.startswith("content/") and is_item_file(_under_content(p))]
    wanted = {v: p for p in items for v in versions[p] if v is not None and not is_special(v)}
    found: dict[str, str] = {}
    for blob, data in repo.blobs(wanted):
        path = wanted[blob]
        try:
            front, _, _ = split_front_matter(data.decode("utf-8"), Path(path))
        except (UnusableFile, UnicodeDecodeError):
            continue  # no address to link to
        number = front.data.get("index_no")
        if isinstance(number, str) and number.strip():
            found["/" + item_path(number.strip())] = path
    return found


def _under_content(path: str) -> PurePosixPath:
    return PurePosixPath(path).relative_to("content")
