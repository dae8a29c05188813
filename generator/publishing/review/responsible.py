"""Which departments must approve a change to a path, for one commit under judgement.

- A path's department is its category folder's (the office elsewhere), read in the last
  approved catalog AND in the catalog the commit proposes: a folder moved in the same pull
  request needs the department of the category under both.
- An item's front matter `department` adds a department, never replaces one.
- Any other file under content/ (an attachment) also needs the department(s) of every item that
  lists it, in the last approved state and in the merged state: an office item's attachment
  lying in another category's folder is not replaced by that category alone.

Reviewers always come from the last approved catalog (judge.py): a department the proposed
catalog invents has no reviewer yet, so nothing it would own is approved until that catalog is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from generator.core.project import CONTENT_DIR, UnusableFile, split_front_matter
from generator.core.textfile import decode
from generator.publishing.review.paths import Owners, is_item
from generator.publishing.review.repo import Repo, Value, is_special, value_of


class Responsible:
    def __init__(
        self,
        repo: Repo,
        owners: list[Owners],
        before: tuple[str, Mapping[str, Value]],
        after: str,
    ):
        """`owners`: the approved catalog's, then the proposed one's if it differs; `before`:
        the parent commit and the approved exceptions relative to it; `after`: the merge."""
        self.repo = repo
        self.owners = owners
        self.before = before
        self.after = after
        self._fronts: dict[str, tuple[str, list[str]]] = {}

    def departments(self, values: Mapping[str, Value]) -> dict[str, list[str]]:
        """path -> department ids that must each approve its new value."""
        added = {p: self._front(p, v)[0] for p, v in values.items() if v and is_item(p)}
        found = {p: self._of(p, added.get(p)) for p in values}
        attachments = [p for p in values if _is_attachment(p)]
        if attachments:
            for path, items in self._publishers(attachments).items():
                for item, blob in items.items():
                    found[path] += self._of(item, self._front(item, blob)[0])
        return {p: list(dict.fromkeys(d)) for p, d in found.items()}

    def _of(self, path: str, added: str | None) -> list[str]:
        return [d for owners in self.owners for d in owners.departments(path, added)]

    def _publishers(self, attachments: list[str]) -> dict[str, dict[str, str]]:
        """attachment path -> {item path: blob} of the items (approved before, or merged) that
        list it."""
        folders = {f for p in attachments for f in _ancestors(p)}
        parent, exceptions = self.before
        states = [self._listing(parent, folders), self._listing(self.after, folders)]
        for path, value in exceptions.items():
            if PurePosixPath(path).parent.as_posix() in folders:
                states[0][path] = value
        wanted = set(attachments)
        found: dict[str, dict[str, str]] = {p: {} for p in attachments}
        for state in states:
            items = {p: v for p, v in state.items() if v and not is_special(v) and is_item(p)}
            self._read(items)
            for item, blob in items.items():
                folder = PurePosixPath(item).parent
                for written in self._front(item, blob)[1]:
                    target = _target(folder, written)
                    if target in wanted:
                        found[target][item] = blob
        return found

    def _listing(self, commit: str, folders: Iterable[str]) -> dict[str, Value]:
        """The files directly inside `folders` at `commit`."""
        specs = [f"{f}/" for f in sorted(folders)]
        out = self.repo.run(
            "--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", *specs
        )
        found: dict[str, Value] = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            if kind != "tree":
                found[path.decode("utf-8", "surrogateescape")] = value_of(mode, sha)
        return found

    def _read(self, items: Mapping[str, Value]) -> None:
        unread = {v: p for p, v in items.items() if v and v not in self._fronts}
        for blob, data in self.repo.blobs(unread):
            self._fronts[blob] = _front_of(unread[blob], data)

    def _front(self, path: str, blob: Value) -> tuple[str, list[str]]:
        """(the `department` front matter names, the attachments it lists) of an item's blob."""
        if not blob or is_special(blob):
            return "", []
        if blob not in self._fronts:
            self._read({path: blob})
        return self._fronts[blob]


def _front_of(path: str, data: bytes) -> tuple[str, list[str]]:
    text, problem = decode(data, path)
    if problem is not None:
        return "", []
    try:
        src, _, _ = split_front_matter(text, Path(path))
    except UnusableFile:
        return "", []
    department = src.data.get("department")
    raw = src.data.get("attachments")
    entries = [raw] if isinstance(raw, str | dict) else raw if isinstance(raw, list) else []
    written = []
    for entry in entries:
        if isinstance(entry, dict):
            entry = entry.get("path")
        if isinstance(entry, str):
            written.append(entry.strip())
    return (department.strip() if isinstance(department, str) else ""), written


def _is_attachment(path: str) -> bool:
    return path.startswith(f"{CONTENT_DIR}/") and not is_item(path)


def _ancestors(path: str) -> list[str]:
    return [
        p.as_posix() for p in PurePosixPath(path).parents if p.as_posix().startswith(CONTENT_DIR)
    ]


def _target(folder: PurePosixPath, written: str) -> str | None:
    """The repository path an attachment written in an item of `folder` names (None when it
    would leave the folder; the checks refuse that)."""
    parts = list(folder.parts)
    base = len(parts)
    for part in written.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if len(parts) == base:
                return None
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts) if len(parts) > base else None
