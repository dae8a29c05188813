"""Which files the gate judges, and which departments must approve a change to each.

Every input of the site and the code that builds it is gated: content/** (items, attachments,
fixed pages, annual-report data), catalog.yml, mkdocs.yml, theme/**, generator/**,
pyproject.toml and the workflows. A file under a category's folder belongs to that category's
department; everything else belongs to the office (review.office). An item's front matter
`department` may add a second department that must also approve, never replace the first.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from generator.core.catalog import Catalog
from generator.core.project import ATTACHMENT_DIRS, CONTENT_DIR, RESERVED_TOP

GATED_FILES = frozenset({"catalog.yml", "mkdocs.yml", "pyproject.toml"})
GATED_DIRS = (f"{CONTENT_DIR}/", "theme/", "generator/", ".github/", ".gitea/")
# As pathspecs, for `git status` and `git ls-tree`.
PATHSPECS = (*sorted(GATED_FILES), *(d.rstrip("/") for d in GATED_DIRS))


def is_gated(path: str) -> bool:
    return path in GATED_FILES or path.startswith(GATED_DIRS)


def is_item(path: str) -> bool:
    """Whether a repository path is an item file (the loader's rule, on a path alone)."""
    if not path.startswith(f"{CONTENT_DIR}/") or not path.endswith(".md"):
        return False
    parts = PurePosixPath(path).parts[1:]
    if any(p.startswith((".", "_")) for p in parts):
        return False
    if parts[0] in RESERVED_TOP or ATTACHMENT_DIRS.intersection(parts[:-1]):
        return False
    return parts != ("README.md",)


class Owners:
    """Departments responsible for each path, as one approved catalog says."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.office = str(catalog.review.get("office") or "")
        self._folders = {c.folder: c for c in catalog.categories.values()}

    def category_of(self, path: str):
        """The category whose folder is the nearest ancestor of a content/ path, if any."""
        if not path.startswith(f"{CONTENT_DIR}/"):
            return None
        rel = PurePosixPath(path).relative_to(CONTENT_DIR)
        if rel.parts[0] in RESERVED_TOP:
            return None
        for folder in rel.parents:
            category = self._folders.get(folder.as_posix())
            if category is not None:
                return category
        return None

    def departments(self, path: str, added: str | None = None) -> list[str]:
        """Department ids that must each approve a change to `path` (the office by default)."""
        category = self.category_of(path)
        first = category.department if category is not None else self.office
        found = [first]
        if added and is_item(path) and added != first and added in self.catalog.departments:
            found.append(added)
        return found

    def name(self, department: str) -> str:
        known = self.catalog.departments.get(department)
        return known.name if known else (department or "（未指定科室）")
